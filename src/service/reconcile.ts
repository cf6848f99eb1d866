/**
 * The reconciler: makes the drop folders agree with the register, at start and every few
 * minutes. A process killed after a commit and before publishing, a review copy left by a crash,
 * a receipt deleted by hand: each carrier is published again (publish.ts). Temporary files of
 * writes that never finished are removed. Files in outbox/ that no register event names are
 * reported, never deleted (nothing a person put there is lost).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Register } from '../register/register.js';
import { awaitsWipe, finishDestructions } from './destruction.js';
import type { DataDir } from './data-dir.js';
import type { Logger } from './log.js';
import { publish } from './publish.js';
import { dropCarrierText, textDue } from './retention.js';
import { removeStaleTemps } from '../stamp/write-output.js';

export interface ReconcileOptions {
  /** Compare published files with the register's hashes, not only their sizes (the pass at start). */
  readonly verify?: boolean;
  /** A temporary file this old is a leftover whoever wrote it (default one hour). */
  readonly staleTempMs?: number;
  /** Days an ended carrier's extracted text and previews are kept (retention.ts); undefined: not looked at. */
  readonly keepTextDays?: number;
  /** Stop between two carriers when this says so (the service is closing). */
  readonly stopped?: () => boolean;
}

export interface ReconcileReport {
  readonly carriers: number;
  /** Files written into the folders, and taken out of folders they did not belong in. */
  readonly wrote: number;
  readonly removed: number;
  /** Results the register names that are kept nowhere (a store file deleted by hand). */
  readonly missing: readonly string[];
  /** Temporary files of unfinished writes, removed. */
  readonly temps: number;
  /** Extracted texts and previews of ended carriers, removed (keepTextDays). */
  readonly texts: number;
  /** Files in outbox/ that no carrier of the register accounts for (reported, left as they are). */
  readonly strays: readonly string[];
  /** Acts of destruction whose wipe a stopped process left unfinished, finished now. */
  readonly destructions: number;
  /** Carriers whose publishing failed this time (retried at the next pass). */
  readonly failed: readonly { readonly carrierId: string; readonly error: string }[];
}

const PAGE = 500;
export async function reconcile(c: { readonly dir: DataDir; readonly register: Register; readonly log: Logger; readonly incomingFormat?: string }, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const d = c.dir;
  const started = Date.now();
  let carriers = 0;
  let wrote = 0;
  let removed = 0;
  let texts = 0;
  const missing: string[] = [];
  const failed: { carrierId: string; error: string }[] = [];
  const outboxNames = new Set<string>();
  const unwiped: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await c.register.list({ limit: PAGE, offset });
    for (const entry of page) {
      if (opts.stopped?.()) break;
      carriers++;
      if (awaitsWipe(entry)) unwiped.push(entry.id);
      try {
        const p = await publish(c, entry.id, { verify: !!opts.verify });
        if (!p) continue;
        wrote += p.wrote;
        removed += p.removed;
        missing.push(...p.missing);
        if (p.folder === 'outbox') for (const n of p.names) outboxNames.add(n);
        if (opts.keepTextDays !== undefined && textDue(entry, opts.keepTextDays)) texts += await dropCarrierText(d, entry.id);
      } catch (err) {
        failed.push({ carrierId: entry.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (page.length < PAGE || opts.stopped?.()) break;
  }
  // A destruction recorded by a process stopped before it wiped: finished now (destruction.ts).
  let destructions = 0;
  if (unwiped.length && !opts.stopped?.()) {
    try {
      destructions = (await finishDestructions(c, unwiped)).length;
    } catch (err) {
      for (const id of unwiped) failed.push({ carrierId: id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  // A minute's grace for a dead writer's file: the folders may be shared with another machine, whose pids these are not.
  const temps = await removeStaleTemps([d.outbox, d.review, d.rejected, d.store, d.work, join(d.work, 'results')], { staleMs: opts.staleTempMs ?? 3_600_000, deadAfterMs: 60_000 });
  // A carrier that moved into the outbox during the pass is not a stray: only a complete pass may say so.
  const strays: string[] = [];
  if (!opts.stopped?.()) {
    for (const n of await readdir(d.outbox).catch(() => [] as string[])) {
      const path = join(d.outbox, n);
      if (n.startsWith('.') || n.endsWith('.duplicate.json') || outboxNames.has(path)) continue;
      // Published after the pass began (a carrier newer than the list it read): not a stray.
      if (((await stat(path).catch(() => undefined))?.mtimeMs ?? 0) >= started - 1000) continue;
      strays.push(n);
    }
  }
  const report = { carriers, wrote, removed, missing, temps, texts, strays, failed, destructions };
  const level = missing.length || failed.length || strays.length ? 'warn' : 'info';
  c.log[level](
    { carriers, wrote, removed, temps, texts, destructions, missing: missing.length, strays: strays.slice(0, 20), failed: failed.slice(0, 20) },
    wrote || removed || temps || missing.length || strays.length || failed.length ? 'folders reconciled with the register' : 'folders agree with the register',
  );
  return report;
}
