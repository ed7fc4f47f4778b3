#!/usr/bin/env bash
# Measures f32 kernels with tools/act-accuracy and prints a markdown table
# for docs/accuracy.md. Usage: scripts/accuracy-table.sh [BUILD] [STRIDE]
# [PRECISION] (defaults: build, 1 = all 2^32 inputs, accurate). A stride of
# 97 takes about a minute per function on 2 cores; 1 about an hour.
set -euo pipefail
build=${1:-build}
stride=${2:-1}
precision=${3:-accurate}
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
ACT
prelude=sigmoid,tanh,softplus,silu,swish,gelu,gelu_tanh,new_gelu,quick_gelu,mish,elu,selu,celu,logsigmoid,tanhshrink,softsign,hard_sigmoid,hard_swish,leaky_relu,relu,relu6,hardtanh,softshrink,hardshrink
"$build/bin/actc" "$tmp/prim.act" --dtype f32 --precision="$precision" -o "$tmp/prim.o"
"$build/bin/actc" --only "$prelude" --dtype f32 --precision="$precision" -o "$tmp/prelude.o"
cc -shared "$tmp/prim.o" "$tmp/prelude.o" -o "$tmp/k.so"
echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | wrong specials |"
echo "| --- | --- | --- | --- | --- | --- |"
run() { # kernel [tool options...]
  local out
  out=$("$build/bin/act-accuracy" --stride "$stride" "$tmp/k.so" "$@")
  awk -v name="$1" '
    /f32: max/ { max = $4; x = $9 }
    /inputs/ { gsub(",", ""); over05 = $8; over1 = $12 }
    /wrong specials/ { sp = $3 + $5 }
    END { printf "| %s | %s | %s | %s | %s | %s |\n", name, max, x, over05, over1, sp }
  ' <<< "$out"
}
for f in exp exp2 expm1 log log1p log2 erf erfc; do run "p_$f" --ref "$f"; done
for f in ${prelude//,/ }; do
  if [ "$f" = swish ]; then run swish --param 1.702; else run "$f"; fi
done
