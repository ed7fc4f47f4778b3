#!/usr/bin/env bash
# The side-by-side benchmark (issue 5): builds bench/ against the installed
# peers (scripts/install-bench-deps.sh installs them), times actc's compile
# of every activation, runs every table and writes docs/benchmarks.md.
#
#   scripts/bench.sh                 the full run (about 15 minutes)
#   scripts/bench.sh --quick         no 64M rows, 3 repeats: a smoke run,
#                                    written to $BUILD/bench/benchmarks-quick.md
#   scripts/bench.sh --only gelu,silu --sections eltwise,matmul
#                                    a subset, also not written to docs/
#   BUILD=build-bench scripts/bench.sh   use another build of actc
#   SNAPSHOT=1 BUILD=build-bench scripts/bench.sh
#                                    build actc into $BUILD from a clean export
#                                    of HEAD ($BUILD-src), not from the working
#                                    tree that other engineers are editing
#
# Benchmarks are not tests: scripts/test.sh never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OUT=$BUILD/bench
start=$(date +%s)

if [ "${SNAPSHOT:-0}" = 1 ]; then
  [ "$BUILD" != build ] || { echo "bench: SNAPSHOT=1 needs BUILD=another-dir" >&2; exit 1; }
  # Export HEAD; copy only the files that changed, so that ninja rebuilds
  # only what a new commit touched.
  src=$BUILD-src
  fresh=$(mktemp -d)
  git archive HEAD | tar -x -C "$fresh"
  mkdir -p "$src"
  (cd "$fresh" && find . -type f) | while read -r f; do
    cmp -s "$fresh/$f" "$src/$f" || { mkdir -p "$src/$(dirname "$f")"; cp "$fresh/$f" "$src/$f"; }
  done
  (cd "$src" && find . -type f ! -name .commit) | while read -r f; do
    [ -e "$fresh/$f" ] || rm -f "$src/$f"
  done
  rm -rf "$fresh"
  git rev-parse --short HEAD >"$src/.commit"
  if ! grep -qs "CMAKE_HOME_DIRECTORY:INTERNAL=$PWD/$src\$" "$BUILD/CMakeCache.txt"; then
    rm -rf "$BUILD"
    cmake -G Ninja -S "$src" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 >/dev/null
  fi
  ninja -C "$BUILD" actc
elif [ ! -x "$BUILD/bin/actc" ]; then
  if [ "$BUILD" = build ]; then
    scripts/build.sh
  else
    echo "bench: $BUILD/bin/actc not found; build actc there first" >&2
    exit 1
  fi
fi
scripts/bench-build.sh "$BUILD"

doc=docs/benchmarks.md
[ $# -eq 0 ] || doc=$OUT/benchmarks-partial.md
[ "${1:-}" = --quick ] && doc=$OUT/benchmarks-quick.md

# The MPFR references are cached per version of test/Inputs/reference.c.
cache=$OUT/cache-$(cat test/Inputs/reference.c bench/harness.cpp | md5sum | cut -c1-12)
mkdir -p "$cache"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# One thread inside every library (two-thread rows split the work
# themselves); OpenBLAS 0.3.21 needs the core type named on this CPU.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Cooperlake \
  BENCH_CACHE=$cache "$OUT/actc-bench" "$@" >"$OUT/tables.md" 2> >(tee "$OUT/progress.log" >&2)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(($(date +%s) - start))

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
family=$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2- | tr -d ' ')
cache_sizes=$(lscpu 2>/dev/null | awk -F: '/^L[123]d? cache|^L[23] cache/ {gsub(/^ +/, "", $2); printf "%s%s %s", sep, $1, $2; sep="; "}')
avx512=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^avx512' | sort | tr '\n' ' ')
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
if [ -n "$source_dir" ] && [ -f "$source_dir/.commit" ]; then
  actc_source="commit $(cat "$source_dir/.commit") (a clean export of it)"
else
  dirty=$(git status --porcelain -- lib td tools include 2>/dev/null | grep -c . || true)
  actc_source="the working tree at commit $(git rev-parse --short HEAD)"
  [ "$dirty" -gt 0 ] && actc_source+=" with $dirty files of lib/, td/, tools/, include/ being edited"
fi

