// A worker killed (SIGKILL, no chance to clean up) between writing a transition's outputs and
// committing it, and again between committing it and publishing the folders, at every transition a
// worker makes. After a new worker starts, each carrier ends as if nothing had happened: one event
// of each kind, one output, in the folder its state names, nothing left half-written. Workers are
// real `grif worker` processes (GRIF_CRASH_AT, src/crash-points.ts); each case has its own
// data dir and Redis database, and the cases of one kind run side by side.
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/index.js';
import { lastTransition } from '../../src/register/register.js';
import { FINAL_STATES, type CarrierState } from '../../src/register/states.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { resultNames } from '../../src/service/outcome-files.js';
import { loadRef } from '../../src/service/data-dir.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { folderProblems } from '../helpers/folders.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { spawnWorker, stopProcess, tempDataDir, waitFor } from '../helpers/service.js';

/** Each transition a worker commits, and a carrier whose way goes through it. */
const CASES: readonly { transition: string; fixture: string; from: PartyId; ends: CarrierState }[] = [
  { transition: 'extracted', fixture: 'digital-ru-secret.pdf', from: 'KZ', ends: 'stamped' },
  { transition: 'to-stamp', fixture: 'digital-ru-secret.pdf', from: 'KZ', ends: 'stamped' },
  { transition: 'stamped', fixture: 'digital-ru-secret.pdf', from: 'KZ', ends: 'stamped' },
  { transition: 'unmarked', fixture: 'digital-unmarked-ru.pdf', from: 'KZ', ends: 'unchanged' },
  { transition: 'already-marked', fixture: 'digital-ky-special-importance.pdf', from: 'KZ', ends: 'unchanged' },
  { transition: 'review', fixture: 'conflict-kk-ru.pdf', from: 'KZ', ends: 'review' },
  { transition: 'rejected', fixture: 'truncated.pdf', from: 'KG', ends: 'rejected' },
];

let redis: TestRedis;
const dirs: string[] = [];
const services: RunningService[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
}, 30_000);

afterAll(async () => {
  for (const c of children) await stopProcess(c, 'SIGKILL');
  for (const s of services) await s.close();
  await redis?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function exited(child: ChildProcess, what: string, timeoutMs = 90_000): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: the worker never reached its crash point`)), timeoutMs);
    child.once('exit', (_code, signal) => {
      clearTimeout(t);
      resolve(signal);
    });
  });
}

/** Every name in the folders and the store that is a temporary file of an unfinished write. */
async function temps(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const f of ['outbox', 'review', 'rejected', 'store', 'work', 'work/results']) {
    for (const n of await readdir(join(root, f)).catch(() => [] as string[])) if (n.endsWith('.part')) found.push(`${f}/${n}`);
  }
  return found;
}

async function runCase(mode: 'before-commit' | 'after-commit', c: (typeof CASES)[number], db: number): Promise<void> {
  const what = `${mode}:${c.transition}`;
  const url = `${redis.url}/${db}`;
  const dir = await tempDataDir();
  dirs.push(dir);
  const service = await startService({ dir, redisUrl: url, log: silentLogger(), agent: 'grif test' });
  services.push(service);
  const accepted = await acceptCarrier(service.intake, {
    bytes: await readFile(join(FIXTURES, c.fixture)),
    name: c.fixture,
    from: c.from,
    to: c.from === 'KZ' ? 'KG' : 'KZ',
    intake: 'http',
  });
  const id = accepted.carrierId;

  const doomed = spawnWorker(dir, url, { GRIF_CRASH_AT: what });
  children.push(doomed);
  expect(await exited(doomed, what), what).toBe('SIGKILL');
  const kinds = async () => (await service.register.carrier(id))!.events.map((e) => e.kind);
  // Killed at the point: the transition committed, or not, as the point says.
  expect((await kinds()).includes(c.transition as never), what).toBe(mode === 'after-commit');

  const worker = spawnWorker(dir, url);
  children.push(worker);
  await waitFor(`${what}: the carrier to end ${c.ends}`, async () => {
    const state = lastTransition((await service.register.carrier(id))!)?.state;
    return state === c.ends && (await folderProblems(dir, service.register)).length === 0;
  }, 120_000);
  await stopProcess(worker);

  const entry = (await service.register.carrier(id))!;
  for (const k of new Set(entry.events.map((e) => e.kind))) expect(entry.events.filter((e) => e.kind === k).length, `${what}: ${k} events`).toBe(1);
  expect(FINAL_STATES.includes(c.ends) || c.ends === 'review', what).toBe(true);
  expect(await folderProblems(dir, service.register), what).toEqual([]);
  // One output: the stamped PDF the register names (a second stamping, after a kill before the commit, is kept in the store, never published).
  const ref = (await loadRef(service.dir, id))!;
  const outbox = await readdir(service.dir.outbox);
  expect(outbox.filter((n) => n.endsWith('.stamped.pdf')), what).toEqual(c.ends === 'stamped' ? [resultNames(service.dir, ref, 'outbox').stamped.split('/').pop()] : []);
  expect(await temps(dir), what).toEqual([]);
}

describe('a worker killed between writing a transition\u2019s outputs and committing it', () => {
  it(`at each of ${CASES.length} transitions, the carrier ends once and correctly after a restart`, async () => {
    await Promise.all(CASES.map((c, i) => runCase('before-commit', c, 1 + i)));
  }, 300_000);
});

describe('a worker killed between committing a transition and publishing the folders', () => {
  it(`at each of ${CASES.length} transitions, the carrier ends once and correctly after a restart`, async () => {
    await Promise.all(CASES.map((c, i) => runCase('after-commit', c, 1 + CASES.length + i)));
  }, 300_000);
});
