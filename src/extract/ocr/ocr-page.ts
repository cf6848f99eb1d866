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
import { crop, rotate, shrink, toPng, type PageRaster, type Rect, type Rotation } from './page-image.js';
import type { OcrLine, OcrService } from './ocr-service.js';

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

// Words further apart than this many line heights stand in different columns.
const COLUMN_GAP_LINE_HEIGHTS = 2.5;

function scaleBox(b: BBox, k: number, dy: number): BBox {
  return [b[0] * k, (b[1] + dy) * k, b[2] * k, (b[3] + dy) * k];
}

// Words without a letter or digit (specks of dust read as "|" or ".", quotes, frame lines)
// carry nothing the detector reads, and their boxes would stretch the line's.
const NO_LETTERS = /^[^\p{L}\p{N}№]+$/u;

/**
 * An OCR line as the core takes it: punctuation-only words dropped, words rejoined with a wide gap where columns
 * part, the box that of the words kept. Null when nothing is left.
 */
export function toTextLine(l: OcrLine, k: number, dy = 0): TextLine | null {
  const words = l.words.filter((w) => !NO_LETTERS.test(w.text));
  if (!words.length) return null;
  const height = Math.max(1, l.bbox[3] - l.bbox[1]);
  let text = '';
  words.forEach((w, i) => {
    if (i > 0) text += w.bbox[0] - words[i - 1]!.bbox[2] > COLUMN_GAP_LINE_HEIGHTS * height ? '    ' : ' ';
    text += w.text;
  });
  const bbox: BBox = [
    Math.min(...words.map((w) => w.bbox[0])),
    Math.min(...words.map((w) => w.bbox[1])),
    Math.max(...words.map((w) => w.bbox[2])),
    Math.max(...words.map((w) => w.bbox[3])),
  ];
  return { text, bbox: scaleBox(bbox, k, dy), confidence: l.confidence };
}

function textLines(lines: readonly OcrLine[], k: number, dy = 0): TextLine[] {
  return lines.map((l) => toTextLine(l, k, dy)).filter((l): l is TextLine => l !== null);
}

function band(r: PageRaster, from: number, to: number): Rect {
  const top = Math.max(0, Math.floor(r.height * from));
  const bottom = Math.min(r.height, Math.ceil(r.height * to));
  return { left: 0, top, width: r.width, height: Math.max(1, bottom - top) };
}

async function readRect(ocr: OcrService, r: PageRaster, rect: Rect, k: number): Promise<TextLine[]> {
  return textLines(await ocr.recognize(await toPng(r, rect)), k, rect.top);
}

function pageOf(r: PageRaster, lines: TextLine[], k: number): TextPage {
  return { lines, width: r.width * k, height: r.height * k };
}

/** Mean word confidence and count of real words: how readable an OCR result is. */
function readability(lines: readonly OcrLine[]): { words: number; confidence: number } {
  const words = lines.flatMap((l) => l.words).filter((w) => /\p{L}{3,}/u.test(w.text));
  const confidence = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
  return { words: words.length, confidence };
}

function looksUpright(q: { words: number; confidence: number }): boolean {
  return q.words >= 5 && q.confidence >= 0.6;
}

async function fullPage(ocr: OcrService, r: PageRaster): Promise<{ lines: OcrLine[]; raster: PageRaster; rotation: Rotation }> {
  const lines = await ocr.recognize(await toPng(r));
  const q = readability(lines);
  if (looksUpright(q)) return { lines, raster: r, rotation: 0 };
  // Sideways or upside down: compare the four orientations on the middle of a half-size copy
  // (body text is there; a sideways page read whole is slow), then read the best at full size.
  const small = await shrink(r, 2);
  const middle = await crop(small, {
    left: Math.floor(small.width * 0.15),
    top: Math.floor(small.height * 0.3),
    width: Math.floor(small.width * 0.7),
    height: Math.floor(small.height * 0.4),
  });
  // Upside down is the commonest mistake at the scanner: try it first, and stop at the first
  // orientation that reads clearly.
  let best: { rotation: Rotation; score: number } = { rotation: 0, score: q.words * q.confidence * 0.25 };
  for (const rotation of [180, 90, 270] as const) {
    const s = readability(await ocr.recognize(await toPng(await rotate(middle, rotation))));
    const score = s.words * s.confidence;
    if (score > best.score * 1.2) best = { rotation, score };
    if (looksUpright(s) && s.confidence >= 0.75) break;
  }
  if (best.rotation === 0) return { lines, raster: r, rotation: 0 };
  const turned = await rotate(r, best.rotation);
  return { lines: await ocr.recognize(await toPng(turned)), raster: turned, rotation: best.rotation };
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
  if (!opts.fullPage) {
    const [top, bottom] = await Promise.all([
      readRect(ocr, r, band(r, 0, STAMP_BANDS.top), k),
      readRect(ocr, r, band(r, 1 - STAMP_BANDS.bottom, 1), k),
    ]);
    const page = pageOf(r, [...top, ...bottom], k);
    if (pageDecides(page)) return { page, source: 'ocr-stamp-areas', rotation: 0 };
  }
  const full = await fullPage(ocr, r);
  return { page: pageOf(full.raster, textLines(full.lines, k), k), source: 'ocr-full-page', rotation: full.rotation };
}
