// The test suite's closing line, from vitest's JSON report: "tests: N passed, N failed[, N skipped]".
// A test file that failed outside its tests (it did not load, its setup threw) counts as failed, as
// does a run that wrote no report or that vitest ended in failure with no failed test (errors
// outside tests, such as an unhandled rejection): the line never says "0 failed" of a failed run.
// Usage: node scripts/test-summary.mjs REPORT.json VITEST_EXIT_CODE; exits 0 only when nothing failed.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

const [file, rcArg = '0'] = process.argv.slice(2);
const vitestRc = Number(rcArg);

/** A test file's path relative to the repository when it is inside it. */
function shortName(path) {
  const r = relative(process.cwd(), path);
  return r.startsWith('..') || isAbsolute(r) ? path : r;
}

function summarize(report) {
  const lines = [];
  let failed = report.numFailedTests;
  for (const t of report.testResults ?? []) {
    const failedTests = (t.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (t.status === 'failed' && failedTests === 0) {
      failed++;
      lines.push(`failed to run: ${shortName(t.name)}: ${(t.message || 'no message').split('\n')[0]}`);
    }
  }
  if (failed === 0 && vitestRc !== 0) {
    failed = 1;
    lines.push(`vitest exited with ${vitestRc} though every test passed (an error outside the tests: see above)`);
  }
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  lines.push(`tests: ${report.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
  return { lines, failed };
}

let out;
try {
  out = summarize(JSON.parse(readFileSync(file, 'utf8')));
} catch (e) {
  // No report: vitest stopped before running anything (a global setup threw, a bad option).
  out = { lines: [`vitest wrote no results (${e.code ?? e.message}; exit ${vitestRc})`, 'tests: 0 passed, 1 failed'], failed: 1 };
}
for (const l of out.lines) console.log(l);
process.exitCode = out.failed > 0 ? 1 : 0;