{
  echo "# actc side by side with the libraries users would pick instead"
  echo
  env_prefix=""
  [ "${SNAPSHOT:-0}" = 1 ] && env_prefix+="SNAPSHOT=1 "
  [ "$BUILD" = build ] || env_prefix+="BUILD=$BUILD "
  echo "Produced by \`${env_prefix}scripts/bench.sh${*:+ $*}\` on $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "in $((elapsed / 60)) min $((elapsed % 60)) s. This file is generated: do not edit it; rerun the command."
  echo
  echo "## Machine and software"
  echo
  echo "- CPU: $cpu (family $family), $(nproc) cores, one thread per core, KVM guest; $cache_sizes."
  echo "  AVX-512: $avx512"
  echo "- Memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); Linux $(uname -r)."
  echo "- **Shared machine**: other engineers were compiling on the same 2 cores during the run"
  echo "  (load average $load_before before, $load_after after). Absolute numbers move by tens of"
  echo "  percent between runs; the ratios, measured interleaved within one run, are what counts."
  echo "- actc: $actc_source; kernels from \`actc --only NAME --mcpu native --dtype T --precision=MODE\`."
  echo "- Compilers: $(gcc --version | head -1) for every peer and loop; $(clang++-22 --version 2>/dev/null | head -1) builds actc; glibc $(ldd --version | head -1 | awk '{print $NF}')."
  echo "- Peers (Debian 12 packages): oneDNN $(version libdnnl-dev), XNNPACK $(version libxnnpack-dev),"
  echo "  Eigen $(version libeigen3-dev), SLEEF $(version libsleef-dev), OpenBLAS $(version libopenblas-dev),"
  echo "  PyTorch $(version python3-torch) (python3 $(/usr/bin/python3 -c 'import platform; print(platform.python_version())')), MPFR $(version libmpfr-dev) for the references."
  echo "- Flags: peers \`g++ -std=c++17 -O2 -march=native\` (Eigen, SLEEF, bandwidth: -O3); the gcc loop"
  echo "  \`-O3 -march=native -ffast-math\` (libmvec); the glibc loop \`-O2 -march=native -fno-tree-vectorize\`;"
  echo "  OpenBLAS's bias+activation pass as the gcc loop. Environment: OMP_NUM_THREADS=1,"
  echo "  OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE=Cooperlake (without it OpenBLAS 0.3.21 runs a generic kernel here)."
  echo
  echo "Peers that were not built, and actc kernels that did not compile:"
  echo
  grep -v ': built$' "$OUT/peers.txt" | sed 's/^/- /' || true
  # actc failures, one line per (mode, dtype, message).
  awk -F'\t' '{ key = $1 "\t" $2 "\t" $4; fns[key] = fns[key] (fns[key] ? ", " : "") $3 }
    END { for (k in fns) { split(k, p, "\t"); printf "- actc (%s mode), %s, %s: `%s`\n", p[1], p[2], fns[k], p[3] } }' \
    "$OUT/actc/failures.txt"
  grep -q . <(grep -v ': built$' "$OUT/peers.txt"; cat "$OUT/actc/failures.txt") || echo "- none"
  echo
  cat <<'EOF'
## How it is measured

- **Same work for all.** Every row is one problem on buffers shared by all
  contenders: x ~ U[-6, 6] (seeded), dy ~ U[-1, 1]; the "wide" column uses
  |x| log-uniform in [2^-20, 2^7] with random signs. Backward rows also
  hand every contender y = f(x): kernels that differentiate from the saved
  output (PyTorch and oneDNN for sigmoid/tanh, actc's `_grad_from_y`) read
  it, as they would in training.
- **Sizes**: 4096 elements (x and y: 32 KiB, L1), 262144 (2 MiB: L2 and
  L3 here, 1 MiB of L2 per core), 64M (512 MiB: DRAM), one thread; 64M
  again on two threads (each contender on two halves at once; PyTorch with
  `set_num_threads(2)`, since it keeps the GIL).
- **Timing**: each contender is warmed up and calibrated to batches of
  about 0.5 ms (one call at 64M); then 15 rounds (5 at 64M) each run every
  contender once, starting from a different one each round. Cells show
  the median rate [min-max] and the ratio to the fastest *peer* of the row
  (in bold); actc and the bandwidth limits are not peers.
- **Bandwidth limits** (64M rows only): "limit: copy" is a STREAM copy
  (y = x; backward dx = x + dy) with ordinary stores, "limit: NT stores"
  the same traffic with non-temporal stores (y = 3x; dx = x * dy): the
  most an elementwise kernel can reach out of cache.
- **Accuracy** (max ULP, beside each speed): every contender runs once over
  a sample and is compared with exact values from the MPFR references of
  `test/Inputs/reference.c` (gradients: a 400-bit central difference of
  them; inputs within the step of a kink are left out). f32: every multiple
  of 2^-12 in [-8, 8] (131072 points) plus 65536 wide-range points
  (|x| log-uniform in [2^-30, 2^7]); bf16: every bf16 value with |x| <= 128.
  Cells read "max on [-8, 8] / max over all"; errors where the exact result
  is below 2^-126 count in units of 2^-126 (flushing costs at most 1).
  This is a **sampled** maximum, not the exhaustive search of actc's own
  accuracy tool. **NaN** marks a NaN or infinity where the exact result is
  finite. Large values are real: e.g. the textbook exact GELU,
  0.5x(1 + erf(x/sqrt 2)), cancels to 0 below x = -5.5 (2^24 ULP), and a
  backward from y = sigmoid(x) rounded to 1.0 returns 0.
- **Peers, as their users call them**: oneDNN primitives created once per
  shape (oneDNN has no SELU);
  XNNPACK operators (2022 snapshot: f32 sigmoid, ELU, leaky ReLU,
  hardswish, clamp and softmax; no tanh/GELU/SiLU/softplus/mish or
  log_softmax, no backward, no bf16); Eigen array expressions with its
  vectorized logistic/tanh/erf/exp/expm1/log1p; SLEEF's AVX-512 u10 functions (u35
  where SLEEF has one: tanh) under the same formulas as the loops
  (bench/formulas.h, torch.nn's definitions and their analytic gradients);
  PyTorch's ATen ops (`out=` variants) in an embedded interpreter, so each
  call pays ~1-2 us of Python dispatch, visible at 4096; OpenBLAS `sgemm`
  then one bias+activation pass.
EOF
  echo
  echo "## Compile time"
  echo
  echo "Wall time of \`actc --only NAME --mcpu native --dtype f32\` (median of 3 runs; the"
  echo "driver's start-up included), all kernels of one activation; goal: under 200 ms."
  echo
  echo "| activation | precision mode | wall ms | kernels | under 200 ms |"
  echo "|---|---|---:|---:|---|"
  awk -F'\t' '{ goal = $1 ~ /^all/ ? "(a whole spec)" : ($3 < 200 ? "yes" : "**no**")
                printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, goal }' \
    "$OUT/compile-times.tsv"
  echo
  echo "Where the time goes (start-up, MLIR passes, LLVM O3, code generation; \`actc"
  echo "--time-report\`): [compile-time.md](compile-time.md)."
  echo
  cat "$OUT/tables.md"
} >"$doc"
echo "bench: wrote $doc in $((elapsed / 60)) min $((elapsed % 60)) s"
