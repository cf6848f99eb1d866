/**
 * OCR of one page image, stamp areas first. Markings sit in predictable places: the top band and
 * the foot of a page are read first, and only when they decide (a marking, all evidence strong) is
 * the rest skipped. Anything else (nothing found, weak evidence, a conflict) reads the full page,
 * so no stamp elsewhere is missed. A page that reads as garbage is tried in the other three
 * orientations.
 */
import { pageDecides, type BBox, type TextLine, type TextPage } from '../../core/index.js';
import { GrifError } from '../../errors.js';
import type { PageSource } from '../extractor.js';
import { OcrFailedError } from './ocr-errors.js';
import { crop, rotate, shrink, toPgm, type PageRaster, type Rect, type Rotation } from './page-image.js';
import type { OcrLine, OcrService } from './ocr-service.js';
import { readStamps, withStamps, type ReadStamp } from './read-stamps.js';
import { bandHasMarks, coarsePage } from './stamp-regions.js';
import { toTextLine } from './to-text-line.js';

export { toTextLine };

export interface OcrPageOptions {
  /** Read the full page even when the stamp areas decide. */
  readonly fullPage: boolean;
  /** Page units per pixel (72 / dpi for a PDF page, in points; 1 for an image carrier). */
  readonly unitsPerPixel: number;
}

export interface OcrPageResult {
  readonly page: TextPage;
  readonly source: PageSource;
  /** Clockwise turn that made the page upright; boxes are given in the upright page. */
  readonly rotation: Rotation;
}

/** The stamp areas read first, as shares of the page height. */
export const STAMP_BANDS = { top: 0.22, bottom: 0.12 } as const;

/**
 * Resolution for reading beyond the stamp areas. Tesseract scales every text line to a fixed
 * height before recognition, so body text at 200 dpi reads as well as at 300 (measured on the
 * fixtures' body words, BENCHMARKS.md), while layout analysis and binarisation cost per pixel:
 * a 300 dpi page read at 200 dpi costs about a third less. Stamp areas are read at full resolution.
 */
export const BODY_DPI = 200;

/** The raster at BODY_DPI (when it is finer) and the page units per pixel of that copy. */
async function forBody(r: PageRaster, k: number): Promise<{ r: PageRaster; k: number }> {
  if (r.dpi <= BODY_DPI * 1.1) return { r, k };
  const small = await shrink(r, r.dpi / BODY_DPI);
  return { r: small, k: (k * r.width) / small.width };
}

function shiftBox(b: BBox, dy: number): BBox {
  return [b[0], b[1] + dy, b[2], b[3] + dy];
}

/** An OCR line of a slice, moved to page pixels. */
function shiftLine(l: OcrLine, dy: number): OcrLine {
  return { ...l, bbox: shiftBox(l.bbox, dy), words: l.words.map((w) => ({ ...w, bbox: shiftBox(w.bbox, dy) })) };
}

function textLines(lines: readonly OcrLine[], k: number): TextLine[] {
  return lines.map((l) => toTextLine(l, k)).filter((l): l is TextLine => l !== null);
}

function band(r: PageRaster, from: number, to: number): Rect {
  const top = Math.max(0, Math.floor(r.height * from));
  const bottom = Math.min(r.height, Math.ceil(r.height * to));
  return { left: 0, top, width: r.width, height: Math.max(1, bottom - top) };
}

// Slices of a page are read with this much (share of the height) to spare on each side, and a
// line belongs to the slice that holds its middle: no line is cut at a slice's edge, none is read
// twice. A text line is under 2% of an A4 page at any usual type size.
const SLICE_OVERLAP = 0.02;

interface Slice {
  /** OCR lines, in the raster's pixels. */
  readonly raw: OcrLine[];
  readonly lines: TextLine[];
}

async function readSlice(ocr: OcrService, r: PageRaster, from: number, to: number, k: number): Promise<Slice> {
  const rect = band(r, from - SLICE_OVERLAP, to + SLICE_OVERLAP);
  const lo = from * r.height;
  const hi = to >= 1 ? Infinity : to * r.height;
  const raw = (await ocr.recognize(toPgm(r, rect), { dpi: r.dpi }))
    .map((l) => shiftLine(l, rect.top))
    .filter((l) => {
      const middle = (l.bbox[1] + l.bbox[3]) / 2;
      return middle >= lo && middle < hi;
    });
  return { raw, lines: textLines(raw, k) };
}

/**
 * The page's lines top to bottom, its stamps' upright readings laid over them. Tesseract's
 * automatic layout gives blocks in its own order (a stamp block at the top right may come after
 * the body); the detector pairs a stamp with the copy line under it by order, so order them by
 * position.
 */
function pageOf(r: PageRaster, lines: TextLine[], k: number, stamps: readonly ReadStamp[] = []): TextPage {
  const laid = withStamps(lines, stamps);
  const sorted = [...laid.lines].sort((a, b) => a.bbox![1] - b.bbox![1] || a.bbox![0] - b.bbox![0]);
  return { lines: sorted, width: r.width * k, height: r.height * k, ...(laid.marks.length ? { marks: laid.marks } : {}) };
}

interface Readability {
  /** Words of three letters or more. */
  readonly words: number;
  /** Their mean confidence. */
  readonly confidence: number;
  /** Share of those words standing taller than wide: text running up or down a sideways page. */
  readonly vertical: number;
}

