#!/usr/bin/env bash
# ab.sh OLD_ACTC NEW_ACTC NAMES N [ROUNDS] [KERNELS]: interleaved A/B of the
# fast kernels (f32, or DTYPE) of the activations NAMES (comma-separated) built by two
# actc binaries (or one with different environments: OLD_ENV / NEW_ENV,
# e.g. "ACT_X=1"), at N elements, ROUNDS rounds (default 21); KERNELS
# (default forward,grad,grad_from_y). Prints, per kernel, the median of the
# per-round speed ratios new/old, their range, and both medians in el/ns;
# DTYPE=f64 for the f64 kernels (same signatures, doubles).
# Also checks that both builds write bit-identical outputs.
set -euo pipefail
old=$1 new=$2 names=$3 n=$4 rounds=${5:-21} kinds=${6:-forward,grad,grad_from_y}
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d /tmp/stream-ab.XXXX)
dtype=${DTYPE:-f32}
flags=(--only "$names" --dtype $dtype --precision=fast --mcpu native --kernels "$kinds")
env ${OLD_ENV:-} "$old" "${flags[@]}" -o "$d/old.o"
env ${NEW_ENV:-} "$new" "${flags[@]}" -o "$d/new.o"
objcopy --prefix-symbols=old_ "$d/old.o"
syms=$(nm "$d/new.o" | awk -v t=_$dtype '$2 == "T" && $3 ~ t"$" && !/_bias|_matmul|_row/ { print $3 }' | sort)
{
  echo '#include "ab-run.h"'
  for s in $syms; do echo "void $s(void); void old_$s(void);"; done
  echo 'const struct Pair pairs[] = {'
  for s in $syms; do
    case $s in *_grad_from_y_f??|*_grad_f??) k=2 ;; *) k=1 ;; esac
    echo "  {\"$s\", (void *)old_$s, (void *)$s, $k},"
  done
  echo '};'
  echo 'const int npairs = sizeof(pairs) / sizeof(pairs[0]);'
} >"$d/ab.c"
# PADS (e.g. "0 32 64"): one program per pad of P bytes of code linked
# between the old and the new kernels, to see whether where the new loops
# land matters (docs/fusion.md "The 64M layout cliff").
for pad in ${PADS:-0}; do
  { printf '.section .note.GNU-stack,"",@progbits\n.text\n.globl ab_pad\nab_pad:\n'
    [ "$pad" -gt 0 ] && printf '.skip %d, 0x90\n' "$pad"; } >"$d/pad.s"
  cc -O2 -march=native -I"$here" -I"$here/.." "$d/ab.c" "$here/ab-run.c" "$d/old.o" \
    "$d/pad.s" "$d/new.o" -lm -o "$d/ab"
  [ -n "${PADS:-}" ] && echo "pad $pad: new kernels at $(nm "$d/ab" | awk '/ [Tt] [a-z]*_grad/ && !/old_/ {print $1, $3}' | head -3 | tr '\n' ' ')"
  "$d/ab" "$n" "$rounds" "$dtype"
done
rm -rf "$d"
