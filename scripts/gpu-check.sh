#!/usr/bin/env bash
# The GPU check (docs/gpu.md), one command for a machine with an NVIDIA GPU:
# compiles every prelude activation for the GPU (sm_90 unless GPU_ARCH says
# otherwise) and for the CPU, runs each GPU kernel (elementwise: forward,
# grad, bias; softmax, log_softmax: row forward and gradient, rows of 1000;
# f32, f64, bf16 and f16) on random and special inputs against the CPU
# kernel (max ULP of the element type), times it at n = 256M (GPU_CHECK_N)
# against cuMemcpyDtoD of the same element type, and prints one table.
#
#   scripts/gpu-check.sh              run (prints "skipped: no GPU" without one)
#   scripts/gpu-check.sh --prepare    only build the objects into
#                                     build/gpu-check (for a GPU machine
#                                     without LLVM: carry build/gpu-check there)
#   scripts/gpu-check.sh --build-only the objects and the harness, linked
#                                     against the stub libcuda; no run
#
# Then scripts/gpu-driver-check.c runs the loader against the real driver
# (errors, 16 threads' first launches, a re-created context, 70 contexts
# through the loader's 64 slots), and scripts/gpu-exhaustive.c every f32
# input (2^32) and every bf16/f16 input through each forward and gradient
# kernel, GPU against CPU (about two minutes on an H200 with 16 cores;
# GPU_CHECK_EXHAUSTIVE=0 skips it).
#
# Needs: cc, the CUDA driver (libcuda) and cuda.h (CUDA_PATH, default
# /usr/local/cuda); build/bin/actc (ACTC) or prepared objects. No network.
# GPU_CHECK_OUT moves build/gpu-check; GPU_CHECK_PRECISION=fast compiles
# both sides with --precision=fast (default accurate).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${GPU_CHECK_OUT:-build/gpu-check}
actc=${ACTC:-build/bin/actc}
cuda=${CUDA_PATH:-/usr/local/cuda}
arch=${GPU_ARCH:-sm_90}
precision=${GPU_CHECK_PRECISION:-accurate}
rows=softmax,log_softmax
dtypes=f32,f64,bf16,f16
prelude=identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink

prepare() {
  mkdir -p "$out"
  if [ ! -x "$actc" ]; then
    scripts/build.sh >/dev/null
  fi
  "$actc" --only "$prelude,$rows" --dtype "$dtypes" --target nvptx64 \
    --gpu-arch "$arch" --precision "$precision" -o "$out/gpu.o" --header "$out/gpu.h"
  "$actc" --only "$prelude,$rows" --dtype "$dtypes" --precision "$precision" -o "$out/cpu.o" \
    --header "$out/cpu.h"
  # One ENTRY(name, runtime parameters, default) per activation, from the
  # GPU header's comments ("alpha = 0.25: runtime parameter").
  awk '
    /^\/\* [a-z_0-9]+\(x/ { name = $2; sub(/\(.*/, "", name); params = 0; value = "0" }
    /: runtime parameter/ { params++; value = $4; sub(/:$/, "", value); value = "(float)" value }
    $0 ~ "^int " name "_f32_cuda\\(.*int64_t n," { printf "ENTRY(%s, %d, %s)\n", name, params, value }
  ' "$out/gpu.h" > "$out/kernels.def"
  # One ROW(name) per row activation ("int64_t rows, int64_t cols, void *stream").
  sed -n 's/^int \([a-z_0-9]*\)_f32_cuda(const float \*x, float \*y, int64_t rows, .*/ROW(\1)/p' \
    "$out/gpu.h" > "$out/rows.def"
}

harness() {
  cc -O2 -std=c11 -ffp-contract=off -I"$out" -I"$cuda/include" \
    scripts/gpu-check.c "$out/gpu.o" "$out/cpu.o" -lcuda -lm \
    -L"$cuda/lib64/stubs" -o "$out/gpu-check"
  cc -O2 -std=c11 -I"$out" -I"$cuda/include" scripts/gpu-driver-check.c \
    "$out/gpu.o" -lcuda -lpthread -L"$cuda/lib64/stubs" -o "$out/gpu-driver-check"
  cc -O2 -std=c11 -I"$out" -I"$cuda/include" scripts/gpu-exhaustive.c \
    "$out/gpu.o" "$out/cpu.o" -lcuda -lpthread -lm -L"$cuda/lib64/stubs" \
    -o "$out/gpu-exhaustive"
}

case "${1:-}" in
--prepare)
  prepare
  echo "prepared $out: $(wc -l < "$out/kernels.def") activations, $(wc -l < "$out/rows.def") row activations"
  exit 0 ;;
--build-only)
  prepare
  harness
  echo "built $out/gpu-check: $(wc -l < "$out/kernels.def") activations, $(wc -l < "$out/rows.def") row activations"
  exit 0 ;;
esac

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "skipped: no GPU"
  exit 0
fi

# Prepared objects are used as they are (a machine without LLVM).
if [ ! -f "$out/kernels.def" ] || [ ! -f "$out/rows.def" ] || [ ! -f "$out/gpu.o" ]; then
  prepare
fi
nvidia-smi -L
harness
status=0
"$out/gpu-check" "${GPU_CHECK_N:-268435456}" || status=$?
"$out/gpu-driver-check" || status=$?
if [ "${GPU_CHECK_EXHAUSTIVE:-1}" != 0 ]; then
  "$out/gpu-exhaustive" || status=$?
fi
exit $status
