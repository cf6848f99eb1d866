/**
 * BullMQ workers for the three stages, thin over src/service/stages.ts (the same stage code the
 * CLI runs in process). Whose fault a failure is decides what follows (src/error-codes.ts): the
 * carrier's is never retried, the carrier goes to rejected/ at once; the service's (OCR data
 * missing, a disk full, the register down, a crash) is retried with backoff, and after the last
 * attempt the carrier is parked, to be retried by a person (grif retry), never rejected. Either
 * way the job ends failed in BullMQ, not completed.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { faultOf } from '../src/error-codes.js';
import type { CarrierRef } from '../src/service/carrier-ref.js';
import { nextStage } from '../src/service/pipeline.js';
import { jobIdOf, jobOptions, queueName, STAGES, workerConnection, type QueueSettings, type Stage, type StageQueues } from '../src/service/queues.js';
import { rejectionCodeOf } from '../src/service/reason-codes.js';
import { decideStage, extractStage, parkStage, rejectStage, stampStage, type StageContext } from '../src/service/stages.js';
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

  // Each stage's work; what comes after it is the pipeline's to say (service/pipeline.ts).
  const work: Record<Stage, (job: Job<CarrierRef>) => Promise<string>> = {
    async extract(job) {
      const pages = await extractStage(c, job.data, (e) => void job.updateProgress({ stage: 'extract', page: e.done, pages: e.pages }).catch(() => undefined));
      await job.updateProgress({ stage: 'extract', page: pages, pages });
      return 'extracted';
    },
    decide: (job) => decideStage(c, job.data),
    stamp: (job) => stampStage(c, job.data),
  };

  const workers = STAGES.map((stage) => {
    const worker = new Worker<CarrierRef, string>(
      queueName(stage),
      async (job) => {
        const t0 = performance.now();
        const log = c.log.child({ stage, carrierId: job.data.carrierId, attempt: job.attemptsMade + 1 });
        try {
          const result = await work[stage](job);
          const then = nextStage(stage, result);
          if (then) await next(then, job.data);
          log.info({ ms: Math.round(performance.now() - t0), result }, 'stage done');
          return result;
        } catch (err) {
          const fault = faultOf(err);
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          const code = rejectionCodeOf(err);
          c.metrics?.failures.inc({ stage, kind: fault === 'carrier' ? 'bad-input' : 'transient' });
          if (fault !== 'carrier' && !last) {
            log.warn({ code, err: err instanceof Error ? err.message : String(err) }, 'stage failed; will retry');
            throw err;
          }
          if (fault === 'carrier') {
            log.warn({ code }, 'carrier rejected');
            await rejectStage(c, job.data, errorText(job.data.name, err), undefined, code);
            throw new UnrecoverableError(`rejected: ${code}`);
          }
          // The service's trouble outlasted its retries: parked, never the carrier's fault.
          log.error({ code, err: err instanceof Error ? err.message : String(err) }, 'carrier parked: a fault of the service outlasted its retries');
          await parkStage(c, job.data, `${errorText(job.data.name, err)} (parked after ${job.attemptsMade + 1} attempts; grif retry takes it again)`, code);
          throw new UnrecoverableError(`parked: ${code}`);
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
