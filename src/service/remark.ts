/**
 * Carrying out a level-change notice (Art. 6.3): the carrier's published version (its stamped PDF,
 * or the carrier itself when nothing was added) re-marked (stamp/remark-file.ts), kept in the
 * store under its hash, then the 'remarked' (or 'level-removed') transition committed and the
 * folders published, like every step of a carrier's life (stages.ts). Carriers derived from it
 * (translations, copies) are listed: none may end lower than its source's new level.
 */
import { readFile } from 'node:fs/promises';
import { rank, type Level } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { lastTransition, newEvent, type RegisterEntry } from '../register/register.js';
import { remarkPdf } from '../stamp/remark-file.js';
import { prepareCarrier } from '../stamp/stamp-file.js';
import { extractCarrier } from '../extract/read-carrier.js';
import { loadRef } from './data-dir.js';
import { currentLevel, recordedNotice } from './notices.js';
import { resultNames } from './outcome-files.js';
import { resultFilePath, resultOf, storeOutput } from './publish.js';
import { commit, type StageContext } from './stages.js';

export class RemarkRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'notice/state' });
  }
}

export interface DerivedToCheck {
  readonly carrierId: string;
  readonly name: string;
  readonly level: Level | null;
  /** Lower than its source's new level: it must be re-marked too (unless its own notice says otherwise). */
  readonly lower: boolean;
}

export interface RemarkDone {
  readonly carrierId: string;
  readonly change: Level | 'removed';
  readonly created: boolean;
  readonly output: Uint8Array;
  readonly outputSha256: string;
  readonly struck: number;
  readonly derived: readonly DerivedToCheck[];
}

/** The carriers registered as derived from this one (translations, copies), with where they stand against its new level. */
async function derivedOf(c: Pick<StageContext, 'register'>, id: string, level: Level | null): Promise<DerivedToCheck[]> {
  const all = await c.register.list();
  return all
    .filter((e) => e.derivedFrom === id)
    .map((e: RegisterEntry) => {
      const own = currentLevel(e);
      return { carrierId: e.id, name: e.name, level: own, lower: level !== null && (own === null || rank(own) < rank(level)) };
    });
}

/** Re-marks one carrier waiting in to-remark, as its latest notice says. */
export async function remarkCarrier(c: StageContext, carrierId: string, opts: { readonly by: string; readonly russian?: boolean }): Promise<RemarkDone> {
  const entry = await c.register.carrier(carrierId);
  if (!entry) throw new RemarkRefused(`${carrierId}: no such carrier in the register`);
  const now = lastTransition(entry);
  const notice = now?.kind === 'notice' ? recordedNotice(now) : undefined;
  if (now?.state !== 'to-remark' || !notice) {
    throw new RemarkRefused(`${carrierId} is ${now?.state ?? 'not registered'}: only a carrier with a level-change notice waiting (grif notice add) is re-marked`);
  }
  const ref = await loadRef(c.dir, carrierId);
  const published = ref && resultOf(c.dir, ref, entry);
  const path = published && (await resultFilePath(published));
  if (!ref || !published?.file || !path) throw new RemarkRefused(`${carrierId}: its stamped version is no longer kept; reconcile the data directory first (grif reconcile)`);
  // The version the receiver holds: the stamped PDF, or the carrier itself (an image made a PDF first).
  const held = await readFile(path);
  const prepared = await prepareCarrier(published.file.target.endsWith('.pdf') ? published.file.target : ref.name, held, c.extract.limits.maxPixels);
  const text = await extractCarrier(prepared.pdfName, prepared.pdf, c.extract);
  const remarked = await remarkPdf(
    ref.name,
    prepared.pdf,
    text,
    {
      change: notice.change,
      from: entry.from,
      to: entry.to,
      russian: opts.russian ?? ref.russian,
      basis: notice.notices.map((n) => ({ reference: n.reference, date: n.date })),
      inputSha256: ref.sha256,
    },
    c.extract,
  );
  const output = await storeOutput(c.dir, remarked.output);
  const kind = notice.change === 'removed' ? 'level-removed' : 'remarked';
  const event = newEvent(carrierId, kind, opts.by, {
    level: notice.change === 'removed' ? null : notice.change,
    reference: now.reference,
    outputSha256: output.sha256,
    outputPath: resultNames(c.dir, ref, 'outbox').stamped,
    detail: `${remarked.struck.length} marking(s) struck through; notice of ${notice.notices.map((n) => n.date).join(', ')}`,
    key: `${carrierId}:${kind}:${now.seq}`,
  });
  const receipt = {
    carrierId,
    status: kind,
    level: notice.change === 'removed' ? null : notice.change,
    notices: notice.notices,
    struck: remarked.struck.map((s) => ({ page: s.page, level: s.level, lang: s.lang })),
    placements: remarked.placements,
    update: remarked.update,
    decidedBy: opts.by,
    outputSha256: output.sha256,
    writtenAt: new Date().toISOString(),
  };
  const done = await commit(c, event, receipt);
  if (done === 'refused') throw new RemarkRefused(`${carrierId}: moved on while it was re-marked (another re-marking, or a new notice); nothing was recorded`);
  return {
    carrierId,
    change: notice.change,
    created: done === 'created',
    output: remarked.output,
    outputSha256: output.sha256,
    struck: remarked.struck.length,
    derived: await derivedOf(c, carrierId, notice.change === 'removed' ? null : notice.change),
  };
}
