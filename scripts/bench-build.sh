#!/usr/bin/env bash
# Builds the side-by-side benchmark (bench/) into $BUILD/bench/actc-bench:
#   - actc kernels: one object per activation, dtype and precision mode
#     (`actc --only NAME --mcpu native`), each compile timed (the
#     compile-time table), global symbols renamed per mode (actc_fast_...);
#   - one object per peer whose headers and library are installed; a peer
#     that fails to compile or link is left out (its columns read n/a) and
#     listed in $OUT/peers.txt with the reason.
# Usage: scripts/bench-build.sh [BUILD_DIR]   (default: build; needs
# BUILD_DIR/bin/actc). Writes $OUT/compile-times.tsv and $OUT/peers.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${1:-${BUILD:-build}}
ACTC=${ACTC:-$BUILD/bin/actc} # ACTC=path: another actc, output still in $BUILD/bench
OUT=$BUILD/bench
JOBS=${JOBS:-2}
[ -x "$ACTC" ] || { echo "bench-build: $ACTC not found (build actc first)" >&2; exit 1; }
mkdir -p "$OUT/actc" "$OUT/obj"

CXX=${CXX_BENCH:-g++}
CXXFLAGS=(-std=c++17 -O2 -march=native -DNDEBUG -Ibench -Itest/Inputs)
# BENCH_FUNCTIONS, BENCH_DTYPES, BENCH_COMPILE_RUNS: a subset, for a short
# run (scripts/bench-grad.sh); the other kernels read n/a.
# shellcheck disable=SC2206
FUNCTIONS=(${BENCH_FUNCTIONS:-sigmoid tanh relu leaky_relu elu selu softplus gelu gelu_tanh silu mish hard_swish softmax log_softmax})

# --- actc: precision modes -------------------------------------------------
probe=$OUT/actc/probe
modes=()
for mode in fast accurate; do
  if "$ACTC" --only relu --mcpu native --precision="$mode" -o "$probe.o" 2>/dev/null; then
    modes+=("$mode")
  fi
