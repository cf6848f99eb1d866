/**
 * BullMQ workers for the three stages, thin over src/service/stages.ts (the same stage code the
 * CLI runs in process). Bad input is never retried: the carrier goes to rejected/ with its error
 * at once. Anything else (a crash, a lost connection) is retried with backoff, and the carrier
 * goes to rejected/ only after the last attempt.
 */
import { Worker, type Job } from 'bullmq';
import { GrifError } from '../src/errors.js';
import type { CarrierRef } from '../src/service/carrier-ref.js';
import { jobIdOf, jobOptions, queueName, workerConnection, type QueueSettings, type Stage, type StageQueues } from '../src/service/queues.js';
import { rejectionCodeOf } from '../src/service/reason-codes.js';
import { decideStage, extractStage, rejectStage, stampStage, type StageContext } from '../src/service/stages.js';
import { errorText } from '../src/stamp/stamp-file.js';

export interface StageWorkerOptions {
  readonly redisUrl: string;
  /** Jobs each stage runs at once in this process. OCR stays inside the extract context's pool. */
  readonly concurrency?: Partial<Record<Stage, number>>;
  /** How long a job's lock lasts without renewal: a worker killed mid-job hands its job back after this. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. */
  readonly stalledIntervalMs?: number;
  readonly queueSettings?: QueueSettings;
  readonly prefix?: string;
}

export interface StageWorkers {
  readonly workers: readonly Worker[];
  /** Finishes the jobs in hand (or hands them back at `force`), then disconnects. */
  close(force?: boolean): Promise<void>;
}

/** Extraction may take minutes on a long scan; the other stages take about a second. */
export const DEFAULT_CONCURRENCY: Readonly<Record<Stage, number>> = { extract: 2, decide: 4, stamp: 2 };

export function startStageWorkers(c: StageContext, queues: StageQueues, opts: StageWorkerOptions): StageWorkers {
  const next = (stage: Stage, ref: CarrierRef) => queues[stage].add(stage, ref, jobOptions(jobIdOf(ref), opts.queueSettings));

  const work: Record<Stage, (job: Job<CarrierRef>) => Promise<string>> = {
    async extract(job) {
      const pages = await extractStage(c, job.data, (e) => void job.updateProgress({ stage: 'extract', page: e.done, pages: e.pages }).catch(() => undefined));
      await job.updateProgress({ stage: 'extract', page: pages, pages });
      await next('decide', job.data);
      return `extracted ${pages} page(s)`;
    },
    async decide(job) {
      const result = await decideStage(c, job.data);
      if (result === 'stamp') await next('stamp', job.data);
      return result;
    },
    async stamp(job) {
      return stampStage(c, job.data);
    },
  };

  const workers = (['extract', 'decide', 'stamp'] as const).map((stage) => {
    const worker = new Worker<CarrierRef, string>(
      queueName(stage),
      async (job) => {
        const t0 = performance.now();
        const log = c.log.child({ stage, carrierId: job.data.carrierId, attempt: job.attemptsMade + 1 });
        try {
          const result = await work[stage](job);
          log.info({ ms: Math.round(performance.now() - t0), result }, 'stage done');
          return result;
        } catch (err) {
          const badInput = err instanceof GrifError && !err.retryable;
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          c.metrics?.failures.inc({ stage, kind: badInput ? 'bad-input' : 'transient' });
          if (!badInput && !last) {
            log.warn({ err: err instanceof Error ? err.message : String(err) }, 'stage failed; will retry');
            throw err;
          }
          const message = badInput ? errorText(job.data.name, err) : `${errorText(job.data.name, err)} (gave up after ${job.attemptsMade + 1} attempts)`;
          const code = rejectionCodeOf(err);
          log.warn({ code }, 'carrier rejected');
          await rejectStage(c, job.data, message, undefined, code);
          return 'rejected';
        } finally {
          c.metrics?.stageSeconds.observe({ stage }, (performance.now() - t0) / 1000);
        }
      },
      {
        connection: workerConnection(opts.redisUrl),
        concurrency: opts.concurrency?.[stage] ?? DEFAULT_CONCURRENCY[stage],
        ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
        ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
        ...(opts.prefix ? { prefix: opts.prefix } : {}),
      },
    );
    // Connection trouble is logged, not thrown: the worker reconnects by itself.
    worker.on('error', (err) => c.log.warn({ stage, err: err.message }, 'worker connection error'));
    return worker;
  });

  return {
    workers,
    async close(force = false) {
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}
