#!/usr/bin/env bash
# The gradient kernels' benchmark (issue 3's performance bar): actc's
# NAME_grad_f32 kernels, fast and accurate mode, against PyTorch's backward
# ops (torch.ops.aten.*_backward, one thread) and oneDNN's eltwise backward,
# at 4096, 262144 and 64M elements, interleaved repeats in one run, with the
# max-ULP column of each. It is scripts/bench.sh restricted to those rows
# (bench/main.cpp --kinds backward --configs ...); the tables go to
# docs/benchmarks-grad.md, keeping its hand-written "## Notes: ..." sections
# (at the end) as they are.
#
#   scripts/bench-grad.sh            a few minutes on 2 cores (plus the
#                                    bench build the first time)
#   BUILD=build-bench scripts/bench-grad.sh   another build of actc
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FUNCTIONS=sigmoid,tanh,gelu,gelu_tanh,silu,elu,softplus,mish
ARGS=(--sections eltwise --kinds backward --configs 4096,262144,64M --only "$FUNCTIONS")

# Only the kernels this run times are compiled (once each).
BENCH_FUNCTIONS=${FUNCTIONS//,/ } BENCH_DTYPES=f32 BENCH_COMPILE_RUNS=1 \
  BUILD=$BUILD scripts/bench.sh "${ARGS[@]}"

out=docs/benchmarks-grad.md
# Hand-written sections (from "## Notes: " on to the end) survive the rerun.
notes=$(sed -n '/^## Notes: /,$p' "$out" 2>/dev/null || true)
{
  echo "# Gradient kernels against PyTorch and oneDNN backward"
  echo
  echo "Produced by \`scripts/bench-grad.sh\` (that is \`scripts/bench.sh ${ARGS[*]}\`);"
  echo "the bar (issue 3): fast mode >= 1.25x the fastest peer at 4096 and 262144,"
  echo "accurate mode >= 0.5x, and >= 95% of the bandwidth limit at 64M (the NT-store"
  echo "column: 12 bytes per element, x, dy and dx). Peers: PyTorch's sigmoid_backward"
  echo "and tanh_backward read y = f(x) (as autograd saves it), the others x; oneDNN's"
  echo "sigmoid and tanh use the *_use_dst_for_bwd algorithms (from y). actc's"
  echo "NAME_grad_f32 reads x; its from-y kernels appear where they exist."
  echo
  # bench.sh's report from its "Produced by" line on, without the compile
  # time table (compiled once each here, not timed three times).
  sed -n '/^Produced by/,$p' "$BUILD/bench/benchmarks-partial.md" |
    awk '/^## Compile time/ { skip = 1; next } /^## / { skip = 0 } !skip'
  if [ -n "$notes" ]; then
    echo
    echo "$notes"
  fi
} >"$out"
echo "bench-grad: wrote $out"
