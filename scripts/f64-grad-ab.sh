#!/usr/bin/env bash
# Interleaved A/B of the f64 gradient kernels (--precision=accurate) of two
# actc builds in one process (scripts/f64-grad-ab.c):
#
#   scripts/f64-grad-ab.sh OLD_ACTC NEW_ACTC NAMES [N...]
#
# NAMES comma-separated (swish runs with beta = 1); N the element counts
# (default 4096 262144). Environment: MCPU (default native), ROUNDS
# (default 31). Prints per kernel the median of the per-round speed ratios
# new/old (> 1: new faster), their range, both medians in ns/element.
set -euo pipefail
old=$1 new=$2 names=$3
shift 3
sizes=${*:-4096 262144}
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d /tmp/f64-grad-ab.XXXX)
trap 'rm -rf "$d"' EXIT
flags=(--only "$names" --dtype f64 --precision=accurate --mcpu "${MCPU:-native}" --kernels grad)
"$old" "${flags[@]}" -o "$d/old.o"
"$new" "${flags[@]}" -o "$d/new.o"
objcopy --prefix-symbols=old_ "$d/old.o"
list= decls=
for name in ${names//,/ }; do
  [ "$name" = swish ] && list+="KP($name)" || list+="K($name)"
  decls+="K($name)"
done
clang-22 -O2 -march=native -I"$here/../bench" -DKERNELS="$decls" -DLIST="$list" "$here/f64-grad-ab.c" \
  "$d/old.o" "$d/new.o" -lm -o "$d/ab"
for n in $sizes; do "$d/ab" "$n" "${ROUNDS:-31}"; done
