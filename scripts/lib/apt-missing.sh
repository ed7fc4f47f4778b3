# Sourced by scripts/install-deps.sh and scripts/install-bench-deps.sh:
# installs, with apt-get, those of the given Debian packages that are not
# installed yet, so that a second run is instant. Run as root, or with sudo.
#
#   install_missing TAG required|optional PACKAGE...
#
# required: every package must install (apt-get's failure is the script's).
# optional: a package the archive lacks is reported and skipped.

install_missing() {
  local tag=$1 mode=$2
  shift 2
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "$tag: all $# packages present"
    return 0
  fi

  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$mode" = optional ]; then
    $sudo apt-get update || echo "$tag: apt-get update failed; using the old lists" >&2
    local available=()
    for package in "${missing[@]}"; do
      if [[ "$(apt-cache policy "$package")" =~ Candidate:\ [^\(] ]]; then
        available+=("$package")
      else
        echo "$tag: $package is not in the archive; skipped" >&2
      fi
    done
    [ ${#available[@]} -eq 0 ] && return 0
    missing=("${available[@]}")
  else
    $sudo apt-get update
  fi
  echo "$tag: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}
