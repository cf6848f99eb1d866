/**
 * The service put together: the register, the queues, and whichever of the stage workers, the
 * drop-folder watcher and the HTTP intake this process runs. `grif worker`, `grif serve` and
 * `grif up` are this with different parts switched on; several processes on one Redis share the
 * work.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createExtractSession } from '../extract/context.js';
import type { ExtractLimits } from '../extract/extractor.js';
import { startHttp, type HttpOptions } from '../http/server.js';
import { watchInbox } from '../intake/inbox-watcher.js';
import { openRegister } from '../register/open-register.js';
import type { Register } from '../register/register.js';
import { startStageWorkers } from '../../workers/stage-workers.js';
import { dataDir, prepareDataDir, type DataDir } from '../service/data-dir.js';
import { acceptCarrier, type IntakeContext } from '../service/intake.js';
import type { Logger } from '../service/log.js';
import { createMetrics, type ServiceMetrics } from '../service/metrics.js';
import { rejectUnsorted } from '../service/outcome-files.js';
import { reconcile, type ReconcileOptions, type ReconcileReport } from '../service/reconcile.js';
import { openQueues, producerConnection, type QueueSettings, type Stage, type StageQueues } from '../service/queues.js';
import type { StageContext } from '../service/stages.js';

export interface ServiceOptions {
  /** The data directory (inbox/, outbox/, review/, rejected/, store/, work/). */
  readonly dir: string;
  readonly redisUrl: string;
  /** Default: DIR/register.sqlite. */
  readonly registerUrl?: string;
  /** How incoming numbers are written (incoming.ts). */
  readonly incomingFormat?: string;
  /** Days an ended carrier's extracted text and previews are kept (service/retention.ts); default 0. */
  readonly keepTextDays?: number;
  readonly log: Logger;
  /** 'grif <version>', recorded as who decided automatic decisions. */
  readonly agent: string;
  readonly workers?: {
    readonly concurrency?: Partial<Record<Stage, number>>;
    /** OCR worker threads of this process. */
    readonly ocrWorkers?: number;
    /** The OCR language data folder (default: Debian's). */
    readonly tessdata?: string;
    readonly limits?: Partial<ExtractLimits>;
    readonly lockDurationMs?: number;
    readonly stalledIntervalMs?: number;
    readonly authority?: string;
  };
  readonly watcher?: { readonly polling?: boolean; readonly rescanMs?: number; readonly stableMs?: number; readonly incompleteMs?: number };
  readonly http?: HttpOptions;
  readonly queueSettings?: QueueSettings;
  /**
   * The reconciler (service/reconcile.ts) runs once at start in every process; with `everyMs`, again
   * that often (grif up and grif serve: every 5 minutes, GRIF_RECONCILE_MS).
   */
  readonly reconcile?: { readonly everyMs?: number };
}

export interface RunningService {
  readonly dir: DataDir;
  readonly register: Register;
  readonly queues: StageQueues;
  readonly metrics: ServiceMetrics;
  readonly intake: IntakeContext;
  readonly httpUrl?: string;
  /** One reconciler pass now (after the one running, if any): for tests and for grif reconcile. */
  reconcile(opts?: ReconcileOptions): Promise<ReconcileReport>;
  /** Stops taking work, lets the jobs in hand finish (or hands them back with `force`), closes everything. */
  close(force?: boolean): Promise<void>;
}

