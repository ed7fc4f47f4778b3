#!/usr/bin/env bash
# The README's second command: builds if needed and runs every test (lit:
# the IR of each pass, the driver, and executable kernel tests).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh || exit 1

log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv build/test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(awk '/^ *Passed *:/ {print $2}' "$log")
failed=$(awk '/^ *(Failed|Unresolved|Timed Out|Unexpectedly Passed) *:/ {n += $NF ~ /%/ ? $(NF-1) : $NF} END {print n + 0}' "$log")
rm -f "$log"
echo "lit: ${passed:-0} passed, ${failed} failed"
exit "$status"
