#!/usr/bin/env bash
# Speed on the tails of the float line (bench/tails.c): each transcendental
# prelude activation's forward and grad kernels, fast and accurate, timed on
# inputs in [-20, -12], [-100, -20] and [20, 128] against [-6, 6]. A ratio
# well above 1 means operations underflow (a microcode assist each) where
# the result is normal or exactly 0. About a minute; writes
# docs/benchmarks-tails.md.
#
#   scripts/bench-tails.sh [BUILD]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
actc=${ACTC:-$build/bin/actc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=sigmoid,tanh,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,mish,logsigmoid,tanhshrink
"$actc" --only "$list" --kernels forward,grad --mcpu native --precision=fast -o "$tmp/fast.o"
"$actc" --only "$list" --kernels forward,grad --mcpu native -o "$tmp/accurate.o"
objcopy --prefix-symbols=a_ "$tmp/accurate.o" "$tmp/accurate-prefixed.o"
cc -O2 bench/tails.c "$tmp/fast.o" "$tmp/accurate-prefixed.o" -lm -o "$tmp/tails"
out=docs/benchmarks-tails.md
{
  echo "# Kernel speed on the tails of the float line"
  echo
  echo "Produced by \`scripts/bench-tails.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit"
  echo "$(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)."
  echo "Each cell: time on 4096 inputs spread over the range / time on [-6, 6],"
  echo "best of 7 rounds (bench/tails.c). Above ~1.3: operations underflow"
  echo "(a subnormal or a tiny value rounded to 0 costs a microcode assist"
  echo "without flush-to-zero, which the kernels cannot use). Where the result"
  echo "itself is subnormal (gelu's forward between -17.8 and -13.2) one"
  echo "assist is inevitable. Avoiding the others (lanes beyond the range"
  echo "computed on a harmless argument, then a select) was tried (c5af0af,"
  echo "4f4cc96) and reverted: the selects cost 6-20% on every input"
  echo "(gelu 8.5%, sigmoid 18%) to save time on inputs beyond |x| = 13-104."
  echo
  "$tmp/tails"
} >"$out"
echo "bench-tails: wrote $out"
