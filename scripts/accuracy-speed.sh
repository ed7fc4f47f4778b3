#!/usr/bin/env bash
# f32 forward speed of precision=accurate and precision=fast kernels against
# plain C loops of the same formulas (bench/naive_loops.c, gcc -O3
# -march=native -ffast-math, glibc's libmvec), one thread, n = 4096 and
# 262144, interleaved repeats (tools/act-accuracy/speed.c). Prints the
# markdown table of docs/accuracy.md.
#
#   scripts/accuracy-speed.sh [BUILD] [REPEATS] [MCPU]
#
# Defaults: build, 15, native (the loops are -march=native too).
set -euo pipefail
build=${1:-build}
repeats=${2:-15}
mcpu=${3:-native}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prelude=sigmoid,tanh,softplus,silu,gelu,gelu_tanh,quick_gelu,mish,elu,selu,logsigmoid,tanhshrink,softsign,hard_swish,relu
for p in accurate fast; do
  "$build/bin/actc" --only "$prelude" --dtype f32 --mcpu "$mcpu" \
    --precision="$p" -o "$tmp/$p.o"
  cc -shared "$tmp/$p.o" -o "$tmp/$p.so"
done
gcc -O3 -march=native -ffast-math -fPIC -shared "$src/bench/naive_loops.c" \
  -o "$tmp/naive.so" -lm
cc -O2 "$src/tools/act-accuracy/speed.c" -o "$tmp/act-speed" -ldl
echo "<!-- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), actc --mcpu $mcpu -->"
"$tmp/act-speed" "$tmp/accurate.so" "$tmp/fast.so" "$tmp/naive.so" "$repeats"
