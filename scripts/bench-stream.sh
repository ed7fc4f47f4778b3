#!/usr/bin/env bash
# Non-temporal stores (act-vectorize's streaming form, actc --stream-bytes):
# relu, fast sigmoid/gelu, a gradient and the bias kernels built to stream
# every output against the same kernels never streaming, timed interleaved
# (bench/streaming.c) at outputs of 1 MiB to 256 MiB; the ratio shows where
# streaming starts to pay, which sets the default threshold (16 MiB).
# About two minutes; writes docs/benchmarks-stream.md.
#
#   scripts/bench-stream.sh [BUILD] [ROUNDS]     (defaults: build 9)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-9}
actc=${ACTC:-$build/bin/actc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(--only relu,sigmoid,gelu --dtype f32 --mcpu native --precision=fast
        --kernels forward,grad,bias,bias_grad)
"$actc" "${common[@]}" --stream-bytes=1 --stream-compute-bound -o "$tmp/s.o"
"$actc" "${common[@]}" --stream-bytes=0 -o "$tmp/p.o"
objcopy --prefix-symbols=s_ "$tmp/s.o" "$tmp/s-prefixed.o"
objcopy --prefix-symbols=p_ "$tmp/p.o" "$tmp/p-prefixed.o"
cc -O2 bench/streaming.c "$tmp/s-prefixed.o" "$tmp/p-prefixed.o" -lm -o "$tmp/streaming"
out=docs/benchmarks-stream.md
{
  echo "# Non-temporal stores: where they pay"
  echo
  echo "Produced by \`scripts/bench-stream.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit"
  echo "$(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) before the run (2 cores)."
  echo "This file is generated: rerun the command."
  echo
  echo "The same kernels (\`actc --only relu,sigmoid,gelu --precision=fast --mcpu native\`)"
  echo "built with \`--stream-bytes=1 --stream-compute-bound\` (every output streamed, compute-bound loops too: aligned non-temporal"
  echo "stores after a masked head, one sfence per call) and \`--stream-bytes=0\`"
  echo "(ordinary stores), called alternately on the same buffers, one thread,"
  echo "$rounds rounds; each round times a batch of calls (64M elements in all)."
  echo "GB/s counts the bytes a kernel must move: 8 per element forward and"
  echo "bias (x, y), 12 for the gradients (x, dy, dx). Median [min-max] of the"
  echo "per-round ratios; above 1, streaming is faster. Small outputs stay in"
  echo "cache between calls with ordinary stores; streamed ones go to memory"
  echo "every call, so the ratio falls below 1 there: that is why actc streams"
  echo "only from a threshold (default 16 MiB of output, \`--stream-bytes\`)."
  echo
  "$tmp/streaming" "$rounds"
} >"$out"
echo "bench-stream: wrote $out"
