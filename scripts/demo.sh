#!/usr/bin/env bash
# Installs the dependencies, builds virtmoment and runs a short vmsh session on the
# embedded test host (test:///default): the domain, its snapshot tree, checkpoints
# and a backup job, all in one vmsh process.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

set -x
build/tools/vmsh/vmsh -c test:///default '
  list --all;
  dominfo test;
  dumpxml test
'
