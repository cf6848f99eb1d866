/**
 * Thread-heap bench: what a heap cap on a worker thread does to pdf.js's CPU cost, and what the
 * growth flag grif sets (src/extract/pdf/pdf-threads.ts) gives back. The finding behind issue 12's
 * service regression (BENCHMARKS.md "The regression found and removed").
 *
 * Each mode runs in a process of its own (a V8 flag is process-wide), where one Worker draws page 1
 * of 60 born-digital carriers at 72 dpi (renderPdfPages, the ink map's drawing) for 4 rounds:
 *  - uncapped: a Worker with no resource limits;
 *  - capped: maxOldGenerationSizeMb 512, as the PDF threads have (ExtractLimits.maxHeapMb);
 *  - capped+growth: the same, with --heap-growing-percent=300 set before the Worker starts.
 * Measured: the process's CPU time (process.cpuUsage: every thread) and the wall time per carrier,
 * over rounds 2 to 4 (round 1 loads pdf.js and its fonts).
 *
 *   npm run build && node dist/bench/thread-heap.bench.js [--fixtures .tmp/fixtures]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { repoRoot } from '../scripts/dev-support.js';
import { makeFixtures } from '../scripts/make-fixtures.js';

const MODES = ['uncapped', 'capped', 'capped+growth'] as const;
type Mode = (typeof MODES)[number];
const TEMPLATES = ['digital-kk-top-secret.pdf', 'digital-ru-secret.pdf', 'digital-two-pages-ru.pdf'];
const CARRIERS = 60;
const ROUNDS = 4;

interface Result {
  readonly mode: Mode;
  readonly cpuMs: number;
  readonly wallMs: number;
}

async function drawAll(files: readonly string[]): Promise<void> {
  const { renderPdfPages } = (await import(new URL('../src/extract/pdf/render-pages.js', import.meta.url).href)) as typeof import('../src/extract/pdf/render-pages.js');
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  let cpu = 0;
  let wall = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < CARRIERS; i++) await renderPdfPages(files[i % files.length]!, bytes[i % bytes.length]!.slice(), [1], { dpi: 72 });
    const c = process.cpuUsage(c0);
    if (round > 1) {
      cpu += (c.user + c.system) / 1000;
      wall += performance.now() - t0;
    }
  }
  parentPort!.postMessage({ cpuMs: cpu / (CARRIERS * (ROUNDS - 1)), wallMs: wall / (CARRIERS * (ROUNDS - 1)) });
}

/** One mode, in this process: a Worker (this file) draws, this thread waits. */
async function runMode(mode: Mode, files: readonly string[]): Promise<Result> {
  if (mode === 'capped+growth') setFlagsFromString('--heap-growing-percent=300');
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { files },
    ...(mode === 'uncapped' ? {} : { resourceLimits: { maxOldGenerationSizeMb: 512 } }),
  });
  const r = await new Promise<{ cpuMs: number; wallMs: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return { mode, ...r };
}

if (!isMainThread) {
  await drawAll((workerData as { files: string[] }).files);
} else {
  const { values } = parseArgs({ options: { fixtures: { type: 'string' }, mode: { type: 'string' } } });
  const fixtures = values.fixtures ?? join(repoRoot(), '.tmp', 'fixtures');
  const files = TEMPLATES.map((t) => join(fixtures, t));
  if (values.mode) {
    process.stdout.write(JSON.stringify(await runMode(values.mode as Mode, files)) + '\n');
  } else {
    await makeFixtures(fixtures);
    const before = loadavg().map((x) => x.toFixed(2)).join(' ');
    const rows: Result[] = [];
    for (const mode of MODES) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--mode', mode, '--fixtures', fixtures], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${mode}: ${child.stderr}`);
      rows.push(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Result);
    }
    console.log(`${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}; load average ${before} before, ${loadavg().map((x) => x.toFixed(2)).join(' ')} after`);
    console.log(`page 1 of ${CARRIERS} born-digital carriers drawn at 72 dpi in a Worker, rounds 2-${ROUNDS}, per carrier:\n`);
    console.log('| mode | CPU (ms) | wall (ms) |\n|---|---|---|');
    for (const r of rows) console.log(`| ${r.mode} | ${r.cpuMs.toFixed(1)} | ${r.wallMs.toFixed(1)} |`);
  }
}
