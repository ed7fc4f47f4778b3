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

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-bench-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update || echo "install-bench-deps: apt-get update failed; using the old lists" >&2
available=()
for package in "${missing[@]}"; do
  policy=$(apt-cache policy "$package")
  if [[ "$policy" =~ Candidate:\ [^\(] ]]; then
    available+=("$package")
  else
    echo "install-bench-deps: $package is not in the archive; its columns will read n/a" >&2
  fi
done
[ ${#available[@]} -eq 0 ] && exit 0
echo "install-bench-deps: installing ${available[*]}"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${available[@]}"
