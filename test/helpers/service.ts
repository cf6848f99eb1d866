/** Running the real stamping service in tests: a data dir, drops into the inbox, waiting for outcomes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../scripts/dev-support.js';
import type { PartyId } from '../../src/core/index.js';

export const CLI = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'grif-service-'));
}

/** Drops a file into inbox/from-PARTY/ the way a clerk's copy does: written aside, then renamed. */
export async function drop(dir: string, from: PartyId, source: string, name: string): Promise<void> {
  const folder = join(dir, 'inbox', `from-${from}`);
  await copyFile(source, join(folder, `${name}.part`));
  await rename(join(folder, `${name}.part`), join(folder, name));
}

export type Folder = 'outbox' | 'review' | 'rejected' | 'inbox';

/** The folders a carrier's results are in (by the name they begin with), sidecars aside. */
export async function whereIs(dir: string, name: string): Promise<Folder[]> {
  const found: Folder[] = [];
  for (const f of ['outbox', 'review', 'rejected'] as const) {
    const names = await readdir(join(dir, f)).catch(() => [] as string[]);
    if (names.some((n) => n.startsWith(`${name}.`) && !n.endsWith('.duplicate.json'))) found.push(f);
  }
  for (const p of ['from-KZ', 'from-KG']) {
    const names = await readdir(join(dir, 'inbox', p)).catch(() => [] as string[]);
    if (names.includes(name)) found.push('inbox');
  }
  return found;
}

/** Polls until `check` passes (it throws or returns false until then). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 250): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Waits until every name has left the inbox and ended in exactly one folder. */
export async function waitAllEnded(dir: string, names: readonly string[], timeoutMs = 180_000): Promise<void> {
  const state = async () => (await Promise.all(names.map(async (n) => `${n}: ${(await whereIs(dir, n)).join('+') || 'nowhere'}`))).join('; ');
  await waitFor(
    `${names.length} carriers to end`,
    async () => {
      for (const n of names) {
        const at = await whereIs(dir, n);
        if (at.length !== 1 || at[0] === 'inbox') return false;
      }
      return true;
    },
    timeoutMs,
  ).catch(async (err: unknown) => {
    throw new Error(`${String(err)}; where they are: ${await state()}`);
  });
  for (const n of names) expect(await whereIs(dir, n), n).toHaveLength(1);
}

export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** A `grif worker` process on the test's Redis and data dir. */
export function spawnWorker(dir: string, redisUrl: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--dir', dir, '--redis', redisUrl, '--ocr-workers', '1', '--log-level', 'warn'], {
    env: { ...process.env, GRIF_LOCK_MS: '4000', GRIF_STALLED_MS: '1000', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  (child as ChildProcess & { stderrText: () => string }).stderrText = () => err;
  return child;
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  await done;
}
