#!/usr/bin/env bash
# Measures f32 kernels with tools/act-accuracy and prints a markdown table
# for docs/accuracy.md.
#
#   scripts/accuracy-table.sh [BUILD] [STRIDE] [PRECISION] [forward|grad]
#
# Defaults: build, 1, accurate, forward. STRIDE 1 is the exhaustive run:
# all 2^32 inputs, about an hour per function on 2 cores (run it on an idle
# machine, one precision at a time, e.g. `nohup scripts/accuracy-table.sh
# build 1 accurate > exhaustive-accurate.md &`; the elementary functions
# and the 24 prelude activations take about a day). A stride of 9973 (the
# sampled tables of docs/accuracy.md, 430,660 inputs each, every NaN class
# and both infinities among them) takes seconds per function, 97 about a
# minute. `grad` measures NAME_grad_f32 (dy = 1) of the prelude against a
# central difference in MPFR, skipping the kinks (relu at 0) and leaving
# |f'| < 2^-20 out of the statistics (the goal's bound; near a zero of f'
# no rounding is small relative to f').
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
"$build/bin/actc" "$tmp/prim.act" --dtype f32 --precision="$precision" -o "$tmp/prim.o"
"$build/bin/actc" --only "$prelude" --dtype f32 --precision="$precision" -o "$tmp/prelude.o"
cc -shared "$tmp/prim.o" "$tmp/prelude.o" -o "$tmp/k.so"
opts=()
if [ "$mode" = grad ]; then
  opts=(--grad --min-abs 0x1p-20)
  echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | > 2 ULP | wrong specials | kinks skipped | \|f'\| < 2^-20 |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
else
  echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | wrong specials |"
  echo "| --- | --- | --- | --- | --- | --- |"
fi
run() { # kernel [tool options...]
  local out
  out=$("$build/bin/act-accuracy" --stride "$stride" "${opts[@]}" "$tmp/k.so" "$@")
  awk -v name="$1" -v mode="$mode" '
    /f32: max/ { max = $4; x = $9 }
    /inputs/ { gsub(",", ""); over05 = $8; over1 = $12; over2 = $16 }
    /skipped:/ { gsub(",", ""); kinks = $2; floor = $4 }
    /wrong specials/ { sp = $3 + $5 }
    END {
      if (mode == "grad")
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, max,
               x, over05, over1, over2, sp, kinks, floor
      else
        printf "| %s | %s | %s | %s | %s | %s |\n", name, max, x, over05,
               over1, sp
    }
  ' <<< "$out"
}
if [ "$mode" != grad ]; then
  for f in exp exp2 expm1 log log1p log2 erf erfc sin cos; do run "p_$f" --ref "$f"; done
fi
for f in ${prelude//,/ }; do
  if [ "$f" = swish ]; then run swish --param 1.702; else run "$f"; fi
done
