// Faults the service must survive without losing a carrier or writing one twice: a worker killed
// with SIGKILL mid-job, Redis restarted mid-batch, a batch dropped while no worker runs, a job
// delivered twice. Workers are real `grif worker` processes; the drop-folder watcher runs here.
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/index.js';
import { sha256Of } from '../../src/service/data-dir.js';
import { loadRef } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { jobIdOf, jobOptions, STAGES } from '../../src/service/queues.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { drop, spawnWorker, stopProcess, tempDataDir, waitAllEnded, waitFor } from '../helpers/service.js';

let redis: TestRedis | undefined;
let dir: string | undefined;
let intake: RunningService | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) await stopProcess(c, 'SIGKILL');
  await intake?.close();
  intake = undefined;
  await redis?.stop();
  redis = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Redis, a data dir and the drop-folder watcher (no workers: those are processes of their own). */
async function setUp(): Promise<{ redis: TestRedis; dir: string; intake: RunningService }> {
  redis = await startTestRedis();
  dir = await tempDataDir();
  intake = await startService({ dir, redisUrl: redis.url, log: silentLogger(), agent: 'grif test', watcher: { rescanMs: 500, stableMs: 200 } });
  return { redis, dir, intake };
}

function worker(d: string, url: string): ChildProcess {
  const w = spawnWorker(d, url);
  children.push(w);
  return w;
}

const SCANS: readonly (readonly [string, PartyId])[] = [
  ['scan-kk-secret-300.pdf', 'KZ'],
  ['scan-ky-top-secret-300.pdf', 'KG'],
  ['scan-ru-special-importance-300.pdf', 'KZ'],
  ['scan-kk-top-secret-300.pdf', 'KZ'],
  ['scan-ru-secret-300.pdf', 'KG'],
  ['scan-ky-secret-200.pdf', 'KG'],
];

async function dropAll(d: string, list: readonly (readonly [string, PartyId])[], prefix: string): Promise<string[]> {
  const names: string[] = [];
  for (const [f, from] of list) {
    const name = `${prefix}-${f}`;
    await drop(d, from, join(FIXTURES, f), name);
    names.push(name);
  }
  return names;
}

/** One register row per carrier, one outcome each, and at most one stamped PDF per carrier. */
async function checkOnce(svc: RunningService, d: string, names: readonly string[]): Promise<void> {
  const entries = await svc.register.list({ limit: 1000 });
  expect(entries).toHaveLength(names.length);
  for (const e of entries) {
    expect(e.events.filter((x) => x.key === `${e.id}:outcome` || x.key === `${e.id}:review`), e.name).toHaveLength(1);
  }
  const outbox = await readdir(join(d, 'outbox'));
  for (const n of names) expect(outbox.filter((f) => f.startsWith(`${n}.`) && f.endsWith('.stamped.pdf')).length, n).toBeLessThanOrEqual(1);
}

