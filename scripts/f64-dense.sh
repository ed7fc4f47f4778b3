#!/usr/bin/env bash
# Measures every prelude activation's f64 forward and gradient kernels
# (--precision=accurate, the default) on a dense sample against MPFR:
# test/Kernels/prelude-accuracy.c and test/Autodiff/prelude-grad-accuracy.c,
# built as their lit RUN lines build them, run with the dense knobs of
# test/Inputs/accuracy.c and test/Inputs/grad-harness.c (their head
# comments list them). Prints one table row per function and target:
# forward max ULP on normal results / tails (results below the smallest
# normal and the test's regions), gradient max ULP where |f'| >= 2^-20 /
# tails (|x| >= 4, f' a normal number below 2^-20).
#
#   nice -n 19 scripts/f64-dense.sh [BUILD]
#
# Environment: TARGETS (default "x86-64-v3 native"), PARTS (default
# "forward grad"), RAW=DIR keeps every run's full output in DIR, ONLY=a,b
# measures only those labels (ACTC_ONLY), CC (default clang-22).
# Sample per function and target (docs/accuracy.md, "Dense f64 sample"):
#   forward  3,182,060 inputs: the 2^-13 grid over [-40, 40] (655,361),
#            128 mantissas of every binade, both signs (537,088), 100,000
#            random bit patterns, 300,000 log-uniform over every binade,
#            700,000 log-uniform over |x| in [2^-30, 64), 700,000 uniform
#            over [-40, 40], 4,000 random points around each
#            of 47 branch points (and 32 neighbours each), the specials;
#            rows: the test's rows drawn 200 times (2,237,200 elements);
#   gradient ~2.64e6 inputs: the 2^-12 grid over [-60, 60], the 2^-18 grid
#            over [-2.5, 0] (the zeros of f'), 128 mantissas of every
#            binade from 2^-40, 400,000 uniform over [-60, 60], 600,000
#            log-uniform over |x| in [2^-30, 64), 10,000 random points
#            around each zero of f' and branch point, the tails every 2^-4
#            out to 745.
# About 16 minutes of one core in all (482 s of CPU per target; the erf
# GELU's MPFR reference is half of it); run it under nice -n 19.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
actc=$build/bin/actc
cc=${CC:-clang-22}
targets=${TARGETS:-x86-64-v3 native}
parts=${PARTS:-forward grad}
inputs=$root/test/Inputs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
raw=${RAW:-$tmp}
mkdir -p "$raw"

prelude=identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink,softmax,log_softmax

# Both signs of: the branch points of the f64 forms (tanh's series at 1/2,
# erf's at a = |x| / sqrt(2) = 1/2, 1 and its erfcx segments' starts up to
# 28, the exp and expm1 clamps, softplus' 41.6 and 800, the hard kinks).
branches=0,0.5,0.7071067811865476,1,1.4142135623730951,1.9445436482630059,2
branches+=,3,3.5355339059327378,5.480077554195744,6,7.95495128834866
branches+=,12.020815280171309,17.147339443773777,20,25.102290732122437
branches+=,35.00178566873411,36,39.59797974644666,40,41.6,709.78,745.13,800
branches=$(echo "$branches" | tr ',' '\n' |
           awk '{ print $1; if ($1 != 0) print "-" $1 }' | paste -sd,)
# The zeros of f' (silu, swish, gelu, gelu_tanh and new_gelu, quick_gelu,
# mish), where the gradients' sums cancel.
zeros=-1.2784645427610741,-0.7517915246935646,-0.7524614220710163
zeros+=,-0.7511542554412891,-1.1924312145154954

forward_knobs=(ACTC_GRID_BITS=13 ACTC_GRID_RANGE=40 ACTC_PER_BINADE=128
               ACTC_RANDOMS=100000 ACTC_LOG_RANDOMS=300000
               ACTC_NEAR_RANDOMS=700000 ACTC_UNIFORM_RANDOMS=700000
               "ACTC_KNOTS=$branches" ACTC_KNOT_POINTS=4000
               ACTC_ROW_REPEATS=200)
grad_knobs=(ACTC_GRID_BITS=12 ACTC_FINE_BITS=18 ACTC_PER_BINADE=128
            ACTC_RANDOMS=400000 ACTC_NEAR_RANDOMS=600000
            "ACTC_KNOTS=$zeros,$branches" ACTC_KNOT_POINTS=10000
            ACTC_TAIL_STEP=0.0625)
only=()
if [ -n "${ONLY:-}" ]; then only=(ACTC_ONLY="$ONLY"); fi

# "f64 NAME" then indented "normal results max X" / other buckets: one line
# "NAME normal tails" per function (tails: the largest other bucket).
summarize_forward() {
  awk '/^f64 / { if (name) print name, normal, tails; name = $2; normal = "-"; tails = "-"; next }
       /^  [a-z]/ && / max / {
         for (i = 1; i <= NF; ++i) if ($i == "max") v = $(i + 1)
         if ($1 == "normal") normal = v
         else if (tails == "-" || v + 0 > tails + 0) tails = v
       }
       END { if (name) print name, normal, tails }' "$1"
}

summarize_grad() {
  awk '/^MAXULP f64 / { m[$3] = $4; order[++n] = $3 }
       /^MAXULP-TAIL f64 / { t[$3] = $4 }
       END { for (i = 1; i <= n; ++i) print order[i], m[order[i]], (order[i] in t) ? t[order[i]] : "-" }' "$1"
}

for cpu in $targets; do
  start=$(date +%s)
  "$actc" --only "$prelude" --mcpu "$cpu" -o "$tmp/$cpu.o" --header "$tmp/$cpu.h"
  for part in $parts; do
    if [ "$part" = forward ]; then
      "$cc" -O1 -ffp-contract=off -I"$inputs" -include "$tmp/$cpu.h" \
        "$root/test/Kernels/prelude-accuracy.c" "$inputs/accuracy.c" \
        "$inputs/reference.c" "$tmp/$cpu.o" -lmpfr -lm -o "$tmp/forward-$cpu"
      env "${forward_knobs[@]}" "${only[@]}" "$tmp/forward-$cpu" f64 \
        > "$raw/forward-$cpu.txt" || true
    else
      "$cc" -O1 -ffp-contract=off -I"$inputs" -include "$tmp/$cpu.h" \
        "$root/test/Autodiff/prelude-grad-accuracy.c" "$inputs/grad-harness.c" \
        "$inputs/grad-reference.c" "$inputs/reference.c" "$tmp/$cpu.o" \
        -lmpfr -lm -o "$tmp/grad-$cpu"
      env "${grad_knobs[@]}" "${only[@]}" "$tmp/grad-$cpu" f64 \
        > "$raw/grad-$cpu.txt" || true
    fi
  done
  echo "== $cpu ($(( $(date +%s) - start )) s)"
  for part in $parts; do
    if [ "$part" = forward ]; then
      echo "forward: $(head -1 "$raw/forward-$cpu.txt")"
      echo "function normal tails"
      summarize_forward "$raw/forward-$cpu.txt"
    else
      echo "gradient: $(grep -m1 -o '([0-9]* inputs)' "$raw/grad-$cpu.txt" || true) (first function)"
      echo "function |f'|>=2^-20 tails"
      summarize_grad "$raw/grad-$cpu.txt"
    fi
  done
done
