#!/usr/bin/env bash
# Installs what virtmoment needs to build and test on Debian 12 (run as root, or with
# sudo available). Idempotent; quiet unless something fails.
set -euo pipefail

packages=(
  # build
  gcc g++ meson ninja-build pkg-config python3
  libglib2.0-dev libxml2-dev libjson-c-dev libedit-dev
  # tests: libvirt's schemas, headers, clients and test driver to compare against
  libxml2-utils libvirt-clients libvirt-daemon libvirt-dev python3-libvirt
  # the QEMU driver and its tests
  qemu-system-x86 qemu-utils
  # bench/bench-qemu-backup.py: nbdcopy reads the pull backups
  libnbd-bin
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
