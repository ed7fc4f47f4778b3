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

# The Python bindings' tests, under Debian's python3 (the first python3 on
# PATH may be another interpreter). pytest exits 5 when it collected no test:
# that is a failure here, not a pass.
if ls build/python_bindings/actc/_actc*.so >/dev/null 2>&1; then
  log=$(mktemp)
  PYTHONPATH=build/python_bindings PYTHONDONTWRITEBYTECODE=1 \
    /usr/bin/python3 -m pytest -q \
    -p no:cacheprovider python_bindings/test 2>&1 | tee "$log"
  pystatus=${PIPESTATUS[0]}
  summary=$(grep -E '(passed|failed|skipped|error|no tests ran).* in [0-9.]+s' "$log" |
    tail -1 | sed 's/=//g; s/^ *//; s/ *$//')
  rm -f "$log"
  if [ "$pystatus" -eq 5 ]; then
    echo "pytest: no tests collected from python_bindings/test"
    pystatus=1
  else
    echo "pytest: ${summary:-no summary (exit $pystatus)}"
  fi
else
  echo "pytest: the Python bindings were not built (scripts/install-deps.sh" \
    "installs python3-dev, python3-numpy, pybind11-dev)"
  pystatus=1
fi

[ "$status" -eq 0 ] && [ "$pystatus" -eq 0 ]
