/**
 * How long a carrier's body is kept in readable form. The extracted text (work/<id>.text.json) and
 * the page previews (work/<id>.preview-*.png) hold what the carrier says; they are needed while a
 * stage or a person may still read them, and not after. When a carrier reaches a final state they
 * go at once, or `keepDays` days later if the operator keeps them (--keep-text DAYS). The carrier
 * itself stays in the store, and a retried carrier is read again.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lastTransition, type RegisterEntry } from '../register/register.js';
import { FINAL_STATES } from '../register/states.js';
import { textPathOf, type DataDir } from './data-dir.js';

/**
 * The files that hold what a carrier says in readable form: its extracted text and its page
 * previews. `work` is work/'s listing when the caller has read it already (one read for many carriers).
 */
export async function bodyFiles(d: DataDir, carrierId: string, work?: readonly string[]): Promise<string[]> {
  const names = work ?? (await readdir(d.work).catch(() => [] as string[]));
  return [textPathOf(d, carrierId), ...names.filter((n) => n.startsWith(`${carrierId}.preview-`)).map((n) => join(d.work, n))];
}

/** Removes the carrier's extracted text and previews; returns how many files went. */
export async function dropCarrierText(d: DataDir, carrierId: string): Promise<number> {
  let removed = 0;
  for (const path of await bodyFiles(d, carrierId)) {
    try {
      await rm(path);
      removed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}

/** Whether a carrier's text is due to go: it ended (a final state) at least `keepDays` days ago. */
export function textDue(entry: Pick<RegisterEntry, 'events'>, keepDays: number, now = Date.now()): boolean {
  const last = lastTransition(entry);
  if (!last?.state || !FINAL_STATES.includes(last.state)) return false;
  return now - Date.parse(last.at) >= keepDays * 24 * 3600_000;
}