export async function startService(o: ServiceOptions): Promise<RunningService> {
  const dir = dataDir(o.dir);
  await prepareDataDir(dir);
  const register = await openRegister(o.registerUrl ?? join(dir.root, 'register.sqlite'));
  const queues = openQueues(producerConnection(o.redisUrl));
  const metrics = createMetrics();
  // The register's chain, checked once at start: a row deleted or edited behind grif's back is
  // reported (log and metric) before any work; the service goes on, since stopping would lose nothing
  // already lost and the operator decides.
  const chain = await register.verify();
  metrics.registerChainIntact.set(chain.ok ? 1 : 0);
  metrics.registerChainEvents.set(chain.events);
  if (chain.ok) o.log.info({ events: chain.events, carriers: chain.carriers, head: chain.head }, "register's chain intact");
  else o.log.error({ problem: chain.problem, head: chain.head }, "the register's chain is BROKEN: run grif register verify");
  const intake: IntakeContext = {
    dir,
    register,
    queues,
    log: o.log,
    agent: o.agent,
    ...(o.queueSettings ? { queueSettings: o.queueSettings } : {}),
    ...(o.incomingFormat ? { incomingFormat: o.incomingFormat } : {}),
  };
  const closers: { what: string; close: () => Promise<void> }[] = [];
  let forceClose = false;
  const closeAll = async (force: boolean): Promise<void> => {
    forceClose = force;
    // Intake first (no new work), then the workers finish what they hold, then the connections.
    for (const { what, close } of closers.reverse()) {
      const t0 = performance.now();
      await close().catch((err: unknown) => o.log.error({ what, err: String(err) }, 'error while stopping'));
      o.log.info({ what, ms: Math.round(performance.now() - t0) }, 'stopped');
    }
  };

  // The folders follow the register: put right at start (by hash), then every so often (by size).
  let closing = false;
  let pass: Promise<unknown> = Promise.resolve();
  const reconcileNow = (opts: ReconcileOptions = {}): Promise<ReconcileReport> => {
    const run = pass.then(async () => {
      const report = await reconcile({ dir, register, log: o.log }, { stopped: () => closing, keepTextDays: o.keepTextDays ?? 0, ...opts });
      metrics.reconcileFixes.inc(report.wrote + report.removed);
      metrics.outboxStrays.set(report.strays.length);
      metrics.resultsMissing.set(report.missing.length);
      return report;
    });
    pass = run.catch((err: unknown) => o.log.error({ err: err instanceof Error ? err.message : String(err) }, 'reconciler pass failed; tried again at the next'));
    return run;
  };
  void reconcileNow({ verify: true }).catch(() => undefined);
  const every = o.reconcile?.everyMs;
  const timer = every ? setInterval(() => void reconcileNow().catch(() => undefined), every) : undefined;
  timer?.unref();

  try {
    closers.push({
      what: 'queues and register',
      close: async () => {
        closing = true;
        if (timer) clearInterval(timer);
        await pass;
        await queues.close();
        await register.close();
      },
    });
    // What a step of a carrier's life works with: the stage workers' session, or re-marking's own.
    const stageWith = (extract: StageContext['extract'], authority?: string): StageContext => ({
      dir,
      register,
      extract,
      log: o.log,
      metrics,
      agent: o.agent,
      ...(authority ? { authority } : {}),
      ...(o.incomingFormat ? { incomingFormat: o.incomingFormat } : {}),
      ...(o.keepTextDays ? { keepTextDays: o.keepTextDays } : {}),
    });
    if (o.workers) {
      const w = o.workers;
      const session = createExtractSession({ ...(w.ocrWorkers ? { workers: w.ocrWorkers } : {}), ...(w.tessdata ? { tessdata: w.tessdata } : {}), ...(w.limits ? { limits: w.limits } : {}) });
      const stage = stageWith(session, w.authority);
      const workers = startStageWorkers(stage, queues, {
        redisUrl: o.redisUrl,
        ...(w.concurrency ? { concurrency: w.concurrency } : {}),
        ...(w.lockDurationMs ? { lockDurationMs: w.lockDurationMs } : {}),
        ...(w.stalledIntervalMs ? { stalledIntervalMs: w.stalledIntervalMs } : {}),
        ...(o.queueSettings ? { queueSettings: o.queueSettings } : {}),
      });
      closers.push({
        what: 'workers',
        close: async () => {
          await workers.close(forceClose);
          await session.close();
        },
      });
    }
    if (o.watcher) {
      const maxBytes = o.workers?.limits?.maxBytes;
      const watcher = await watchInbox({
        inbox: dir.inbox,
        ...(o.watcher.polling ? { polling: true } : {}),
        ...(o.watcher.rescanMs ? { rescanMs: o.watcher.rescanMs } : {}),
        ...(o.watcher.stableMs ? { stableMs: o.watcher.stableMs } : {}),
        ...(o.watcher.incompleteMs ? { incompleteMs: o.watcher.incompleteMs } : {}),
        onFile: async (f) => {
          if (maxBytes !== undefined && f.size > maxBytes) {
            await rejectUnsorted(dir, f.path, `${f.name}: ${f.size} bytes, over the limit of ${maxBytes}`, 'inbox/too-large');
            return;
          }
          const bytes = await readFile(f.path);
          await acceptCarrier(intake, {
            bytes,
            name: f.name,
            from: f.from,
            to: f.to,
            russian: f.russian,
            ...(f.derivedFrom ? { derivedFrom: f.derivedFrom } : {}),
            ...(f.transfer ? { transfer: f.transfer } : {}),
            ...(f.senderReference ? { senderReference: f.senderReference } : {}),
            ...(f.joint ? { joint: true } : {}),
            intake: 'inbox',
            inboxPath: f.path,
          });
        },
        onError: (err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'inbox file not taken; retried at the next rescan'),
        onProblem: async (p) => {
          o.log.warn({ file: p.name, problem: p.message }, 'inbox entry refused');
          // A carrier that cannot be queued goes to rejected/ with the reason; a folder or a
          // link is only reported (it is not a carrier, and nothing outside the inbox is read).
          const entry = await lstat(p.path).catch(() => undefined);
          if (entry?.isFile()) await rejectUnsorted(dir, p.path, p.message, p.code ?? 'inbox/refused');
        },
      });
      closers.push({ what: 'inbox watcher', close: () => watcher.close() });
    }
    let httpUrl: string | undefined;
    if (o.http) {
      // Re-marking from the page reads and writes PDFs: a session of its own, its OCR started on first use.
      const remarkSession = createExtractSession({ workers: 1, ...(o.workers?.tessdata ? { tessdata: o.workers.tessdata } : {}), ...(o.workers?.limits ? { limits: o.workers.limits } : {}) });
      closers.push({ what: 're-marking', close: () => remarkSession.close() });
      const stage = stageWith(remarkSession);
      const authority = o.workers?.authority ?? o.http.authority;
      const http = await startHttp({ intake, metrics, queues, stage, ...(authority ? { authority } : {}) }, o.http);
      httpUrl = http.url;
      closers.push({ what: 'HTTP intake', close: () => http.close() });
    }
    return {
      dir,
      register,
      queues,
      metrics,
      intake,
      ...(httpUrl ? { httpUrl } : {}),
      reconcile: reconcileNow,
      close: (force = false) => closeAll(force),
    };
  } catch (err) {
    await closeAll(true);
    throw err;
  }
}
