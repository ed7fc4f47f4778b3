#!/usr/bin/env bash
# gen-variants.sh OUT: writes OUT (variants.h for ceiling.c): the VARIANT
# lines (name, body, unroll, prefetch hint, distance, non-temporal), then
# the table of every contender ceiling.c times.
set -euo pipefail
hint() { case $1 in none) echo -1;; t0) echo 3;; t1) echo 2;; t2) echo 1;; nta) echo 0;; pw) echo 7;; esac; }
rows=()
add() { # name body unroll hint distance nt
  echo "VARIANT($1, $2, $3, $(hint $4), $5, $6)"
  rows+=("$1")
}
{
body=triv # dx = dy * y * (1 - y), trivial()
for u in 1 2 4; do add ${body}_u${u}_nopf trivial $u none 0 0; done
for u in 1 4; do
  for h in t0 t1 t2 nta; do
    for d in 256 512 1024 2048 4096 8192; do
      add ${body}_u${u}_${h}_${d} trivial $u $h $d 0
    done
  done
done
for d in 1024 4096; do add ${body}_u4_pw_${d} trivial 4 pw $d 0; done
for u in 1 2 4; do add ${body}_u${u}_nt_nopf trivial $u none 0 1; done
for h in t0 t2; do for d in 512 2048 4096 8192; do
  add ${body}_u4_nt_${h}_${d} trivial 4 $h $d 1
done; done
echo "static const struct { const char *name; Kernel kernel; } all[] = {"
echo "  {\"plain_from_y\", plain}, {\"limit_nt\", ntLimit},"
echo "  {\"actc_sigmoid_grad\", sigmoid_grad_f32}, {\"actc_tanh_grad\", tanh_grad_f32},"
echo "  {\"actc_sigmoid_grad_from_y\", sigmoid_grad_from_y_f32},"
echo "  {\"s_actc_sigmoid_grad\", s_sigmoid_grad_f32}, {\"s_actc_tanh_grad\", s_tanh_grad_f32},"
echo "  {\"s_actc_sigmoid_grad_from_y\", s_sigmoid_grad_from_y_f32},"
echo "#ifdef EXTRA"
for p in a_ b_ c_ d_; do
  echo "  {\"${p}actc_sigmoid_grad\", ${p}sigmoid_grad_f32}, {\"${p}actc_tanh_grad\", ${p}tanh_grad_f32},"
  echo "  {\"${p}actc_sigmoid_grad_from_y\", ${p}sigmoid_grad_from_y_f32},"
done
echo "#endif"
for r in "${rows[@]}"; do echo "  {\"$r\", $r},"; done
echo "};"
} >"$1"
