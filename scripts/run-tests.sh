#!/usr/bin/env bash
# The test suite: type check, then vitest; ends with one plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
mkdir -p .tmp
npx tsc -p tsconfig.json --noEmit || exit 1
npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest-results.json "$@"
rc=$?
node -e '
  const fs = require("fs");
  try {
    const r = JSON.parse(fs.readFileSync(".tmp/vitest-results.json", "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  } catch (e) { console.log("tests: no results were written"); }
'
exit $rc
