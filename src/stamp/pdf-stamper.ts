/**
 * Adds the receiving side's stamp to a PDF as an incremental update (Art. 6.1): the output is the
 * input's exact bytes followed by the new objects, so the carrier as received stays the document's
 * first revision and existing signatures stay valid (Art. 4.1(2): the sender's marking is never
 * touched). @cantoo/pdf-lib writes the update; see docs/stamping-research.md for what was measured.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { degrees, PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import fontkit from '@cantoo/fontkit';
import { DEFAULT_SETTINGS, type CarrierText, type Level, type PartyId } from '../core/index.js';
import { GrifError } from '../errors.js';
import type { InkMap } from './ink-map.js';
import { placeStamp, type Box } from './layout.js';
import { normaliseRotation, toUserSpace, uprightSize, type PageGeometry } from './page-space.js';
import type { StampLine } from './stamp-content.js';

/** The stamp could not be added; the carrier goes to a person. */
export class StampError extends GrifError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'stamp/failed', exitCode: 1, cause });
  }
}

// Noto Sans Bold covers every Kazakh and Kyrgyz letter; read once per process.
let fontBytes: Uint8Array | undefined;
function stampFont(): Uint8Array {
  fontBytes ??= readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'));
  return fontBytes;
}

// pdf-lib hands the font's bytes to fontkit.create for every document, and parsing Noto Sans
// (4,503 glyphs) costs about 40 ms each time, most of a 10-page stamp. The parsed font is only
// read from (each document makes its own subset), so one parse serves the whole process.
const parsedFonts = new WeakMap<object, unknown>();
export const stampFontkit: typeof fontkit = {
  ...fontkit,
  create: ((bytes: Uint8Array, postscriptName?: string) => {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName);
    if (!parsedFonts.has(bytes)) parsedFonts.set(bytes, fontkit.create(bytes));
    return parsedFonts.get(bytes);
  }) as typeof fontkit.create,
};

const INK = rgb(0.08, 0.16, 0.55); // the dark blue of a registration stamp
const PADDING = 5;
const LEADING = 1.25;
const BORDER = 1.2;
const STRIKE_WIDTH = 1;
// Room kept above and below an original stamp. Nothing new goes beside it on the same lines:
// OCR runs two blocks on one line together, and two markings side by side read as a table row.
const STAMP_CLEARANCE_ABOVE_BELOW = 12;

export interface StampPdfRequest {
  readonly input: Uint8Array;
  /** grif's reading of the same input: line boxes in points of the upright page. */
  readonly text: CarrierText;
  readonly lines: readonly StampLine[];
  /** Each target page's ink (1-based page number), so that nothing drawn is covered. */
  readonly ink: ReadonlyMap<number, InkMap>;
  /** Boxes to keep well clear of, per page (1-based): the original stamps. */
  readonly stamps: ReadonlyArray<{ readonly page: number; readonly box: Box }>;
  readonly pages: 'first' | 'all';
  readonly record: { readonly level: Level | null; readonly from: PartyId; readonly to: PartyId; readonly inputSha256: string };
  /**
   * Lines of text to strike through with one thin line, left legible (Art. 6.3 re-marking: the
   * markings no longer in force), per page (1-based), in the upright page's points.
   */
  readonly strike?: ReadonlyArray<{ readonly page: number; readonly box: Box }>;
  /** A re-marking: what changed and on whose notice (for the document's metadata). */
  readonly remark?: { readonly change: string; readonly basis: string };
}

export interface StampPlacement {
  /** 1-based. */
  readonly page: number;
  /** Where the stamp went, in the upright page (points from the top left). */
  readonly box: Box;
}

/**
 * incremental: the input's bytes, then the update (the normal case). full-rewrite: the input's
 * cross-reference table is broken, so an update chained to it would be unreadable; the file is
 * rewritten whole (the original's bytes are then not kept as a revision).
 */
export type UpdateKind = 'incremental' | 'full-rewrite';

export interface StampPdfResult {
  readonly output: Uint8Array;
  readonly placements: readonly StampPlacement[];
  readonly update: UpdateKind;
}

/**
 * Whether the file's last `startxref` points at a cross-reference section (a table or a stream
 * object). Readers repair a broken one silently, but an incremental update chains to it with
 * /Prev, and then poppler finds no pages at all (docs/stamping-research.md).
 */
export function xrefIsSound(bytes: Uint8Array): boolean {
  const tailStart = Math.max(0, bytes.length - 2048);
  const tail = Buffer.from(bytes.subarray(tailStart)).toString('latin1');
  const all = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)];
  const last = all[all.length - 1];
  if (!last) return false;
  const offset = Number(last[1]);
  if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= bytes.length) return false;
  const at = Buffer.from(bytes.subarray(offset, offset + 40)).toString('latin1');
  return /^xref\b/.test(at) || /^\d+\s+\d+\s+obj\b/.test(at);
}

function blockSize(font: PDFFont, lines: readonly StampLine[]): { width: number; height: number } {
  const width = Math.max(...lines.map((l) => font.widthOfTextAtSize(l.text, l.size))) + 2 * PADDING;
  const height = lines.reduce((h, l) => h + l.size * LEADING, 0) + 2 * PADDING;
  return { width: Math.ceil(width), height: Math.ceil(height) };
}

/**
 * Only where the detector (and a reader) looks for stamps: the marking line in the top or the
 * bottom band of the page (src/core/settings.ts). A stamp in the middle of a page would read back
 * as weak evidence.
 */
