#!/usr/bin/env bash
# Installs the Debian 12 packages actc needs, and only when one is missing
# (so a second run is instant). Run as root, or with sudo available.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build clang-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # tests: the C compiler for the executable tests, MPFR as the reference
  gcc libmpfr-dev python3
  # Python bindings (for /usr/bin/python3) and their tests; python3-torch is
  # large (~1 GB with its dependencies) but only the actc.torch tests need it
  python3-dev python3-numpy pybind11-dev python3-pytest python3-torch
)

. "$(dirname "$0")/lib/apt-missing.sh"
install_missing install-deps required "${PACKAGES[@]}"
