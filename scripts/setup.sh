#!/usr/bin/env bash
# The README's first command: installs the Debian packages actc needs, builds
# it into build/ and runs the demo (examples/). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
scripts/demo.sh
