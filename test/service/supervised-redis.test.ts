// Redis under grif up is supervised: started again when it dies, and a Redis of the same data
// directory left running by a grif that was killed (kill -9) is stopped before a new one starts,
// so that there is never more than one on one AOF. Real redis-server and real grif up processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { PID_FILE, superviseRedis, type SupervisedRedis } from '../../src/service/redis-server.js';
import { silentLogger } from '../../src/service/log.js';
import { processAlive } from '../../src/process-alive.js';
import { CLI, stopProcess, waitFor } from '../helpers/service.js';

const alive = processAlive;

/** The redis-server processes working in this directory (their cwd). */
async function redisesIn(dir: string): Promise<number[]> {
  const want = await realpath(dir);
  const found: number[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const comm = await readFile(`/proc/${p}/comm`, 'utf8').catch(() => '');
    if (!comm.startsWith('redis-server')) continue;
    if ((await realpath(`/proc/${p}/cwd`).catch(() => '')) === want) found.push(Number(p));
  }
  return found;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

describe('supervised Redis', () => {
  it('is started again, on the same port with the same data, when it is killed; clients reconnect', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grif-supervised-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const redis: SupervisedRedis = await superviseRedis({ dir }, silentLogger());
    cleanup.push(() => redis.stop());
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined); // while Redis is down: the reconnects say it, not the test
    cleanup.push(async () => void client.disconnect());
    await client.set('kept', 'yes');
    const first = redis.pid();
    process.kill(first, 'SIGKILL');
    await waitFor('Redis to be started again', async () => redis.pid() !== first && alive(redis.pid()), 30_000);
    expect(redis.restarts()).toBe(1);
    // The same client, on the same URL; the key written before (AOF, every second) may be lost with a SIGKILL, the service is not.
    expect(await client.ping()).toBe('PONG');
    expect(await redisesIn(dir)).toEqual([redis.pid()]);
  }, 60_000);

  it('grif up killed with SIGKILL leaves its Redis running; the next grif up stops it first, so one Redis serves the directory', async () => {
    const data = await mkdtemp(join(tmpdir(), 'grif-orphan-'));
    cleanup.push(() => rm(data, { recursive: true, force: true }));
    const up = (): { child: ChildProcess; ready: Promise<void> } => {
      const child = spawn(process.execPath, [CLI, 'up', '--dir', data, '--port', '0', '--ocr-workers', '1', '--log-level', 'warn'], {
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'REDIS_URL')), GRIF_TOKEN: 'orphan-test-token-0123456789' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      cleanup.push(() => stopProcess(child, 'SIGKILL'));
      let err = '';
      const ready = new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (b: Buffer) => {
          err += b.toString();
          if (/grif: up\./.test(err)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`grif up exited (${code}): ${err}`)));
      });
      return { child, ready };
    };
    const first = up();
    await first.ready;
    const redisDir = join(data, 'redis');
    const orphan = Number((await readFile(join(redisDir, PID_FILE), 'utf8')).trim());
    expect(await redisesIn(redisDir)).toEqual([orphan]);
    await stopProcess(first.child, 'SIGKILL');
    // Its Redis lives on (its own process group), holding the directory.
    expect(alive(orphan)).toBe(true);
    cleanup.push(async () => {
      if (alive(orphan)) process.kill(orphan, 'SIGKILL');
    });

    const second = up();
    await second.ready;
    expect(alive(orphan)).toBe(false);
    const now = await redisesIn(redisDir);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(orphan);
    await stopProcess(second.child, 'SIGTERM');
    await waitFor('Redis to stop with grif up', async () => (await redisesIn(redisDir)).length === 0, 20_000);
  }, 120_000);
});