done
[ ${#modes[@]} -gt 0 ] || modes=(default)
rm -f "$probe.o"

ms_now() { date +%s%N; }

# One activation: compile (timed, 3 runs for f32), rename, record.
: >"$OUT/compile-times.tsv"
: >"$OUT/actc/failures.txt"
actc_objects=()
for mode in "${modes[@]}"; do
  precision=()
  [ "$mode" = default ] || precision=(--precision="$mode")
  for dtype in ${BENCH_DTYPES:-f32 bf16}; do
    for fn in "${FUNCTIONS[@]}"; do
      obj=$OUT/actc/$mode-$fn-$dtype.o
      runs=1
      [ "$dtype" = f32 ] && runs=${BENCH_COMPILE_RUNS:-3}
      times=()
      ok=1
      for ((r = 0; r < runs; ++r)); do
        t0=$(ms_now)
        if ! "$ACTC" --only "$fn" --mcpu native --dtype "$dtype" "${precision[@]}" \
          -o "$obj.tmp" --header "$OUT/actc/$mode-$fn-$dtype.h" 2>"$obj.err"; then
          ok=0
          break
        fi
        times+=($(( ($(ms_now) - t0) / 1000000 )))
      done
      if [ $ok = 0 ]; then
        printf '%s\t%s\t%s\t%s\n' "$mode" "$dtype" "$fn" "$(head -1 "$obj.err")" \
          >>"$OUT/actc/failures.txt"
        rm -f "$obj" "$obj.tmp"
        continue
      fi
      kernels=$(nm --defined-only -g "$obj.tmp" | awk '$2 == "T" {print $3}')
      nm --defined-only -g "$obj.tmp" | awk -v p="actc_${mode}_" '{print $3, p $3}' >"$obj.syms"
      objcopy --redefine-syms="$obj.syms" "$obj.tmp" "$obj"
      rm -f "$obj.tmp"
      actc_objects+=("$obj")
      [ "$dtype" = f32 ] && printf '%s\t%s\t%s\t%s\t%s\n' "$fn" "$mode" \
        "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" \
        "$(echo "$kernels" | grep -c . || true)" "$(echo $kernels)" >>"$OUT/compile-times.tsv"
    done
  done
  # The whole set in one spec, timed once per mode.
  t0=$(ms_now)
  if "$ACTC" --only "$(IFS=,; echo "${FUNCTIONS[*]}")" --mcpu native --dtype f32 \
    "${precision[@]}" -o "$OUT/actc/all-$mode.o" 2>/dev/null; then
    printf 'all %d\t%s\t%s\t%s\t\n' "${#FUNCTIONS[@]}" "$mode" $(( ($(ms_now) - t0) / 1000000 )) \
      "$(nm --defined-only -g "$OUT/actc/all-$mode.o" | awk '$2 == "T"' | grep -c . || true)" \
      >>"$OUT/compile-times.tsv"
  fi
done

# --- peers -----------------------------------------------------------------
: >"$OUT/peers.txt"
peer_objects=()
libs=()
# peer NAME SOURCE "FLAGS" "LIBS" [DEFINE]: compile, and keep it if a test
# link of it alone succeeds.
peer() {
  local name=$1 src=$2 flags=$3 plibs=$4 obj=$OUT/obj/$1.o
  # shellcheck disable=SC2086
  if ! $CXX "${CXXFLAGS[@]}" $flags -c "$src" -o "$obj" 2>"$obj.err"; then
    echo "$name: not built: $(grep -m1 -E 'error|fatal' "$obj.err")" >>"$OUT/peers.txt"
    return
  fi
  # shellcheck disable=SC2086
  if ! $CXX -o "$obj.linktest" "$OUT/obj/stub.o" "$obj" $plibs -pthread 2>"$obj.err"; then
    echo "$name: not linked: $(grep -m1 -E 'undefined|cannot find' "$obj.err")" >>"$OUT/peers.txt"
    return
  fi
  rm -f "$obj.linktest"
  echo "$name: built" >>"$OUT/peers.txt"
  peer_objects+=("$obj")
  # shellcheck disable=SC2206
  libs+=($plibs)
}

echo 'int main() { return 0; }' | $CXX -x c++ -c - -o "$OUT/obj/stub.o"
FAST=(-O3 -march=native -ffast-math)
peer loops-fast bench/peer_loops.cpp "${FAST[*]} -DLOOPS_FAST" "-lm"
peer loops-scalar bench/peer_loops.cpp "-O2 -fno-tree-vectorize -DLOOPS_SCALAR" "-lm"
peer bandwidth bench/peer_bandwidth.cpp "-O3" ""
peer sleef bench/peer_sleef.cpp "-O3" "-lsleef"
peer eigen bench/peer_eigen.cpp "-O3 -I/usr/include/eigen3" ""
peer onednn bench/peer_onednn.cpp "" "-ldnnl"
peer xnnpack bench/peer_xnnpack.cpp "" "-lXNNPACK -lpthreadpool"
peer openblas bench/peer_openblas.cpp "${FAST[*]} -I/usr/include/x86_64-linux-gnu/openblas-pthread" \
  "-L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas"
PY=/usr/bin/python3
if $PY -c 'import torch' 2>/dev/null; then
  peer torch bench/peer_torch.cpp "$($PY-config --includes)" "$($PY-config --embed --ldflags)"
else
  echo "torch: not built: /usr/bin/python3 cannot import torch" >>"$OUT/peers.txt"
fi
if [ ${#actc_objects[@]} -gt 0 ]; then
  peer actc bench/peer_actc.cpp "" ""
fi

# --- the harness -------------------------------------------------------------
gcc -O2 -Itest/Inputs -c test/Inputs/reference.c -o "$OUT/obj/reference.o"
$CXX "${CXXFLAGS[@]}" -c bench/harness.cpp -o "$OUT/obj/harness.o"
$CXX "${CXXFLAGS[@]}" -c bench/main.cpp -o "$OUT/obj/main.o"
$CXX "${CXXFLAGS[@]}" "${FAST[@]}" -c bench/forward_values.cpp -o "$OUT/obj/forward_values.o"
# shellcheck disable=SC2068
$CXX -o "$OUT/actc-bench" "$OUT/obj/main.o" "$OUT/obj/harness.o" "$OUT/obj/reference.o" \
  "$OUT/obj/forward_values.o" \
  "${peer_objects[@]}" "${actc_objects[@]}" ${libs[@]} -lmpfr -lgmp -lm -pthread
echo "bench-build: $OUT/actc-bench (actc modes: ${modes[*]}; $(grep -c ': built' "$OUT/peers.txt") peers)"