describe('faults', () => {
  it('a worker killed with SIGKILL mid-job loses no carrier: another worker takes its jobs over', async () => {
    const { redis, dir, intake } = await setUp();
    const first = worker(dir, redis.url);
    const names = await dropAll(dir, SCANS, 'kill');
    await waitFor('a job in hand', async () => (await intake.queues.extract.getActiveCount()) > 0, 60_000, 100);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // The killed worker's jobs are stalled until their lock runs out (GRIF_LOCK_MS=4000 in the
    // worker's environment), then go back to the queue.
    worker(dir, redis.url);
    await waitAllEnded(dir, names, 180_000);
    for (const n of names) expect((await readdir(join(dir, 'outbox'))).some((f) => f.startsWith(`${n}.`) && f.endsWith('.stamped.pdf')), n).toBe(true);
    await checkOnce(intake, dir, names);
  }, 240_000);

  it('Redis restarted mid-batch loses no carrier, and the running worker takes new carriers after it', async () => {
    const { redis, dir, intake } = await setUp();
    worker(dir, redis.url);
    const names = await dropAll(dir, SCANS.slice(0, 4), 'restart');
    await waitFor('the first carrier to end', async () => (await readdir(join(dir, 'outbox'))).some((f) => f.endsWith('.receipt.json')), 120_000);
    await redis.restart();
    await waitAllEnded(dir, names, 180_000);
    // The same worker process, never restarted, takes carriers dropped after the restart.
    const later = await dropAll(dir, [['digital-ru-secret.pdf', 'KZ'], ['digital-kk-top-secret.pdf', 'KZ']], 'after');
    await waitAllEnded(dir, later, 120_000);
    await checkOnce(intake, dir, [...names, ...later]);
  }, 360_000);

  it('a batch dropped while every worker is down is processed when one comes back', async () => {
    const { redis, dir, intake } = await setUp();
    const names = await dropAll(dir, [['digital-ru-secret.pdf', 'KZ'], ['digital-unmarked-ru.pdf', 'KG'], ['scan-kk-secret-200.pdf', 'KZ']], 'down');
    await waitFor('all queued', async () => (await intake.queues.extract.getWaitingCount()) === names.length, 30_000);
    // Queued, registered, and still in the inbox: nothing is removed before its result is written.
    expect((await intake.register.count()).carriers).toBe(names.length);
    expect((await readdir(join(dir, 'inbox', 'from-KZ'))).length + (await readdir(join(dir, 'inbox', 'from-KG'))).length).toBe(names.length);
    worker(dir, redis.url);
    await waitAllEnded(dir, names, 120_000);
    await checkOnce(intake, dir, names);
  }, 180_000);

  it('a job delivered twice yields one output and one register row', async () => {
    const { redis, dir, intake } = await setUp();
    worker(dir, redis.url);
    const [name] = await dropAll(dir, [['digital-kk-top-secret.pdf', 'KZ']], 'twice');
    await waitAllEnded(dir, [name!], 60_000);
    const outbox = await readdir(join(dir, 'outbox'));
    const pdf = outbox.find((f) => f.startsWith(`${name}.`) && f.endsWith('.stamped.pdf'))!;
    const before = sha256Of(await readFile(join(dir, 'outbox', pdf)));
    const entry = (await intake.register.list())[0]!;
    const ref = (await loadRef(intake.dir, entry.id))!;
    // BullMQ forgets removed jobs; deliver every stage's job again, as at-least-once delivery may.
    for (const stage of STAGES) await (await intake.queues[stage].getJob(jobIdOf(ref)))?.remove();
    for (const stage of STAGES) await intake.queues[stage].add(stage, ref, jobOptions(jobIdOf(ref)));
    await waitFor('the jobs to be done', async () => {
      const counts = await Promise.all(STAGES.map((s) => intake.queues[s].getJobCounts('wait', 'active', 'delayed')));
      return counts.every((c) => (c['wait'] ?? 0) + (c['active'] ?? 0) + (c['delayed'] ?? 0) === 0);
    }, 60_000);
    expect((await readdir(join(dir, 'outbox'))).filter((f) => f.startsWith(`${name}.`))).toEqual(outbox.filter((f) => f.startsWith(`${name}.`)));
    expect(sha256Of(await readFile(join(dir, 'outbox', pdf)))).toBe(before);
    await checkOnce(intake, dir, [name!]);
  }, 120_000);

  it('a drop that pauses halfway (half a PDF, 5 s still, the rest) is processed once, whole, and nothing is rejected', async () => {
    const { redis, dir, intake } = await setUp();
    worker(dir, redis.url);
    const whole = await readFile(join(FIXTURES, 'digital-ru-secret.pdf'));
    const path = join(dir, 'inbox', 'from-KZ', 'paused.pdf');
    const { appendFile, writeFile } = await import('node:fs/promises');
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await new Promise((r) => setTimeout(r, 5000));
    expect((await intake.register.count()).carriers).toBe(0);
    await appendFile(path, whole.subarray(Math.floor(whole.length / 2)));
    await waitAllEnded(dir, ['paused.pdf'], 60_000);
    const entries = await intake.register.list();
    expect(entries.map((e) => [e.name, e.inputSha256])).toEqual([['paused.pdf', sha256Of(whole)]]);
    expect(await readdir(join(dir, 'rejected'))).toEqual([]);
    expect((await readdir(join(dir, 'outbox'))).filter((n) => n.endsWith('.stamped.pdf'))).toHaveLength(1);
  }, 90_000);
});
