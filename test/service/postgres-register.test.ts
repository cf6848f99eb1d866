// The service with its multi-machine register: PostgreSQL instead of the SQLite file. Two
// `grif worker` processes and the watcher share one Redis and one PostgreSQL register.
import type { ChildProcess } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/service/log.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { POSTGRES_SKIP_REASON, postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { drop, spawnWorker, stopProcess, tempDataDir, waitAllEnded } from '../helpers/service.js';

const available = postgresAvailable();
if (!available) console.warn(`skipping the PostgreSQL register service test: ${POSTGRES_SKIP_REASON}`);

describe.skipIf(!available)('the service on a PostgreSQL register', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let dir: string;
  let url: string;
  let service: RunningService;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase();
    redis = await startTestRedis();
    dir = await tempDataDir();
    service = await startService({ dir, redisUrl: redis.url, registerUrl: url, log: silentLogger(), agent: 'grif test', watcher: { rescanMs: 500, stableMs: 200 } });
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(dir, redis.url, { GRIF_REGISTER_URL: url }));
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) await stopProcess(w);
    await service?.close();
    await redis?.stop();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers each carrier once there and routes it as with SQLite', async () => {
    const batch = [
      ['digital-ru-secret.pdf', 'KZ'],
      ['digital-unmarked-ru.pdf', 'KZ'],
      ['digital-ky-special-importance.pdf', 'KG'],
      ['encrypted.pdf', 'KG'],
    ] as const;
    for (const [f, from] of batch) await drop(dir, from, join(FIXTURES, f), `pg-${f}`);
    const names = batch.map(([f]) => `pg-${f}`);
    await waitAllEnded(dir, names, 120_000);
    expect(await readdir(join(dir, 'rejected'))).toContain(`pg-encrypted.pdf.${(await service.register.list({ search: 'pg-encrypted' }))[0]!.inputSha256.slice(0, 8)}-KG-KZ.error.json`);
    const entries = await service.register.list();
    expect(entries.map((e) => e.name).sort()).toEqual([...names].sort());
    for (const e of entries) expect(e.events.filter((x) => x.key === `${e.id}:outcome`), e.name).toHaveLength(1);
    // No SQLite file was made beside: the register is the PostgreSQL one.
    expect(await readdir(dir)).not.toContain('register.sqlite');
  }, 150_000);
});
