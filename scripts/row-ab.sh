#!/usr/bin/env bash
# Interleaved A/B of the row kernels (softmax, log_softmax forward,
# log_softmax_grad) of two actc builds in one process (scripts/row-ab.c):
#
#   scripts/row-ab.sh OLD_ACTC NEW_ACTC [ROWSxCOLS...]
#
# Shapes default to 256x1000 and 8x32000. Environment: DTYPE (f64, the
# default, or f32), MCPU (default native; x86-64-v3 for the portable
# default), PRECISION (accurate, the default, or fast), ROUNDS (default 21). Prints
# per kernel and shape the median of the per-round speed ratios new/old
# (> 1: new faster), their range and both medians in ns/element (thread
# CPU time).
set -euo pipefail
old=$1 new=$2
shift 2
shapes=${*:-256x1000 8x32000}
here=$(cd "$(dirname "$0")" && pwd)
dtype=${DTYPE:-f64}
d=$(mktemp -d /tmp/row-ab.XXXX)
trap 'rm -rf "$d"' EXIT
flags=(--only softmax,log_softmax --dtype "$dtype" --mcpu "${MCPU:-native}" --kernels forward,grad --precision "${PRECISION:-accurate}")
"$old" "${flags[@]}" -o "$d/old.o"
"$new" "${flags[@]}" -o "$d/new.o"
objcopy --prefix-symbols=old_ "$d/old.o"
clang-22 -O2 -march=native -I"$here/../bench" $([ "$dtype" = f32 ] && echo -DROW_F32) "$here/row-ab.c" "$d/old.o" "$d/new.o" -lm -o "$d/ab"
for shape in $shapes; do "$d/ab" "${shape%x*}" "${shape#*x}" "${ROUNDS:-21}"; done
