/**
 * The parts an HTTP test runs against, all real: a redis-server, a SQLite register, the data dir,
 * the queues and the stage workers (one OCR worker). The test starts its own HTTP server(s) on them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtractSession, type ExtractSession } from '../../src/extract/context.js';
import { openRegister } from '../../src/register/open-register.js';
import type { Register } from '../../src/register/register.js';
import { dataDir, prepareDataDir, type DataDir } from '../../src/service/data-dir.js';
import type { IntakeContext } from '../../src/service/intake.js';
import { silentLogger, type Logger } from '../../src/service/log.js';
import { createMetrics, type ServiceMetrics } from '../../src/service/metrics.js';
import { openQueues, producerConnection, type StageQueues } from '../../src/service/queues.js';
import type { StageContext } from '../../src/service/stages.js';
import { startStageWorkers, type StageWorkers } from '../../workers/stage-workers.js';
import { startTestRedis, type TestRedis } from './redis.js';

export interface HttpTestParts {
  readonly redis: TestRedis;
  /** A temp folder holding data/ (the data dir) and register.sqlite. */
  readonly tmp: string;
  readonly dir: DataDir;
  readonly register: Register;
  readonly queues: StageQueues;
  readonly session: ExtractSession;
  readonly workers: StageWorkers;
  readonly metrics: ServiceMetrics;
  readonly intake: IntakeContext;
  /** Stops the workers, queues, OCR, register and Redis, and removes the temp folder. */
  stop(): Promise<void>;
}

export async function startHttpTestParts(opts: { prefix: string; log?: Logger; extractConcurrency?: number }): Promise<HttpTestParts> {
  const redis = await startTestRedis();
  const tmp = await mkdtemp(join(tmpdir(), opts.prefix));
  const dir = dataDir(join(tmp, 'data'));
  await prepareDataDir(dir);
  const register = await openRegister(join(tmp, 'register.sqlite'));
  const queues = openQueues(producerConnection(redis.url));
  const session = createExtractSession({ workers: 1 });
  const metrics = createMetrics();
  const agent = 'grif test';
  const stages: StageContext = { dir, register, extract: session, log: silentLogger(), metrics, agent };
  const queueSettings = { attempts: 2, backoffMs: 100 };
  const workers = startStageWorkers(stages, queues, {
    redisUrl: redis.url,
    concurrency: { extract: opts.extractConcurrency ?? 1, decide: 2, stamp: 1 },
    queueSettings,
  });
  const intake: IntakeContext = { dir, register, queues, log: opts.log ?? silentLogger(), agent, queueSettings };
  return {
    redis,
    tmp,
    dir,
    register,
    queues,
    session,
    workers,
    metrics,
    intake,
    async stop() {
      await workers.close();
      await queues.close();
      await session.close();
      await register.close();
      await redis.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
