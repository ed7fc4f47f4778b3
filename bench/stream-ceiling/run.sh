#!/usr/bin/env bash
# run.sh [N] [ROUNDS] [MISALIGN] [FILTER...]: builds ceiling.c against
# actc's fast sigmoid/tanh gradient kernels (build/bin/actc, or $ACTC; the
# plain build, and one with --stream-bytes=65536 prefixed s_, whose
# streaming form then runs at 262144 too) and runs it: N elements (default
# 262144), ROUNDS interleaved rounds (31), arrays offset by MISALIGN floats
# (0), only the contenders whose names contain a FILTER (all).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
actc=${ACTC:-$here/../../build/bin/actc}
d=$(mktemp -d /tmp/stream-ceiling.XXXX)
trap 'rm -rf "$d"' EXIT
flags=(--only sigmoid,tanh --precision=fast --mcpu native --kernels grad,grad_from_y)
"$actc" "${flags[@]}" -o "$d/k.o"
"$actc" "${flags[@]}" --stream-bytes=65536 -o "$d/s.o"
objcopy --prefix-symbols=s_ "$d/s.o"
"$here/gen-variants.sh" "$d/variants.h"
clang-22 -O2 -march=native -w -I"$d" -I"$here/.." "$here/ceiling.c" "$d/k.o" "$d/s.o" -lm \
  -o "$d/ceiling"
"$d/ceiling" "${1:-262144}" "${2:-31}" "${3:-0}" "${@:4}"
