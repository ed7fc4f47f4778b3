#!/usr/bin/env bash
# The exhaustive tables of docs/accuracy.md: every float32 input, one table
# after another (accurate forward, accurate grad, fast forward, fast grad),
# each written to OUT/NAME.md as soon as it is done, each run's full output
# kept in OUT/raw-NAME/. Run it under `nice -n 19` on a shared machine:
#   nohup nice -n 19 scripts/accuracy-exhaustive.sh build OUT &
# (ACTC / ACT_ACCURACY / FUNCTIONS as for scripts/accuracy-table.sh).
set -euo pipefail
build=${1:-build}
out=${2:-accuracy-exhaustive}
mkdir -p "$out"
here=$(dirname "$0")
for t in "accurate forward" "accurate grad" "fast forward" "fast grad"; do
  set -- $t
  name=$1-$2
  mkdir -p "$out/raw-$name"
  echo "$(date -u +%H:%M:%S) start $name" >> "$out/log"
  RAW=$out/raw-$name "$here/accuracy-table.sh" "$build" 1 "$1" "$2" \
    > "$out/$name.md.part"
  mv "$out/$name.md.part" "$out/$name.md"
  echo "$(date -u +%H:%M:%S) done $name" >> "$out/log"
done
