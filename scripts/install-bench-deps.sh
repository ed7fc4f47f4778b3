#!/usr/bin/env bash
# Installs the Debian 12 packages of the peers that bench/ measures actc
# against (issue 5), and only those that are missing, so a second run is
# instant. A package the archive lacks is reported and skipped: the harness
# then prints its columns as "n/a". Run as root, or with sudo available.
set -euo pipefail

PACKAGES=(
  libdnnl-dev      # oneDNN: eltwise forward/backward, matmul + bias + post-op
  libxnnpack-dev   # XNNPACK: unary operators
  libpthreadpool-dev # xnnpack.h includes pthreadpool.h (not a dependency in Debian)
  libeigen3-dev    # Eigen 3.4: array ops, vectorized tanh/logistic/erf
  libsleef-dev     # SLEEF: u10 / u35 vector functions
  libopenblas-dev  # OpenBLAS sgemm + a separate activation pass
  python3-torch    # PyTorch 1.13, eltwise forward/backward on one thread
  libmpfr-dev      # the accuracy columns' reference
  gcc              # glibc libm / libmvec loops
)

. "$(dirname "$0")/lib/apt-missing.sh"
install_missing install-bench-deps optional "${PACKAGES[@]}"
