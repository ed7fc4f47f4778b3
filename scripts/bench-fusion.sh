#!/usr/bin/env bash
# The fused kernels side by side (issue 6): bench/fusion.cpp against oneDNN,
# OpenBLAS and a naive loop, one thread, interleaved rounds.
#
#   scripts/bench-fusion.sh [rounds]        (BUILD=build by default)
#   MCPU=x86-64-v3 scripts/bench-fusion.sh  the AVX2 kernels
#   THREADS=4 scripts/bench-fusion.sh       the threaded variants' count
#                                           (default 2; 1 skips them)
#
# Benchmarks are not tests: scripts/test.sh never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
MCPU=${MCPU:-native}
OUT=$BUILD/bench-fusion
mkdir -p "$OUT"
"$BUILD/bin/actc" --only identity,relu,gelu --dtype f32 --mcpu "$MCPU" \
  --kernels=all,bias_mt,bias_grad_mt,matmul_mt -o "$OUT/kernels.o" --header "$OUT/kernels.h"
"$BUILD/bin/actc" --only gelu --dtype f32 --mcpu "$MCPU" --precision=fast \
  --kernels=all,bias_mt,bias_grad_mt,matmul_mt -o "$OUT/fast.o"
# fast_ before its own symbols only (pthread_create stays itself).
llvm-nm-22 --defined-only --extern-only --format=just-symbols "$OUT/fast.o" |
  sed 's/.*/& fast_&/' >"$OUT/fast.syms"
objcopy --redefine-syms="$OUT/fast.syms" "$OUT/fast.o"
clang++-22 -std=c++17 -O3 -march=native -include "$OUT/kernels.h" \
  bench/fusion.cpp "$OUT/kernels.o" "$OUT/fast.o" -ldnnl -lopenblas -lm \
  -o "$OUT/fusion"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Cooperlake \
  THREADS=${THREADS:-2} "$OUT/fusion" "${1:-15}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
