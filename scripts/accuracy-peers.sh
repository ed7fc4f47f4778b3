#!/usr/bin/env bash
# The accuracy of the benchmark's peers (tools/act-accuracy/peers.cpp over
# bench/formulas.h), measured by tools/act-accuracy like actc's kernels:
# one markdown table per peer and mode, f32, default parameters.
#
#   scripts/accuracy-peers.sh [BUILD] [STRIDE] [forward|grad]
#
# Defaults: build, 97 (44,278,014 inputs each; 1 is every float32), forward.
# Peers whose library is not installed are left out (stderr says which).
# ACT_ACCURACY names the tool (default BUILD/bin/act-accuracy); RAW=DIR keeps
# each run's output; PEERS="loops libmvec sleef onednn torch eigen xnnpack" and
# FUNCTIONS=a,b select. torch: PyTorch in an embedded /usr/bin/python3
# (python3-torch), left out where it does not import.
# MARGIN=V passes --margin V to the tool (see scripts/accuracy-table.sh).
set -euo pipefail
build=${1:-build}
stride=${2:-97}
mode=${3:-forward}
here=$(cd "$(dirname "$0")/.." && pwd)
tool=${ACT_ACCURACY:-$build/bin/act-accuracy}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$here/tools/act-accuracy/peers.cpp
inc=(-I"$here/bench")
declare -A flags=(
  [loops]="-O2 -fno-tree-vectorize -DPEER_LOOPS -lm"
  [libmvec]="-O3 -march=native -ffast-math -DPEER_LIBMVEC -lm"
  [sleef]="-O3 -march=native -DPEER_SLEEF -lsleef"
  [onednn]="-O2 -DPEER_ONEDNN -ldnnl"
  [torch]="-O2 -DPEER_TORCH $(/usr/bin/python3-config --includes 2>/dev/null) $(/usr/bin/python3-config --embed --ldflags 2>/dev/null)"
  [eigen]="-O3 -march=native -DPEER_EIGEN -I/usr/include/eigen3"
  [xnnpack]="-O2 -DPEER_XNNPACK -lXNNPACK -lpthreadpool"
)
declare -A names=(
  [loops]="glibc scalar loops (g++ -O2, expf/tanhf/erff)"
  [libmvec]="gcc -O3 -march=native -ffast-math loops (libmvec)"
  [sleef]="SLEEF 3.5 u10, AVX-512"
  [onednn]="oneDNN eltwise"
  [torch]="PyTorch (ATen ops, one thread)"
  [eigen]="Eigen 3.4 array expressions, AVX-512"
  [xnnpack]="XNNPACK (2022 snapshot), forward only"
)
functions=sigmoid,tanh,relu,leaky_relu,elu,selu,softplus,gelu,gelu_tanh,silu,mish,hard_swish
opts=()
if [ -n "${MARGIN:-}" ]; then opts+=(--margin "$MARGIN"); fi
if [ "$mode" = grad ]; then opts+=(--grad --min-abs 0x1p-20); fi
for peer in ${PEERS:-loops libmvec sleef onednn torch eigen xnnpack}; do
  # shellcheck disable=SC2086
  if ! g++ -std=c++17 -shared -fPIC "${inc[@]}" "$src" -o "$tmp/$peer.so" \
         ${flags[$peer]} 2> "$tmp/$peer.err"; then
    echo "$peer: not built: $(grep -m1 -E 'error|fatal' "$tmp/$peer.err")" >&2
    continue
  fi
  if [ "$mode" = grad ] && ! nm -D "$tmp/$peer.so" | grep -q '_grad_f32$'; then
    echo "$peer: no gradients" >&2
    continue
  fi
  echo
  echo "### ${names[$peer]} ($mode, stride $stride)"
  echo
  if [ "$mode" = grad ]; then
    echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | > 2 ULP | wrong specials | kinks skipped | \|f'\| < 2^-20 |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  else
    echo "| function | max ULP | worst x | > 0.5 ULP | > 1 ULP | wrong specials |"
    echo "| --- | --- | --- | --- | --- | --- |"
  fi
  for f in ${functions//,/ }; do
    case ",${FUNCTIONS:-$f}," in *",$f,"*) ;; *) continue ;; esac
    symbol=${peer}_${f}_f32
    if [ "$mode" = grad ]; then symbol=${peer}_${f}_grad_f32; fi
    nm -D "$tmp/$peer.so" | grep -q " $symbol$" || continue
    out=$("$tool" --stride "$stride" "${opts[@]}" --ref "$f" "$tmp/$peer.so" "${peer}_$f" || true)
    if [ -n "${RAW:-}" ]; then echo "$out" > "$RAW/$peer-$f-$mode.txt"; fi
    awk -v name="$f" -v mode="$mode" '
      /f32: max/ { max = $4; x = $9 }
      /^  inputs/ { gsub(",", ""); over05 = $8; over1 = $12; over2 = $16 }
      /skipped:/ { gsub(",", ""); kinks = $2; floor = $4 }
      /wrong specials/ { sp = $3 + $5 + $7 }
      END {
        if (mode == "grad")
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, max,
                 x, over05, over1, over2, sp, kinks, floor
        else
          printf "| %s | %s | %s | %s | %s | %s |\n", name, max, x, over05,
                 over1, sp
      }' <<< "$out"
  done
done
