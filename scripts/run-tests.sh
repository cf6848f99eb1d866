#!/usr/bin/env bash
# The test suite: type check, then vitest; ends with one plain "tests: N passed, N failed" line
# (scripts/test-summary.mjs), in which a test file that could not run counts as failed.
# Arguments go to vitest. GRIF_TEST_REPORT names the JSON report (default .tmp/vitest-results.json).
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
mkdir -p .tmp
report="$(readlink -f "${GRIF_TEST_REPORT:-.tmp/vitest-results.json}")"
# A report left by an earlier run must not stand in for this one.
rm -f "$report"
if ! npx tsc -p tsconfig.json --noEmit; then
  echo "the type check failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@"
rc=$?
node scripts/test-summary.mjs "$report" "$rc"
summary_rc=$?
[ "$rc" -ne 0 ] && exit "$rc"
exit "$summary_rc"