function inStampArea(height: number, lines: readonly StampLine[]): (b: Box) => boolean {
  // The whole marking line inside a band, whatever box a text extractor draws around it.
  const first = lines[0]!.size * LEADING;
  return (b) =>
    b.y0 + PADDING + first <= DEFAULT_SETTINGS.topBand * height || b.y0 + PADDING >= (1 - DEFAULT_SETTINGS.bottomBand) * height;
}

function geometryOf(page: PDFPage): PageGeometry {
  const c = page.getCropBox();
  return { crop: [c.x, c.y, c.x + c.width, c.y + c.height], rotate: normaliseRotation(page.getRotation().angle) };
}

function drawBlock(page: PDFPage, g: PageGeometry, box: Box, font: PDFFont, lines: readonly StampLine[]): void {
  const rotate = degrees(g.rotate);
  // A frame, not a filled box: nothing under it is hidden, whatever the page holds.
  const corner = toUserSpace(g, box.x0, box.y1);
  page.drawRectangle({ x: corner.x, y: corner.y, width: box.x1 - box.x0, height: box.y1 - box.y0, borderColor: INK, borderWidth: BORDER, rotate });
  let top = box.y0 + PADDING;
  for (const line of lines) {
    const w = font.widthOfTextAtSize(line.text, line.size);
    // Every line centred, as on a stamp.
    const u = box.x0 + (box.x1 - box.x0 - w) / 2;
    const at = toUserSpace(g, u, top + line.size * 0.95);
    page.drawText(line.text, { x: at.x, y: at.y, size: line.size, font, color: INK, rotate });
    top += line.size * LEADING;
  }
}

/** One line through the middle of a line of text, a little beyond its ends: legible, and plainly struck. */
function drawStrike(page: PDFPage, g: PageGeometry, box: Box): void {
  const y = (box.y0 + box.y1) / 2;
  const start = toUserSpace(g, box.x0 - 2, y);
  const end = toUserSpace(g, box.x1 + 2, y);
  page.drawLine({ start, end, thickness: STRIKE_WIDTH, color: INK });
}

export async function stampPdf(req: StampPdfRequest): Promise<StampPdfResult> {
  let doc: PDFDocument;
  const update: UpdateKind = xrefIsSound(req.input) ? 'incremental' : 'full-rewrite';
  try {
    // updateMetadata false: pdf-lib would otherwise register an Info dict before the incremental
    // snapshot and never write it (a dangling /Info that poppler rejects).
    doc = await PDFDocument.load(req.input, { forIncrementalUpdate: update === 'incremental', updateMetadata: false });
  } catch (err) {
    throw new StampError(`the PDF cannot be opened for stamping (${err instanceof Error ? err.message : String(err)})`, err);
  }
  doc.registerFontkit(stampFontkit);
  const font = await doc.embedFont(stampFont(), { subset: true });
  const size = blockSize(font, req.lines);
  const pages = doc.getPages();
  const targets = req.pages === 'all' ? pages.map((_, i) => i) : [0];
  const placements: StampPlacement[] = [];
  for (const s of req.strike ?? []) {
    const page = pages[s.page - 1];
    if (page) drawStrike(page, geometryOf(page), s.box);
  }
  for (const i of targets) {
    const page = pages[i]!;
    const g = geometryOf(page);
    const occupied: Box[] = (req.text.pages[i]?.lines ?? []).flatMap((l) => (l.bbox ? [{ x0: l.bbox[0], y0: l.bbox[1], x1: l.bbox[2], y1: l.bbox[3] }] : []));
    const upright = uprightSize(g);
    for (const s of req.stamps) {
      if (s.page !== i + 1) continue;
      const c = STAMP_CLEARANCE_ABOVE_BELOW;
      occupied.push({ x0: 0, y0: s.box.y0 - c, x1: upright.width, y1: s.box.y1 + c });
    }
    const ink = req.ink.get(i + 1);
    const box = placeStamp({
      page: upright,
      occupied,
      stamp: size,
      allowed: inStampArea(upright.height, req.lines),
      ...(ink ? { blocked: (b: Box) => ink.hasInk(b) } : {}),
    });
    if (!box) {
      throw new StampError(
        `page ${i + 1} has no blank place at its top or foot for a ${size.width}×${size.height} pt stamp that would cover nothing; a person must place it`,
      );
    }
    drawBlock(page, g, box, font, req.lines);
    placements.push({ page: i + 1, box });
  }
  const { level, from, to, inputSha256 } = req.record;
  doc.setSubject(
    req.remark
      ? `Art. 6.3 re-marking: ${req.remark.change} on notice ${req.remark.basis}; sent by ${from}, received by ${to}`
      : `Art. 6.1 receiving-side marking: ${level}, sent by ${from}, received by ${to}`,
  );
  doc.setKeywords([`grif-level=${level ?? 'removed'}`, `grif-from=${from}`, `grif-to=${to}`, `grif-input-sha256=${inputSha256}`, ...(req.remark ? ['grif-remarked'] : [])]);
  if (update === 'full-rewrite') return { output: await doc.save({ useObjectStreams: false }), placements, update };
  const output = await doc.commit();
  // The promise of an incremental update: every byte of the input, unchanged, first.
  // Views, not copies: a scan can be hundreds of megabytes.
  const view = (a: Uint8Array, n: number): Buffer => Buffer.from(a.buffer, a.byteOffset, n);
  if (output.length <= req.input.length || !view(output, req.input.length).equals(view(req.input, req.input.length))) {
    throw new StampError('the stamped PDF does not begin with the input\'s bytes; nothing was written');
  }
  return { output, placements, update };
}