/** How readable an OCR result is, and whether its text runs across the page. */
function readability(lines: readonly OcrLine[]): Readability {
  const words = lines.flatMap((l) => l.words).filter((w) => /\p{L}{3,}/u.test(w.text));
  if (!words.length) return { words: 0, confidence: 0, vertical: 0 };
  const confidence = words.reduce((a, w) => a + w.confidence, 0) / words.length;
  const vertical = words.filter((w) => w.bbox[3] - w.bbox[1] > w.bbox[2] - w.bbox[0]).length / words.length;
  return { words: words.length, confidence, vertical };
}

// Tesseract's automatic layout reads a sideways page's text as vertical lines, often with good
// confidence: upright means readable AND running across.
function looksUpright(q: Readability): boolean {
  return q.words >= 5 && q.confidence >= 0.6 && q.vertical < 0.3;
}

/**
 * For a page that read as garbage: the clockwise turn that makes it read best, tried on the middle
 * of a half-size copy (body text is there; a sideways page read whole is slow). 0 when no turn
 * reads clearly better.
 */
async function findOrientation(ocr: OcrService, r: PageRaster, asIs: Readability): Promise<Rotation> {
  const small = await shrink(r, 2);
  const middle = await crop(small, {
    left: Math.floor(small.width * 0.15),
    top: Math.floor(small.height * 0.3),
    width: Math.floor(small.width * 0.7),
    height: Math.floor(small.height * 0.4),
  });
  // Upside down is the commonest mistake at the scanner: try it first, and stop at the first
  // orientation that reads clearly.
  let best: { rotation: Rotation; score: number } = { rotation: 0, score: asIs.words * asIs.confidence * (1 - asIs.vertical) * 0.25 };
  for (const rotation of [180, 90, 270] as const) {
    const turned = await rotate(middle, rotation);
    const q = readability(await ocr.recognize(toPgm(turned), { dpi: turned.dpi }));
    const score = q.words * q.confidence * (1 - q.vertical);
    if (score > best.score * 1.2) best = { rotation, score };
    if (looksUpright(q) && q.confidence >= 0.75) break;
  }
  return best.rotation;
}

/** What has been read of a page before it is read whole. */
interface FirstReading {
  readonly lines: TextLine[];
  readonly raw: OcrLine[];
  readonly stamps: readonly ReadStamp[];
}

/**
 * The whole page at once (at body resolution), turned upright first when it reads as garbage.
 * Stamps are found and read on the full-resolution raster `r`, in the orientation read.
 */
async function readWhole(ocr: OcrService, r: PageRaster, k: number, body: { r: PageRaster; k: number }, first?: FirstReading): Promise<OcrPageResult> {
  const [read, stamps] = first ? [first, first.stamps] : await Promise.all([readSlice(ocr, body.r, 0, 1, body.k), readStamps(ocr, r, k)]);
  const q = readability(read.raw);
  const rotation = looksUpright(q) ? 0 : await findOrientation(ocr, body.r, q);
  if (rotation === 0) return { page: pageOf(body.r, read.lines, body.k, stamps), source: 'ocr-full-page', rotation };
  const [turnedBody, turned] = await Promise.all([rotate(body.r, rotation), rotate(r, rotation)]);
  const [again, turnedStamps] = await Promise.all([readSlice(ocr, turnedBody, 0, 1, body.k), readStamps(ocr, turned, k)]);
  return { page: { ...pageOf(turnedBody, again.lines, body.k, turnedStamps), rotation }, source: 'ocr-full-page', rotation };
}

export async function ocrPage(r: PageRaster, ocr: OcrService, opts: OcrPageOptions): Promise<OcrPageResult> {
  try {
    return await readPage(r, ocr, opts);
  } catch (err) {
    if (err instanceof GrifError) throw err;
    throw new OcrFailedError(err instanceof Error ? err.message : String(err), err);
  }
}

async function readPage(r: PageRaster, ocr: OcrService, opts: OcrPageOptions): Promise<OcrPageResult> {
  const k = opts.unitsPerPixel;
  if (opts.fullPage) return readWhole(ocr, r, k, await forBody(r, k));
  // The stamp areas, and every stamp-like region read upright on its own (a rubber stamp turned
  // by hand reads as noise in the page's own reading). The top band goes to OCR first; while it
  // is read, the page's coarse copy shows whether the foot holds anything to read at all.
  // (One Promise.all holds both, so a failure of either is handled, never left unobserved.)
  const [top, [bottom, stamps]] = await Promise.all([
    readSlice(ocr, r, 0, STAMP_BANDS.top, k),
    (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const coarse = coarsePage(r);
      return Promise.all([
        bandHasMarks(coarse, 1 - STAMP_BANDS.bottom, 1) ? readSlice(ocr, r, 1 - STAMP_BANDS.bottom, 1, k) : { raw: [], lines: [] },
        readStamps(ocr, r, k, coarse),
      ]);
    })(),
  ]);
  const areas = pageOf(r, [...top.lines, ...bottom.lines], k, stamps);
  if (pageDecides(areas)) return { page: areas, source: 'ocr-stamp-areas', rotation: 0 };
  // Not decided: read the rest of the page, not the stamp areas again.
  const body = await forBody(r, k);
  const middle = await readSlice(ocr, body.r, STAMP_BANDS.top, 1 - STAMP_BANDS.bottom, body.k);
  return readWhole(ocr, r, k, body, {
    lines: [...top.lines, ...middle.lines, ...bottom.lines],
    raw: [...top.raw, ...middle.raw, ...bottom.raw],
    stamps,
  });
}
