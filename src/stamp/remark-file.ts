/**
 * Re-marking after a level-change notice (Art. 6.3), as an incremental update on top of the
 * carrier's stamped version: every marking in force struck through with one line and left legible,
 * the new receiving-side marking (or the words that the marking is removed) added with the basis
 * (each notice's reference and date), and the result read back before anyone writes it.
 */
import { examine, party, type CarrierText, type Level, type PartyId, type Stamp, type Verdict } from '../core/index.js';
import type { ExtractContext } from '../extract/extractor.js';
import { extractCarrier } from '../extract/read-carrier.js';
import { sha256Of } from '../sha256.js';
import type { Box } from './layout.js';
import { stampPdf, StampError, type StampPlacement, type UpdateKind } from './pdf-stamper.js';
import { letterBand } from './ink-map.js';
import { inkOf } from './stamp-file.js';
import { remarkLines, type RemarkBasis } from './stamp-content.js';

export interface RemarkRequest {
  /** The new level, or removed. */
  readonly change: Level | 'removed';
  readonly from: PartyId;
  readonly to: PartyId;
  /** Also write the new marking (or the removal) in Russian. */
  readonly russian: boolean;
  /** The notice(s) the re-marking carries out. */
  readonly basis: readonly RemarkBasis[];
  /** The original carrier's SHA-256, for the document's metadata. */
  readonly inputSha256: string;
}

export interface Remarked {
  readonly output: Uint8Array;
  readonly outputSha256: string;
  /** The markings struck through (each with its page and line). */
  readonly struck: readonly Stamp[];
  readonly placements: readonly StampPlacement[];
  readonly update: UpdateKind;
  /** How the re-marked PDF reads. */
  readonly after: Verdict;
}

const boxOf = (b: readonly [number, number, number, number]): Box => ({ x0: b[0], y0: b[1], x1: b[2], y1: b[3] });

/** The text lines a marking stands on: its own line, and any line its box covers most of the height of. */
function linesOf(text: CarrierText, s: Stamp): Box[] {
  const page = text.pages[s.page - 1];
  if (!page) return [];
  const out: Box[] = [];
  page.lines.forEach((l, i) => {
    if (!l.bbox || l.struck) return;
    const own = i === s.line - 1;
    const covered = s.bbox ? Math.min(l.bbox[3], s.bbox[3]) - Math.max(l.bbox[1], s.bbox[1]) >= 0.5 * (l.bbox[3] - l.bbox[1]) && Math.min(l.bbox[2], s.bbox[2]) > Math.max(l.bbox[0], s.bbox[0]) : false;
    if (own || covered) out.push(boxOf(l.bbox));
  });
  return out;
}

/**
 * Re-marks a stamped PDF. `text` is grif's reading of `input` (lines already struck are marked so).
 * Throws StampError when there is nothing in force to strike, no room for the new block, or the
 * result does not read back as the notice says.
 */
export async function remarkPdf(file: string, input: Uint8Array, text: CarrierText, req: RemarkRequest, ctx: ExtractContext): Promise<Remarked> {
  const before = examine(text);
  const inForce = before.stamps.filter((s) => s.evidence === 'strong' || s.evidence === 'weak');
  const strike = inForce.flatMap((s) => linesOf(text, s).map((box) => ({ page: s.page, box })));
  // A line holding two markings is struck once.
  const unique = strike.filter((s, i) => strike.findIndex((t) => t.page === s.page && t.box.y0 === s.box.y0 && t.box.x0 === s.box.x0) === i);
  if (!unique.length && req.change !== 'removed' && before.status !== 'marked') {
    throw new StampError(`${file}: no marking in force was found to strike through; a person must re-mark it`);
  }
  const lang = party(req.to).lang;
  const ink = await inkOf(file, input, Math.max(1, ...unique.map((s) => s.page)), ctx);
  // Through the letters themselves, whatever box the text layer or OCR drew around them.
  const through = unique.map((s) => {
    const pageInk = ink.get(s.page);
    return pageInk ? { page: s.page, box: letterBand(pageInk, s.box) } : s;
  });
  const { output, placements, update } = await stampPdf({
    input,
    text,
    lines: remarkLines(req.change === 'removed' ? { removed: true } : { level: req.change }, lang, req.russian, req.basis),
    ink,
    stamps: inForce.flatMap((s) => (s.bbox ? [{ page: s.page, box: boxOf(s.bbox) }] : [])),
    pages: 'first',
    record: { level: req.change === 'removed' ? null : req.change, from: req.from, to: req.to, inputSha256: req.inputSha256 },
    strike: through,
    remark: { change: req.change, basis: req.basis.map((b) => `${b.reference} (${b.date})`).join('; ') },
  });
  // Read back the whole carrier: a marking left in force on any page would contradict the notice.
  const after = examine(await extractCarrier(file, output, ctx));
  const ok =
    req.change === 'removed'
      ? after.status === 'unmarked'
      : after.status === 'marked' && after.level === req.change && after.stamps.some((s) => s.lang === lang && s.level === req.change && s.evidence === 'strong');
  if (!ok) {
    throw new StampError(
      `${file}: the re-marked PDF does not read back as ${req.change === 'removed' ? 'without a marking' : `${req.change} with the ${lang} marking`} (got ${after.status}${after.level ? ` ${after.level}` : ''}); nothing was written`,
    );
  }
  return { output, outputSha256: sha256Of(output), struck: inForce, placements, update, after };
}
