#!/usr/bin/env bash
# Foundation benchmark (issue: vectorized kernels vs a gcc -ffast-math loop).
# Builds bench/elementwise.c against actc kernels (--mcpu=native) and writes
# docs/benchmarks-foundation.md. `--quick` skips the 64M rows.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh >/dev/null
out=build/bench
mkdir -p "$out"
names=sigmoid,tanh,elu,selu,celu,softplus,gelu,gelu_tanh,quick_gelu,silu,mish,logsigmoid,tanhshrink,softsign,relu,relu6,leaky_relu,hardtanh,hard_sigmoid,hard_swish,identity
gcc -O3 -march=native -ffast-math -c bench/naive_loops.c -o "$out/naive_loops.o"
# One binary per precision mode: both define the same kernel names.
for precision in accurate fast; do
  mkdir -p "$out/$precision"
  build/bin/actc --only "$names" --dtype f32 --mcpu native --precision "$precision" \
    -o "$out/$precision/actc_bench.o" --header "$out/$precision/actc_bench.h"
  gcc -O2 -std=c11 -I"$out/$precision" bench/elementwise.c "$out/$precision/actc_bench.o" \
    "$out/naive_loops.o" -lm -o "$out/elementwise-$precision"
done

doc=docs/benchmarks-foundation.md
{
  echo "# Foundation benchmark: actc kernels vs a gcc -ffast-math loop"
  echo
  echo "Produced by \`scripts/bench-foundation.sh $*\` on $(date -u +%Y-%m-%d)."
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), one thread."
  echo "actc: \`--mcpu native --dtype f32\`, both \`--precision\` modes (docs/accuracy.md has their error bounds)."
  echo "Baseline: the same formula as a C loop, \`gcc $(gcc -dumpfullversion) -O3 -march=native -ffast-math\` (libmvec)."
  echo "x ~ U[-6, 6]; medians of 9 interleaved repeats (min-max); higher el/ns is better."
  for precision in accurate fast; do
    echo
    echo "## --precision=$precision"
    echo
    "$out/elementwise-$precision" "$@"
  done
} | tee "$doc"
