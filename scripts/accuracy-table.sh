#!/usr/bin/env bash
# Measures f32 kernels with tools/act-accuracy and prints a markdown table
# for docs/accuracy.md.
#
#   scripts/accuracy-table.sh [BUILD] [STRIDE] [PRECISION] [forward|grad]
#
# Defaults: build, 1, accurate, forward. STRIDE 1 is the exhaustive run:
# all 2^32 inputs, 0.5-3 CPU-minutes per function (the double filter of
# tools/act-accuracy; MPFR only near a decision), e.g. `nohup nice -n 19
# scripts/accuracy-table.sh build 1 accurate > exhaustive-accurate.md &`.
# Environment: ACTC (default BUILD/bin/actc) and ACT_ACCURACY (default
# BUILD/bin/act-accuracy) name the binaries; RAW=DIR keeps each run's full
# output in DIR/NAME.txt; FUNCTIONS=a,b measures only those. A stride of 9973 (the
# sampled tables of docs/accuracy.md, 430,660 inputs each, every NaN class
# among them; the tool adds +-inf to a forward sample) takes seconds per function, 97 about a
# minute. `grad` measures NAME_grad_f32 (dy = 1) of the prelude against a
# central difference in MPFR, skipping the kinks (relu at 0) and leaving
# |f'| < 2^-20 out of the statistics (the goal's bound; near a zero of f'
# no rounding is small relative to f').
# MARGIN=V passes --margin V (the double filter's margin, default 2^-12
# forward and 2^-8 grad): the MPFR rechecks near 0.5 ULP scale with it and
# are most of an exhaustive grad run's time (~40M at 2^-8); the tool fails
# a run whose filter is off by more than half of it (RAW's output then
# says FAIL: check it).
set -euo pipefail
build=${1:-build}
stride=${2:-1}
precision=${3:-accurate}
mode=${4:-forward}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/prim.act" <<'ACT'
act p_exp(x) = exp(x)
act p_exp2(x) = exp2(x)
act p_expm1(x) = expm1(x)
act p_log(x) = log(x)
act p_log1p(x) = log1p(x)
act p_log2(x) = log2(x)
act p_erf(x) = erf(x)
act p_erfc(x) = erfc(x)
act p_sin(x) = sin(x)
act p_cos(x) = cos(x)
ACT
prelude=sigmoid,tanh,softplus,silu,swish,gelu,gelu_tanh,new_gelu,quick_gelu,mish,elu,selu,celu,logsigmoid,tanhshrink,softsign,hard_sigmoid,hard_swish,leaky_relu,relu,relu6,hardtanh,softshrink,hardshrink
actc=${ACTC:-$build/bin/actc}
tool=${ACT_ACCURACY:-$build/bin/act-accuracy}
# MCPU=native (or another --mcpu) measures that target's kernels (the erf
# GELU's table form needs AVX-512); default: actc's x86-64-v3.
cpu=(); if [ -n "${MCPU:-}" ]; then cpu=(--mcpu "$MCPU"); fi
"$actc" "$tmp/prim.act" --dtype f32 --precision="$precision" "${cpu[@]}" -o "$tmp/prim.o"
"$actc" --only "$prelude" --dtype f32 --precision="$precision" "${cpu[@]}" -o "$tmp/prelude.o"
cc -shared "$tmp/prim.o" "$tmp/prelude.o" -o "$tmp/k.so"
opts=()
if [ -n "${MARGIN:-}" ]; then opts+=(--margin "$MARGIN"); fi
if [ "$mode" = grad ]; then
  opts+=(--grad --min-abs 0x1p-20)
  echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | > 2 ULP | wrong specials | kinks skipped | \|f'\| < 2^-20 | MPFR rechecks | filter error |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
else
  echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | wrong specials | MPFR rechecks | filter error |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
fi
run() { # kernel [tool options...]
  local out
  case ",${FUNCTIONS:-$1}," in *",$1,"*) ;; *) return 0 ;; esac
  out=$("$tool" --stride "$stride" "${opts[@]}" "$tmp/k.so" "$@" || true)
  if [ -n "${RAW:-}" ]; then echo "$out" > "$RAW/$1.txt"; fi
  awk -v name="$1" -v mode="$mode" '
    /f32: max/ { max = $4; x = $9 }
    /^  inputs/ { gsub(",", ""); over05 = $8; over1 = $12; over2 = $16 }
    /skipped:/ { gsub(",", ""); kinks = $2; floor = $4 }
    /wrong specials/ { sp = $3 + $5 + $7 }
    /MPFR recomputed/ { re = $3; ferr = $14 }
    END {
      if (mode == "grad")
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, max,
               x, over05, over1, over2, sp, kinks, floor, re, ferr
      else
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, max, x, over05,
               over1, sp, re, ferr
    }
  ' <<< "$out"
}
for f in ${prelude//,/ }; do
  if [ "$f" = swish ]; then run swish --param 1.702; else run "$f"; fi
done
if [ "$mode" != grad ]; then
  for f in exp exp2 expm1 log log1p log2 erf erfc sin cos; do run "p_$f" --ref "$f"; done
fi
