#!/usr/bin/env bash
# Installs the dependencies, builds virtmoment with -Werror, runs the whole test
# suite, then runs it again under AddressSanitizer and UndefinedBehaviorSanitizer.
# The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0
run_suite() {   # build directory, extra meson options...
  local dir=$1; shift
  if [ ! -d "$dir" ]; then
    meson setup "$dir" -Dwerror=true "$@" >/dev/null || { failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
    cat "$dir.build.log"
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2 | tee "$dir.test.log"
  local ok fail xfail xpass timeout skip
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  xfail=$(sed -n 's/^Expected Fail: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  xpass=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  timeout=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  skip=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -1)
  passed=$((passed + ${ok:-0} + ${xfail:-0}))
  failed=$((failed + ${fail:-0} + ${xpass:-0} + ${timeout:-0}))
  skipped=$((skipped + ${skip:-0}))
  [ -n "$ok" ] || failed=$((failed + 1))
}

run_suite build
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite build-sanitize -Db_sanitize=address,undefined -Db_lundef=false

echo "$skipped skipped (a prerequisite was missing)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
