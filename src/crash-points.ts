/**
 * Failpoints for the tests that kill a process between two steps (test/service/crash-points.test.ts,
 * test/cli/cli.test.ts):
 * with GRIF_CRASH_AT=POINT in its environment, a process kills itself with SIGKILL when it reaches
 * POINT, as a power cut or the OOM killer would, leaving no chance to clean up. Points are named
 * `before-commit:TRANSITION` (its outputs written, its register event not yet) and
 * `after-commit:TRANSITION` (the event committed, the folders not yet published), and
 * `output-written` (an output's temporary file written, not yet renamed into place), and
`mid-wipe:destroyed` (a destroyed carrier's first file wiped, the rest not). Unset, as in
 * every real run, a point costs one comparison. One more point is not a SIGKILL: `pdf-thread`
 * makes a PDF extraction thread die of an uncaught error as it takes a carrier
 * (src/extract/pdf/pdf-thread.ts; the environment is the one the thread was started with).
 */
export function crashPoint(point: string): void {
  const at = process.env['GRIF_CRASH_AT'];
  if (at && at === point) {
    process.kill(process.pid, 'SIGKILL');
    // Nothing after the point may run while the signal is on its way.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
}
