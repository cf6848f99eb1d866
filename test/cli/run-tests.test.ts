// scripts/run-tests.sh's closing line counts every failure: a failed test, and a test file that
// could not run at all (it throws while loading, its setup throws). Run here on test files of its
// own in a temporary folder, with a vitest config of their own, so that nothing fails in the suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/carriers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the suite script on these test files (globals on: no import of vitest from outside the repository). */
function runTests(files: Record<string, string>, extraArgs: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'grif-run-tests-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { globals: true, include: ['*.check.mjs'] } };\n");
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'run-tests.sh'), '--config', join(dir, 'vitest.config.mjs'), '--root', dir, ...extraArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GRIF_TEST_REPORT: join(dir, 'report.json') },
  });
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, lines, last: lines.at(-1) ?? '' };
}

describe('scripts/run-tests.sh summary line', () => {
  it('counts a file that fails to load and one whose setup throws as failed, beside a failed test', () => {
    const r = runTests({
      'a-load.check.mjs': "throw new Error('boom at load');\n",
      'b-setup.check.mjs': "beforeAll(() => { throw new Error('boom in setup'); });\nit('never runs', () => {});\n",
      'c-mixed.check.mjs': "it('passes', () => {});\nit('fails', () => { expect(1).toBe(2); });\n",
      'd-ok.check.mjs': "it('passes too', () => {});\n",
    });
    expect(r.last).toBe('tests: 2 passed, 3 failed, 1 skipped');
    expect(r.lines).toContainEqual(expect.stringMatching(/^failed to run: .*a-load\.check\.mjs: boom at load$/));
    expect(r.lines).toContainEqual(expect.stringMatching(/^failed to run: .*b-setup\.check\.mjs: boom in setup$/));
    expect(r.code).not.toBe(0);
  }, 120_000);

  it('a file that only fails to load is not "0 failed"', () => {
    const r = runTests({ 'a-load.check.mjs': "throw new Error('boom at load');\n", 'd-ok.check.mjs': "it('passes', () => {});\n" });
    expect(r.last).toBe('tests: 1 passed, 1 failed');
    expect(r.code).not.toBe(0);
  }, 120_000);

  it('no report at all (vitest stopped before running) is a failure', () => {
    const r = runTests({ 'd-ok.check.mjs': "it('passes', () => {});\n" }, ['--no-such-vitest-option']);
    expect(r.last).toBe('tests: 0 passed, 1 failed');
    expect(r.code).not.toBe(0);
  }, 120_000);

  it('a clean run says 0 failed and exits 0', () => {
    const r = runTests({ 'd-ok.check.mjs': "it('passes', () => {});\nit('passes too', () => {});\n" });
    expect(r.last).toBe('tests: 2 passed, 0 failed');
    expect(r.code).toBe(0);
  }, 120_000);
});
