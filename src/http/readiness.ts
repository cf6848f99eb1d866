/**
 * GET /readyz: whether the service can do its work now, part by part. Redis answers, the register
 * answers, the store and work folders can be written, and every stage has at least one worker
 * listening somewhere. Each check has two seconds; a part that does not answer in time is down.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { IntakeContext } from '../service/intake.js';
import { STAGES, type StageQueues } from '../service/queues.js';

export interface Check {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: { readonly redis: Check; readonly register: Check; readonly store: Check; readonly workers: Check };
}

const TIMEOUT_MS = 2000;

async function check(what: () => Promise<string | undefined>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      what(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return detail ? { ok: true, detail } : { ok: true };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(c: { readonly intake: Pick<IntakeContext, 'register' | 'dir'>; readonly queues: StageQueues }): Promise<Readiness> {
  const [redis, register, store, workers] = await Promise.all([
    check(async () => {
      // A round trip: Redis answers a command (BullMQ's own connection, as the stages use it).
      await c.queues.extract.getJobCounts('wait');
      return undefined;
    }),
    check(async () => {
      const n = await c.intake.register.count();
      return `${n.carriers} carrier(s)`;
    }),
    check(async () => {
      for (const d of [c.intake.dir.store, c.intake.dir.work, c.intake.dir.outbox]) await access(d, constants.W_OK);
      return undefined;
    }),
    check(async () => {
      const counts = await Promise.all(STAGES.map(async (s) => [s, await c.queues[s].getWorkersCount()] as const));
      const none = counts.filter(([, n]) => n === 0).map(([s]) => s);
      if (none.length) throw new Error(`no worker for ${none.join(', ')}: start grif worker (or grif up)`);
      return counts.map(([s, n]) => `${s}: ${n}`).join(', ');
    }),
  ]);
  return { ready: redis.ok && register.ok && store.ok && workers.ok, checks: { redis, register, store, workers } };
}
