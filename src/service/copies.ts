/**
 * Copies made by the receiver (Art. 6.4: only with the originator's written permission; Art. 6.1:
 * marked no lower than the source; Art. 6.2: every copy accounted for). Each copy is the carrier's
 * published version with a copy line added as an incremental update, numbered after every copy
 * made before (never reused), read back, kept in the store, and registered under its source as a
 * 'copied' event citing the permission, all the copies of one request in one transaction.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { examine, party, rank, type Level } from '../core/index.js';
import { extractCarrier } from '../extract/read-carrier.js';
import { GrifError } from '../errors.js';
import { EventKeyTaken, lastTransition, newEvent, TransitionRefused, type RegisterEntry } from '../register/register.js';
import type { CarrierState } from '../register/states.js';
import { sha256Of } from '../sha256.js';
import { stampPdf, StampError } from '../stamp/pdf-stamper.js';
import { inkOf, prepareCarrier } from '../stamp/stamp-file.js';
import { copyLine } from '../stamp/stamp-content.js';
import { loadRef, storedName } from './data-dir.js';
import { currentLevel } from './notices.js';
import { resultFilePath, resultOf, storeOutput } from './publish.js';
import type { StageContext } from './stages.js';
import { wipeFile } from './wipe.js';

export class CopyRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'copy/refused' });
  }
}

/** States a carrier can be copied in: through intake, its marking settled. */
const COPYABLE: readonly CarrierState[] = ['stamped', 'unchanged', 'declassified'];

export interface CopyRecord {
  readonly number: number;
  readonly sha256: string;
  readonly permission: string;
  /** The copy number the sender printed on the carrier, if any: never one of the receiver's. */
  readonly senderCopy: string | null;
  readonly at: string;
}

/** The copies the register holds of a carrier, by number. */
export function copiesOf(entry: Pick<RegisterEntry, 'events'>): CopyRecord[] {
  return entry.events
    .filter((e) => e.kind === 'copied' && e.detail && e.outputSha256)
    .map((e) => {
      const d = JSON.parse(e.detail!) as { copy: number; senderCopy?: string | null };
      return { number: d.copy, sha256: e.outputSha256!, permission: e.reference ?? '', senderCopy: d.senderCopy ?? null, at: e.at };
    })
    .sort((a, b) => a.number - b.number);
}

export interface MadeCopy {
  readonly number: number;
  readonly sha256: string;
  readonly pdf: Uint8Array;
}

export async function makeCopies(c: StageContext, carrierId: string, opts: { readonly permission: string; readonly count: number; readonly by: string }): Promise<MadeCopy[]> {
  const permission = opts.permission.trim();
  if (!permission) throw new CopyRefused(`${carrierId}: a copy needs the originator's written permission (Art. 6.4): cite it (--permission "…")`);
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > 100) throw new CopyRefused('make 1 to 100 copies at a time');
  for (let attempt = 0; ; attempt++) {
    const entry = await c.register.carrier(carrierId);
    if (!entry) throw new CopyRefused(`${carrierId}: no such carrier in the register`);
    const state = lastTransition(entry)?.state;
    if (!state || !COPYABLE.includes(state)) {
      throw new CopyRefused(`${carrierId} is ${state ?? 'not registered'}: copies are made of a carrier through intake with its marking settled${state === 'to-remark' ? ' (carry out its level-change notice first)' : ''}`);
    }
    const ref = await loadRef(c.dir, carrierId);
    const published = ref && resultOf(c.dir, ref, entry);
    const path = published && (await resultFilePath(published));
    if (!ref || !published?.file || !path) throw new CopyRefused(`${carrierId}: its stamped version is no longer kept; reconcile the data directory first (grif reconcile)`);
    const prepared = await prepareCarrier(published.file.target.endsWith('.pdf') ? published.file.target : ref.name, await readFile(path), c.extract.limits.maxPixels);
    const text = await extractCarrier(prepared.pdfName, prepared.pdf, c.extract);
    const verdict = examine(text);
    const level: Level | null = currentLevel(entry);
    const lang = party(entry.to).lang;
    const senderCopy = verdict.stamps.find((s) => s.copy !== undefined && s.lang !== lang)?.copy ?? null;
    const first = copiesOf(entry).reduce((m, x) => Math.max(m, x.number), 0) + 1;
    const ink = await inkOf(prepared.pdfName, prepared.pdf, 1, c.extract);
    const made: MadeCopy[] = [];
    for (let k = first; k < first + opts.count; k++) {
      const { output } = await stampPdf({
        input: prepared.pdf,
        text,
        lines: [copyLine(k, lang)],
        ink,
        stamps: verdict.stamps.flatMap((s) => (s.bbox ? [{ page: s.page, box: { x0: s.bbox[0], y0: s.bbox[1], x1: s.bbox[2], y1: s.bbox[3] } }] : [])),
        pages: 'first',
        record: { level, from: entry.from, to: entry.to, inputSha256: ref.sha256 },
      });
      // Marked no lower than its source (Art. 6.1): read back before anything is kept.
      const back = examine(await extractCarrier(prepared.pdfName, output, c.extract));
      if ((level === null ? back.level !== null : back.level === null || rank(back.level) < rank(level)) || (level !== null && back.status !== 'marked')) {
        throw new StampError(`${carrierId}: copy № ${k} does not read back as ${level ?? 'unmarked'} (got ${back.status}${back.level ? ` ${back.level}` : ''}); nothing was written`);
      }
      made.push({ number: k, sha256: sha256Of(output), pdf: output });
    }
    for (const m of made) await storeOutput(c.dir, m.pdf);
    try {
      await c.register.addEvents(
        made.map((m) =>
          newEvent(carrierId, 'copied', opts.by, {
            level,
            reference: permission,
            outputSha256: m.sha256,
            detail: JSON.stringify({ copy: m.number, senderCopy }),
            key: `${carrierId}:copied:${m.number}`,
          }),
        ),
      );
      return made;
    } catch (err) {
      // Another request numbered copies first: number these after its.
      if (err instanceof EventKeyTaken && attempt < 5) continue;
      // The carrier was returned or destroyed meanwhile: these copies were never made.
      if (err instanceof TransitionRefused) {
        for (const m of made) await wipeFile(join(c.dir.store, storedName(m.sha256, 'output.pdf')));
        throw new CopyRefused(`${carrierId}: no copy was made: ${err.message}`);
      }
      throw err;
    }
  }
}
