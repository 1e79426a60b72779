#!/usr/bin/env bash
# Installs the dependencies, builds virtmoment and runs a short vmsh session on the
# embedded test host (test:///default): the domain, a snapshot tree with a revert,
# checkpoints and a backup job followed to its end, in one vmsh process.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

exec build/tools/vmsh/vmsh -c test:///default '
  echo "--- the domain";
  list --all;
  dominfo test;
  echo "--- snapshots: a tree with a branch";
  snapshot-create-as test base --description "before the upgrade";
  snapshot-create-as test upgraded;
  snapshot-revert test base;
  snapshot-create-as test experiment;
  snapshot-list test --tree;
  snapshot-info test --current;
  echo "--- a full backup with a checkpoint, then an incremental one";
  checkpoint-create-as test c1 --description "first checkpoint";
  backup-begin test --wait;
  domjobinfo test --completed;
  checkpoint-create-as test c2;
  checkpoint-list test --parent;
  checkpoint-dumpxml test c2 --no-domain
'
