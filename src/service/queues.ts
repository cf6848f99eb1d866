/**
 * The three chained queues (docs/service.md): extract → decide → stamp. Jobs carry a CarrierRef
 * (a reference to the stored carrier, never its bytes) under the carrier's id, so that BullMQ
 * itself refuses a second job for a carrier whose job it still holds.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { CarrierRef } from './carrier-ref.js';

import { STAGES, type Stage } from './pipeline.js';

export { STAGES, type Stage };

export const queueName = (stage: Stage): string => `grif-${stage}`;

/** Workers block on Redis and must wait out a restart rather than fail (BullMQ's guidance). */
export const workerConnection = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null });

/** Producers (HTTP intake, the watcher) should fail fast rather than hang a request while Redis is down. */
export const producerConnection = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: 3 });

export interface QueueSettings {
  /** Attempts per stage for transient failures; bad input is never retried. */
  readonly attempts: number;
  /** First backoff delay in ms, doubled each attempt. */
  readonly backoffMs: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { attempts: 5, backoffMs: 2000 };

export function jobOptions(jobId: string, s: QueueSettings = DEFAULT_QUEUE_SETTINGS): JobsOptions {
  return {
    jobId,
    attempts: s.attempts,
    backoff: { type: 'exponential', delay: s.backoffMs },
    // Kept for a week (the register keeps everything for good): status queries and dedupe by id.
    removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

export type StageQueues = Readonly<Record<Stage, Queue<CarrierRef>>> & { close(): Promise<void> };

export function openQueues(connection: ConnectionOptions, prefix?: string): StageQueues {
  const make = (stage: Stage) => new Queue<CarrierRef>(queueName(stage), { connection, ...(prefix ? { prefix } : {}) });
  const queues = Object.fromEntries(STAGES.map((s) => [s, make(s)])) as Record<Stage, Queue<CarrierRef>>;
  return {
    ...queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/**
 * Job id of a carrier's job at a stage; a person's decision starts a stamp job of its own, and
 * each time a person takes the carrier again (its round) its jobs start anew.
 */
export function jobIdFor(carrierId: string, decided: boolean, round = 0): string {
  return `${carrierId}${decided ? '-decided' : ''}${round ? `-r${round}` : ''}`;
}

export const jobIdOf = (ref: Pick<CarrierRef, 'carrierId' | 'decision' | 'round'>): string => jobIdFor(ref.carrierId, ref.decision !== undefined, ref.round ?? 0);
