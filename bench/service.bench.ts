/**
 * Stamping-service benchmark: N carriers (born-digital and scanned PDFs) through the real service
 * (drop folder → BullMQ queues on Redis → `grif worker` processes) with 1 and with 2 worker
 * processes, against the same carriers stamped in process by the CLI (`grif stamp DIR`).
 *
 * Untimed setup, in a temporary folder:
 *  - the fixtures of scripts/make-fixtures.ts are made (or reused) in --fixtures;
 *  - the corpus: --carriers PDFs (default 200), of which --scanned (default 50) are scans, spread
 *    evenly (carrier i is a scan when ⌊(i+1)·S/N⌋ > ⌊i·S/N⌋). Born-digital ones take turns among
 *    digital-kk-top-secret.pdf, digital-ru-secret.pdf and digital-two-pages-ru.pdf (2 pages);
 *    scans among the six scan-{kk,ru}-{secret,top-secret,special-importance}-300.pdf and
 *    scan-{kk,ru}-secret-200.pdf (one page each). All bear a Kazakh or Russian marking, so all are
 *    sent from KZ to KG and every one must end stamped in outbox/. Each carrier is its template
 *    loaded with @cantoo/pdf-lib, given its own /Subject ("grif service bench carrier cNNN") and
 *    saved in full (no object streams), so that every carrier has distinct bytes (SHA-256; the
 *    service rightly treats equal bytes as one carrier). Names: cNNN-<template>.pdf.
 *
 * Measured, phase by phase (load average printed before and after each):
 *  1. cli: `node dist/src/cli/main.js stamp CORPUS --from KZ --to KG --out OUT --receipt --json
 *     --no-progress` spawned once (its default OCR workers: one per core); wall clock from spawn
 *     to exit; the time each carrier's JSON line arrives (a carrier's time = the gap since the
 *     previous line; the first includes start-up); the process's CPU seconds (/proc/PID/stat)
 *     at its last line.
 *  2. service with 1, then 2 `grif worker` processes, each phase with a fresh data dir and a fresh
 *     Redis (startRedis: AOF everysec, noeviction, as `grif up` runs it):
 *     - this process runs the drop-folder watcher and intake (startService with `watcher` only,
 *       `grif up`'s watcher settings unless --stable-ms/--rescan-ms), as `grif up` would;
 *     - N workers: `node dist/src/cli/main.js worker --dir D --redis URL --log-level warn
 *       --ocr-workers K` with K = 2 for one process and 1 each for two (2 OCR threads in all
 *       either way; BullMQ concurrency per process: extract 2, decide 4, stamp 2); started and
 *       waited for (all 3 queues see N workers) before the clock starts;
 *     - every carrier is dropped into inbox/from-KZ/ as NAME.part then renamed, in corpus order,
 *       as fast as the file system takes them; the clock starts before the first drop;
 *     - the end: every carrier's receipt/reason/error JSON is present in outbox/, review/ or
 *       rejected/ (polled every 100 ms); wall time = the last job's finishedOn − the first drop;
 *     - then, before shutting down, every job of the three queues (Queue.getJobs: timestamp,
 *       processedOn, finishedOn) and the workers' CPU seconds (/proc/PID/stat). Per carrier:
 *       end-to-end = last job's finishedOn − its drop; processing = Σ over its 3 jobs of
 *       finishedOn − processedOn; waiting = end-to-end − processing, split into intake (drop →
 *       extract job added: watcher stability wait, hashing, store, register, add), extract queue
 *       wait, decide hand-over (extract finished → decide started) and stamp hand-over;
 *     - then --serial more carriers (default 8, scanned in the corpus's proportion, named sNNN-…,
 *       made the same way), dropped one at a time, each once the one before has ended: the same
 *       timings in an idle service, where waiting is intake and hand-over, not backlog;
 *     - checked: every carrier stamped in outbox/ (a .stamped.pdf and a receipt with status
 *       "stamped"), nothing in review/ or rejected/, no duplicates, one register row each.
 *  Queue overhead per job = (service wall − CLI wall) / carriers, as the issue defines it; the
 *  per-carrier waiting above is the direct measure. CPU overhead per carrier = (CPU seconds of the
 *  workers + this process from the first drop + Redis − the CLI's) / carriers: the extra work the
 *  service does, whatever runs at once.
 *
 * Usage: node dist/bench/service.bench.js [--json] [--carriers N] [--scanned N] [--serial N] [--phases cli,1,2]
 *        [--stable-ms MS] [--rescan-ms MS] [--timeout-min M] [--fixtures DIR] [--keep]
 * Not a unit test. Needs redis-server (apt-get install redis-server) and a build (npx tsc -p
 * tsconfig.build.json). Takes several minutes per phase on 2 cores.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { Job } from 'bullmq';

import type { CarrierRef } from '../src/service/carrier-ref.js';
import { silentLogger } from '../src/service/log.js';
import { STAGES, type Stage } from '../src/service/queues.js';
import { startRedis, type RedisHandle } from '../src/service/redis-server.js';
import { startService, type RunningService } from '../src/app/service.js';
import { makeFixtures } from '../scripts/make-fixtures.js';
import { repoRoot } from '../scripts/dev-support.js';

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    carriers: { type: 'string', default: '200' },
    scanned: { type: 'string', default: '50' },
    phases: { type: 'string', default: 'cli,1,2' },
    serial: { type: 'string', default: '8' },
    'stable-ms': { type: 'string' },
    'rescan-ms': { type: 'string' },
    'timeout-min': { type: 'string', default: '20' },
    fixtures: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});

const whole = (name: string, v: string, min = 0): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
};
const N = whole('carriers', opts.carriers, 1);
const SCANNED = whole('scanned', opts.scanned);
if (SCANNED > N) throw new Error('--scanned cannot exceed --carriers');
const SERIAL = whole('serial', opts.serial);
const SERIAL_SCANNED = Math.round((SERIAL * SCANNED) / N);
const PHASES = opts.phases.split(',').map((s) => s.trim()).filter(Boolean);
for (const p of PHASES) if (p !== 'cli' && !/^[1-9]$/.test(p)) throw new Error(`--phases: "${p}" is neither cli nor a number of worker processes`);
const STABLE_MS = opts['stable-ms'] !== undefined ? whole('stable-ms', opts['stable-ms'], 1) : undefined;
const RESCAN_MS = opts['rescan-ms'] !== undefined ? whole('rescan-ms', opts['rescan-ms'], 1) : undefined;
const TIMEOUT_MS = whole('timeout-min', opts['timeout-min'], 1) * 60_000;
const fixturesDir = resolve(opts.fixtures ?? join(repoRoot(), '.tmp', 'fixtures'));
const CLI = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const CORES = cpus().length;

const DIGITAL = ['digital-kk-top-secret.pdf', 'digital-ru-secret.pdf', 'digital-two-pages-ru.pdf'] as const;
const SCANS = [
  'scan-kk-secret-300.pdf',
  'scan-ru-secret-300.pdf',
  'scan-kk-top-secret-300.pdf',
  'scan-ru-top-secret-300.pdf',
  'scan-kk-special-importance-300.pdf',
  'scan-ru-special-importance-300.pdf',
  'scan-kk-secret-200.pdf',
  'scan-ru-secret-200.pdf',
] as const;

const log = (s: string): void => {
  process.stderr.write(`service.bench: ${s}\n`);
};

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const round = (x: number, d = 0): number => Math.round(x * 10 ** d) / 10 ** d;
const load = (): number[] => loadavg().map((x) => round(x, 2));
const fmt = (x: number): string => (Number.isNaN(x) ? '–' : Math.abs(x) < 10 ? x.toFixed(2) : Math.abs(x) < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // keep 100, Linux's usual value
}

/** User + system CPU seconds of a live process (all its threads), from /proc/PID/stat. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

// Every child process and Redis this bench starts, so that they are ended even on error or Ctrl-C.
const children = new Set<ChildProcess>();
const redises = new Set<RedisHandle>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping the workers and Redis`);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    void Promise.allSettled([...redises].map((r) => r.stop())).finally(() => process.exit(130));
  });
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

function machine() {
  let redisVersion = 'unknown';
  try {
    redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot(), encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return { cores: CORES, cpu: cpus()[0]?.model ?? 'unknown', memGiB: round(totalmem() / 2 ** 30, 1), node: process.version, redis: redisVersion, commit };
}

// ---------------------------------------------------------------------------------------------
// Corpus (untimed)

type Kind = 'digital' | 'scanned';

interface Carrier {
  readonly name: string;
  readonly path: string;
  readonly kind: Kind;
  readonly template: string;
  readonly pages: number;
  readonly sha256: string;
}

/** `count` carriers, `scanned` of them scans spread evenly; names PREFIXnnn-<template>. */
async function makeCorpus(dir: string, count: number, scannedCount: number, prefix: string): Promise<Carrier[]> {
  await mkdir(dir, { recursive: true });
  const templates = new Map<string, Uint8Array>();
  for (const t of [...DIGITAL, ...SCANS]) templates.set(t, await readFile(join(fixturesDir, t)));
  const out: Carrier[] = [];
  let d = 0;
  let s = 0;
  for (let i = 0; i < count; i++) {
    const scanned = Math.floor(((i + 1) * scannedCount) / count) > Math.floor((i * scannedCount) / count);
    const template = scanned ? SCANS[s++ % SCANS.length]! : DIGITAL[d++ % DIGITAL.length]!;
    const doc = await PDFDocument.load(templates.get(template)!, { updateMetadata: false });
    const no = String(i + 1).padStart(3, '0');
    doc.setSubject(`grif service bench carrier ${prefix}${no}`);
    const bytes = await doc.save({ useObjectStreams: false });
    const name = `${prefix}${no}-${template}`;
    const path = join(dir, name);
    await writeFile(path, bytes);
    out.push({ name, path, kind: scanned ? 'scanned' : 'digital', template, pages: doc.getPageCount(), sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the CLI, in one process

interface CliResult {
  readonly phase: 'cli';
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly wallMs: number;
  /** Spawn → first carrier's line: start-up + the first carrier. */
  readonly firstLineMs: number;
  readonly cpuSeconds: number | undefined;
  readonly stamped: number;
  readonly other: string[];
  /** Median gap between lines (a carrier's time), the first line left out. */
  readonly perCarrierMs: Record<Kind | 'all', number>;
}

async function runCli(corpus: readonly Carrier[], root: string): Promise<CliResult> {
  const corpusDir = join(root, 'corpus');
  const outDir = join(root, 'cli-out');
  await mkdir(outDir, { recursive: true });
  const kindOf = new Map(corpus.map((c) => [c.name, c.kind]));
  const loadBefore = load();
  log(`cli: load average ${loadBefore.join(' ')} before`);
  const t0 = performance.now();
  const child = track(
    spawn(process.execPath, [CLI, 'stamp', corpusDir, '--from', 'KZ', '--to', 'KG', '--out', outDir, '--receipt', '--json', '--no-progress'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const lines: { at: number; o: { file: string; status: string } }[] = [];
  let cpu: number | undefined;
  let stderr = '';
  let buf = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-8000)));
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      lines.push({ at: performance.now(), o: JSON.parse(line) as { file: string; status: string } });
      cpu = cpuSeconds(child.pid) ?? cpu;
      if (lines.length % 25 === 0) log(`cli: ${lines.length}/${corpus.length}`);
    }
  });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const wallMs = performance.now() - t0;
  const loadAfter = load();
  log(`cli: ${round(wallMs / 1000, 1)} s; load average ${loadAfter.join(' ')} after`);
  if (code !== 0) throw new Error(`grif stamp exited ${code}: ${stderr}`);
  const gaps: Record<Kind, number[]> = { digital: [], scanned: [] };
  for (let i = 1; i < lines.length; i++) {
    const name = lines[i]!.o.file.split('/').pop()!;
    gaps[kindOf.get(name) ?? 'digital'].push(lines[i]!.at - lines[i - 1]!.at);
  }
  return {
    phase: 'cli',
    loadBefore,
    loadAfter,
    wallMs,
    firstLineMs: lines[0] ? lines[0].at - t0 : NaN,
    cpuSeconds: cpu,
    stamped: lines.filter((l) => l.o.status === 'stamped').length,
    other: lines.filter((l) => l.o.status !== 'stamped').map((l) => `${l.o.file}: ${l.o.status}`),
    perCarrierMs: { digital: median(gaps.digital), scanned: median(gaps.scanned), all: median([...gaps.digital, ...gaps.scanned]) },
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the service, with W worker processes

interface StageMedians {
  readonly all: number;
  readonly digital: number;
  readonly scanned: number;
}

interface ServiceResult {
  readonly phase: 'service';
  readonly workers: number;
  readonly ocrWorkersEach: number;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly workerStartMs: number;
  /** First drop → the last job's finishedOn. */
  readonly wallMs: number;
  /** First drop → the bench saw the last result file. */
  readonly seenMs: number;
  /** First drop → last carrier renamed into the inbox. */
  readonly dropMs: number;
  /** Workers: since their start (start-up included, as the CLI's is); atReady: of that, before the first drop. */
  readonly cpuSeconds: { workers: (number | undefined)[]; workersAtReady: (number | undefined)[]; intakeProcess: number; redis: number | undefined };
  readonly outcome: { stamped: number; receiptsStamped: number; review: number; rejected: number; duplicates: number; registerRows: number; retries: number; failedJobs: number };
  /** The batch: medians per carrier, ms. */
  readonly perCarrier: PerCarrier;
  /** The batch: means per carrier, ms (they add up: processing + intake + extractWait + decideHandover + stampHandover = endToEnd). */
  readonly meanPerCarrier: Means;
  /** Σ of the batch's job processing times ÷ wall: how many jobs ran at once on average. */
  readonly busyJobs: number;
  /** After the batch: carriers dropped one at a time, each once the one before has ended (an idle service). */
  readonly serial: { readonly carriers: number; readonly stamped: number; readonly perCarrier: PerCarrier; readonly meanPerCarrier: Means };
}

type Timing = 'endToEnd' | 'processing' | 'waiting' | 'intake' | 'extractWait' | 'decideHandover' | 'stampHandover' | 'extract' | 'decide' | 'stamp';
type PerCarrier = Record<Timing, StageMedians>;
type Means = Record<'endToEnd' | 'processing' | 'intake' | 'extractWait' | 'decideHandover' | 'stampHandover', number>;
type Row = Record<Timing, number> & { kind: Kind };

/** A carrier's timings from its three jobs (undefined if one is missing). */
function rowOf(c: Carrier, drop: number, jobs: ReadonlyMap<Stage, ReadonlyMap<string, JobTimes>>): Row | undefined {
  const e = jobs.get('extract')?.get(c.name);
  const d = jobs.get('decide')?.get(c.name);
  const st = jobs.get('stamp')?.get(c.name);
  if (!e || !d || !st) return undefined;
  const processing = e.end - e.start + (d.end - d.start) + (st.end - st.start);
  return {
    kind: c.kind,
    endToEnd: st.end - drop,
    processing,
    waiting: st.end - drop - processing,
    intake: e.queued - drop,
    extractWait: e.start - e.queued,
    decideHandover: d.start - e.end,
    stampHandover: st.start - d.end,
    extract: e.end - e.start,
    decide: d.end - d.start,
    stamp: st.end - st.start,
  };
}

function summarise(rows: readonly Row[]): { perCarrier: PerCarrier; meanPerCarrier: Means } {
  const med = (k: Timing): StageMedians => ({
    all: median(rows.map((r) => r[k])),
    digital: median(rows.filter((r) => r.kind === 'digital').map((r) => r[k])),
    scanned: median(rows.filter((r) => r.kind === 'scanned').map((r) => r[k])),
  });
  const mean = (k: Timing): number => sum(rows.map((r) => r[k])) / Math.max(1, rows.length);
  const timings: Timing[] = ['endToEnd', 'processing', 'waiting', 'intake', 'extractWait', 'decideHandover', 'stampHandover', 'extract', 'decide', 'stamp'];
  return {
    perCarrier: Object.fromEntries(timings.map((k) => [k, med(k)])) as PerCarrier,
    meanPerCarrier: {
      endToEnd: mean('endToEnd'),
      processing: mean('processing'),
      intake: mean('intake'),
      extractWait: mean('extractWait'),
      decideHandover: mean('decideHandover'),
      stampHandover: mean('stampHandover'),
    },
  };
}

interface JobTimes {
  readonly queued: number;
  readonly start: number;
  readonly end: number;
  readonly attempts: number;
}

function spawnWorker(dataDir: string, redisUrl: string, ocrWorkers: number): { child: ChildProcess; stderr: () => string } {
  const child = track(
    spawn(process.execPath, [CLI, 'worker', '--dir', dataDir, '--redis', redisUrl, '--log-level', 'warn', '--ocr-workers', String(ocrWorkers)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-8000)));
  return { child, stderr: () => err };
}

const FOLDER_JSON = { outbox: '.receipt.json', review: '.reason.json', rejected: '.error.json' } as const;

async function ended(dataDir: string): Promise<{ n: number; duplicates: number }> {
  let n = 0;
  let duplicates = 0;
  for (const [folder, suffix] of Object.entries(FOLDER_JSON)) {
    const names = await readdir(join(dataDir, folder)).catch(() => [] as string[]);
    for (const f of names) {
      if (f.endsWith(suffix)) n++;
      else if (f.endsWith('.duplicate.json')) duplicates++;
    }
  }
  return { n, duplicates };
}

async function runService(corpus: readonly Carrier[], serial: readonly Carrier[], root: string, workers: number): Promise<ServiceResult> {
  const phaseDir = join(root, `service-${workers}`);
  const dataDir = join(phaseDir, 'data');
  const ocrWorkersEach = Math.max(1, Math.floor(CORES / workers));
  let redis: RedisHandle | undefined;
  let svc: RunningService | undefined;
  const procs: { child: ChildProcess; stderr: () => string }[] = [];
  try {
    redis = await startRedis({ dir: join(phaseDir, 'redis') });
    redises.add(redis);
    svc = await startService({
      dir: dataDir,
      redisUrl: redis.url,
      log: silentLogger(),
      agent: 'grif service.bench',
      watcher: { ...(STABLE_MS ? { stableMs: STABLE_MS } : {}), ...(RESCAN_MS ? { rescanMs: RESCAN_MS } : {}) },
    });
    const s = svc;
    const ts = performance.now();
    for (let i = 0; i < workers; i++) procs.push(spawnWorker(dataDir, redis.url, ocrWorkersEach));
    for (;;) {
      const counts = await Promise.all(STAGES.map((st) => s.queues[st].getWorkersCount()));
      if (counts.every((c) => c >= workers)) break;
      for (const p of procs) if (p.child.exitCode !== null) throw new Error(`a grif worker exited ${p.child.exitCode}: ${p.stderr()}`);
      if (performance.now() - ts > 60_000) throw new Error(`workers not ready after 60 s (${counts.join('/')})`);
      await sleep(100);
    }
    const workerStartMs = performance.now() - ts;
    const workerCpuAtReady = procs.map((p) => cpuSeconds(p.child.pid));

    const loadBefore = load();
    log(`service, ${workers} worker process(es) × ${ocrWorkersEach} OCR worker(s): load average ${loadBefore.join(' ')} before`);
    const inbox = join(dataDir, 'inbox', 'from-KZ');
    await mkdir(inbox, { recursive: true });
    const cpu0 = process.cpuUsage();
    const redisCpu0 = cpuSeconds(redis.pid);
    const dropAt = new Map<string, number>();
    const t0 = Date.now();
    for (const c of corpus) {
      await copyFile(c.path, join(inbox, `${c.name}.part`));
      await rename(join(inbox, `${c.name}.part`), join(inbox, c.name));
      dropAt.set(c.name, Date.now());
    }
    const dropMs = Date.now() - t0;
    let lastLog = 0;
    let state = await ended(dataDir);
    while (state.n + state.duplicates < corpus.length) {
      if (Date.now() - t0 > TIMEOUT_MS) throw new Error(`timed out after ${TIMEOUT_MS / 60_000} min: ${state.n} of ${corpus.length} ended`);
      for (const p of procs) if (p.child.exitCode !== null) throw new Error(`a grif worker exited ${p.child.exitCode}: ${p.stderr()}`);
      if (state.n >= lastLog + 25) {
        lastLog = state.n - (state.n % 25);
        log(`service ${workers}: ${state.n}/${corpus.length} ended, ${round((Date.now() - t0) / 1000, 1)} s`);
      }
      await sleep(100);
      state = await ended(dataDir);
    }
    const seenMs = Date.now() - t0;
    const intakeCpu = process.cpuUsage(cpu0);
    const redisCpu1 = cpuSeconds(redis.pid);
    const workerCpu = procs.map((p) => cpuSeconds(p.child.pid));
    const loadAfter = load();
    log(`service ${workers}: all ended, ${round(seenMs / 1000, 1)} s; load average ${loadAfter.join(' ')} after`);

    // One at a time into the now idle service: the hand-overs without a backlog.
    for (const [i, c] of serial.entries()) {
      await copyFile(c.path, join(inbox, `${c.name}.part`));
      await rename(join(inbox, `${c.name}.part`), join(inbox, c.name));
      dropAt.set(c.name, Date.now());
      const ts1 = Date.now();
      while ((await ended(dataDir)).n < corpus.length + i + 1) {
        if (Date.now() - ts1 > 120_000) throw new Error(`serial carrier ${c.name} did not end within 120 s`);
        await sleep(25);
      }
    }
    if (serial.length) log(`service ${workers}: ${serial.length} carriers one at a time; load average ${load().join(' ')}`);

    // Jobs, before anything shuts down.
    const jobs = new Map<Stage, Map<string, JobTimes>>();
    let failedJobs = 0;
    for (const stage of STAGES) {
      const m = new Map<string, JobTimes>();
      const list = (await s.queues[stage].getJobs(['completed'], 0, -1)) as Job<CarrierRef>[];
      failedJobs += await s.queues[stage].getFailedCount();
      for (const j of list) {
        if (j.processedOn === undefined || j.finishedOn === undefined) continue;
        m.set(j.data.name, { queued: j.timestamp, start: j.processedOn, end: j.finishedOn, attempts: j.attemptsMade });
      }
      jobs.set(stage, m);
    }

    // Outcomes.
    const outbox = await readdir(join(dataDir, 'outbox'));
    let stamped = 0;
    let receiptsStamped = 0;
    for (const c of corpus) {
      if (outbox.some((f) => f.startsWith(`${c.name}.`) && f.endsWith('.stamped.pdf'))) stamped++;
      const receipt = outbox.find((f) => f.startsWith(`${c.name}.`) && f.endsWith('.receipt.json'));
      if (receipt && (JSON.parse(await readFile(join(dataDir, 'outbox', receipt), 'utf8')) as { status?: string }).status === 'stamped') receiptsStamped++;
    }
    const review = (await readdir(join(dataDir, 'review'))).filter((f) => f.endsWith('.reason.json')).length;
    const rejected = (await readdir(join(dataDir, 'rejected'))).filter((f) => f.endsWith('.error.json')).length;
    const registerRows = (await s.register.count()).carriers;

    const serialStamped = serial.filter((c) => outbox.some((f) => f.startsWith(`${c.name}.`) && f.endsWith('.stamped.pdf'))).length;

    // Per carrier.
    let retries = 0;
    let lastEnd = 0;
    let batchJobsMs = 0;
    for (const c of corpus) {
      for (const stage of STAGES) {
        const j = jobs.get(stage)!.get(c.name);
        if (!j) continue;
        retries += Math.max(0, j.attempts - 1);
        lastEnd = Math.max(lastEnd, j.end);
        batchJobsMs += j.end - j.start;
      }
    }
    const rowsOf = (list: readonly Carrier[]): Row[] => list.flatMap((c) => rowOf(c, dropAt.get(c.name)!, jobs) ?? []);
    const batch = summarise(rowsOf(corpus));
    const wallMs = lastEnd - t0;
    return {
      phase: 'service',
      workers,
      ocrWorkersEach,
      loadBefore,
      loadAfter,
      workerStartMs,
      wallMs,
      seenMs,
      dropMs,
      cpuSeconds: {
        workers: workerCpu,
        workersAtReady: workerCpuAtReady,
        intakeProcess: (intakeCpu.user + intakeCpu.system) / 1e6,
        redis: redisCpu0 !== undefined && redisCpu1 !== undefined ? redisCpu1 - redisCpu0 : undefined,
      },
      outcome: { stamped, receiptsStamped, review, rejected, duplicates: state.duplicates, registerRows, retries, failedJobs },
      ...batch,
      busyJobs: batchJobsMs / wallMs,
      serial: { carriers: serial.length, stamped: serialStamped, ...summarise(rowsOf(serial)) },
    };
  } catch (err) {
    for (const p of procs) if (p.stderr()) log(`worker stderr: ${p.stderr().slice(-2000)}`);
    throw err;
  } finally {
    // Workers first (they finish nothing: every job has ended), then the intake, then Redis.
    await Promise.all(procs.map((p) => stopChild(p.child)));
    await svc?.close().catch((e: unknown) => log(`closing the intake: ${String(e)}`));
    if (redis) {
      await redis.stop().catch((e: unknown) => log(`stopping Redis: ${String(e)}`));
      redises.delete(redis);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  log(`fixtures in ${fixturesDir}`);
  await makeFixtures(fixturesDir);
  const root = await mkdtemp(join(tmpdir(), 'grif-service-bench-'));
  try {
    const corpus = await makeCorpus(join(root, 'corpus'), N, SCANNED, 'c');
    const serial = await makeCorpus(join(root, 'serial'), SERIAL, SERIAL_SCANNED, 's');
    const shas = [...corpus, ...serial].map((c) => c.sha256);
    if (new Set(shas).size !== shas.length) throw new Error('corpus: two carriers have the same bytes');
    const pages = { all: sum(corpus.map((c) => c.pages)), digital: sum(corpus.filter((c) => c.kind === 'digital').map((c) => c.pages)), scanned: sum(corpus.filter((c) => c.kind === 'scanned').map((c) => c.pages)) };
    const counts = { digital: corpus.filter((c) => c.kind === 'digital').length, scanned: corpus.filter((c) => c.kind === 'scanned').length };
    log(`corpus: ${corpus.length} carriers (${counts.digital} born-digital, ${counts.scanned} scanned), ${pages.all} pages, in ${root}`);

    const results: (CliResult | ServiceResult)[] = [];
    for (const p of PHASES) {
      results.push(p === 'cli' ? await runCli(corpus, root) : await runService(corpus, serial, root, Number(p)));
    }
    const cli = results.find((r): r is CliResult => r.phase === 'cli');
    const services = results.filter((r): r is ServiceResult => r.phase === 'service');
    const rate = (wallMs: number) => ({ carriersPerMin: corpus.length / (wallMs / 60_000), pagesPerSec: pages.all / (wallMs / 1000) });
    // CPU seconds of every process of the run: the CLI's; the workers' + the intake's (this process) + Redis's.
    const serviceCpu = (s: ServiceResult): number | undefined =>
      s.cpuSeconds.workers.some((x) => x === undefined) || s.cpuSeconds.redis === undefined
        ? undefined
        : sum(s.cpuSeconds.workers.map((x) => x!)) + s.cpuSeconds.intakeProcess + s.cpuSeconds.redis;
    const summary = {
      when: new Date().toISOString(),
      machine: machine(),
      corpus: { carriers: corpus.length, ...counts, pages, serial: { carriers: serial.length, scanned: serial.filter((c) => c.kind === 'scanned').length }, templates: { digital: DIGITAL, scanned: SCANS } },
      watcher: { stableMs: STABLE_MS ?? 'default (2000)', rescanMs: RESCAN_MS ?? 'default (30000)' },
      cli: cli ? { ...cli, ...rate(cli.wallMs), cpuPerCarrierMs: cli.cpuSeconds === undefined ? undefined : (cli.cpuSeconds * 1000) / corpus.length } : undefined,
      service: services.map((s) => {
        const cpu = serviceCpu(s);
        return {
          ...s,
          ...rate(s.wallMs),
          cpuPerCarrierMs: cpu === undefined ? undefined : (cpu * 1000) / corpus.length,
          ...(cli ? { overheadPerCarrierMs: (s.wallMs - cli.wallMs) / corpus.length } : {}),
          ...(cli?.cpuSeconds !== undefined && cpu !== undefined ? { cpuOverheadPerCarrierMs: ((cpu - cli.cpuSeconds) * 1000) / corpus.length } : {}),
          checksPassed:
            s.outcome.stamped === corpus.length &&
            s.outcome.receiptsStamped === corpus.length &&
            s.outcome.review === 0 &&
            s.outcome.rejected === 0 &&
            s.outcome.duplicates === 0 &&
            s.outcome.registerRows === corpus.length + serial.length &&
            s.serial.stamped === serial.length,
        };
      }),
    };
    const passed = (!summary.cli || summary.cli.stamped === corpus.length) && summary.service.every((s) => s.checksPassed);
    if (!passed) process.exitCode = 1;
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...summary, checksPassed: passed }, null, 2) + '\n');
      return;
    }
    const p = (s: string): void => {
      process.stdout.write(s + '\n');
    };
    const m = summary.machine;
    p(`run ${summary.when}, commit ${m.commit}; ${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, node ${m.node}, ${m.redis}`);
    p(`corpus: ${corpus.length} carriers (${counts.digital} born-digital, ${counts.scanned} scanned), ${pages.all} pages (${pages.digital} born-digital, ${pages.scanned} scanned); all KZ → KG; then ${serial.length} one at a time (${serial.filter((c) => c.kind === 'scanned').length} scanned)`);
    p(`watcher: stableMs ${summary.watcher.stableMs}, rescanMs ${summary.watcher.rescanMs}`);
    p(`checks (every carrier stamped, nothing in review/ or rejected/, no duplicate, one register row each): ${passed ? 'passed' : 'FAILED'}`);
    p('');
    const opt = (x: number | undefined): string => (x === undefined ? '–' : fmt(x));
    p('| run | worker processes × OCR threads | wall (s) | carriers/min | pages/s | queue overhead per job, wall (ms) | CPU per carrier (ms) | CPU overhead per carrier (ms) | stamped | load avg before → after |');
    p('|---|---|---|---|---|---|---|---|---|---|');
    if (summary.cli) {
      const c = summary.cli;
      p(`| CLI \`grif stamp\` | 1 process × ${CORES} | ${fmt(c.wallMs / 1000)} | ${fmt(c.carriersPerMin)} | ${fmt(c.pagesPerSec)} | – | ${opt(c.cpuPerCarrierMs)} | – | ${c.stamped}/${corpus.length} | ${c.loadBefore.join(' ')} → ${c.loadAfter.join(' ')} |`);
    }
    for (const s of summary.service) {
      p(`| service | ${s.workers} × ${s.ocrWorkersEach} | ${fmt(s.wallMs / 1000)} | ${fmt(s.carriersPerMin)} | ${fmt(s.pagesPerSec)} | ${opt(s.overheadPerCarrierMs)} | ${opt(s.cpuPerCarrierMs)} | ${opt(s.cpuOverheadPerCarrierMs)} | ${s.outcome.stamped}/${corpus.length} | ${s.loadBefore.join(' ')} → ${s.loadAfter.join(' ')} |`);
    }
    if (summary.cli) {
      const c = summary.cli;
      p('');
      p(`CLI: spawn → first line ${fmt(c.firstLineMs)} ms; per carrier (gap between lines, median): born-digital ${fmt(c.perCarrierMs.digital)} ms, scanned ${fmt(c.perCarrierMs.scanned)} ms; CPU ${c.cpuSeconds === undefined ? '–' : fmt(c.cpuSeconds)} s${c.other.length ? `; not stamped: ${c.other.join(', ')}` : ''}`);
    }
    for (const s of summary.service) {
      const pc = s.perCarrier;
      const sc = s.serial.perCarrier;
      p('');
      p(`service, ${s.workers} worker process(es) × ${s.ocrWorkersEach} OCR thread(s): workers ready in ${fmt(s.workerStartMs)} ms (untimed); drops took ${fmt(s.dropMs)} ms; last result seen at ${fmt(s.seenMs / 1000)} s`);
      p(`  outcome: batch ${s.outcome.stamped}/${corpus.length} stamped PDFs, ${s.outcome.receiptsStamped} receipts "stamped"; one at a time ${s.serial.stamped}/${s.serial.carriers} stamped; review ${s.outcome.review}, rejected ${s.outcome.rejected}, duplicates ${s.outcome.duplicates}, register rows ${s.outcome.registerRows}, retries ${s.outcome.retries}, failed jobs ${s.outcome.failedJobs}`);
      p(`  CPU s (batch): workers ${s.cpuSeconds.workers.map((x) => (x === undefined ? '–' : fmt(x))).join(' + ')} (of which start-up, before the first drop: ${s.cpuSeconds.workersAtReady.map((x) => (x === undefined ? '–' : fmt(x))).join(' + ')}), intake process ${fmt(s.cpuSeconds.intakeProcess)}, Redis ${s.cpuSeconds.redis === undefined ? '–' : fmt(s.cpuSeconds.redis)}; jobs running at once on average ${fmt(s.busyJobs)}`);
      p('');
      p(`  | per carrier, median ms | batch: all | batch: born-digital | batch: scanned | one at a time: all | born-digital | scanned |`);
      p('  |---|---|---|---|---|---|---|');
      const rowsOut: [string, Timing][] = [
        ['end-to-end (drop → last job finished)', 'endToEnd'],
        ['processing (Σ of its 3 jobs)', 'processing'],
        ['  extract job', 'extract'],
        ['  decide job', 'decide'],
        ['  stamp job', 'stamp'],
        ['waiting (end-to-end − processing)', 'waiting'],
        ['  intake (drop → extract job added)', 'intake'],
        ['  extract queue wait', 'extractWait'],
        ['  decide hand-over (extract end → decide start)', 'decideHandover'],
        ['  stamp hand-over (decide end → stamp start)', 'stampHandover'],
      ];
      for (const [label, k] of rowsOut) {
        const v = pc[k];
        const w = sc[k];
        p(`  | ${label} | ${fmt(v.all)} | ${fmt(v.digital)} | ${fmt(v.scanned)} | ${fmt(w.all)} | ${fmt(w.digital)} | ${fmt(w.scanned)} |`);
      }
      for (const [what, mp] of [['batch', s.meanPerCarrier], ['one at a time', s.serial.meanPerCarrier]] as const) {
        p(`  means, ${what}: end-to-end ${fmt(mp.endToEnd)} = processing ${fmt(mp.processing)} + intake ${fmt(mp.intake)} + extract wait ${fmt(mp.extractWait)} + decide hand-over ${fmt(mp.decideHandover)} + stamp hand-over ${fmt(mp.stampHandover)}`);
      }
    }
  } finally {
    if (opts.keep) log(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

await main();
