/**
 * Reading the stamp-like regions of a page image (stamp-regions.ts) one by one: each is cut out,
 * turned upright by its own angle, cleared of its frame and read as one block. What each reads
 * as decides what becomes of it: a marking (its lines replace what the page's reading made of
 * the same place), something a person would recognise (a registration stamp, a seal), or
 * nothing: an unreadable mark, which sends the carrier to a person.
 */
import sharp from 'sharp';
import { detect, type BBox, type InkMark, type TextLine } from '../../core/index.js';
import type { OcrLine, OcrService } from './ocr-service.js';
import { toPgm, type PageRaster } from './page-image.js';
import { findStampRegions, type CoarsePage, type StampRegion } from './stamp-regions.js';
import { toTextLine } from './to-text-line.js';

/** What a region read as. */
export type StampReading = 'marking' | 'recognised' | 'unreadable';

export interface ReadStamp {
  readonly region: StampRegion;
  /** The region's bounds in page units. */
  readonly bbox: BBox;
  /** Its lines in page units, in reading order (boxes mapped back from the upright cut-out). */
  readonly lines: readonly TextLine[];
  readonly reading: StampReading;
}

/** Degrees below which a region is read as it stands, without turning it. */
const NO_TURN = 0.75;

interface Upright {
  readonly raster: PageRaster;
  /** From the upright cut-out's pixels back to the page raster's. */
  readonly back: (x: number, y: number) => readonly [number, number];
}

/** The region with a margin, turned so that its lines run level, as a grey raster. */
async function cutUpright(r: PageRaster, g: StampRegion, turnBy: number): Promise<Upright> {
  const margin = Math.round(r.dpi * 0.06);
  const left = Math.max(0, g.left - margin);
  const top = Math.max(0, g.top - margin);
  const width = Math.min(r.width, g.left + g.width + margin) - left;
  const height = Math.min(r.height, g.top + g.height + margin) - top;
  const { data, info } = await sharp(r.pixels, { raw: { width: r.width, height: r.height, channels: 1 } })
    .extract({ left, top, width, height })
    .rotate(turnBy, { background: { r: 255, g: 255, b: 255 } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // sharp turns about the centre and grows the canvas to hold the turned picture.
  const t = (-turnBy * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const back = (x: number, y: number): readonly [number, number] => {
    const dx = x - info.width / 2;
    const dy = y - info.height / 2;
    return [left + width / 2 + dx * cos - dy * sin, top + height / 2 + dx * sin + dy * cos];
  };
  return { raster: { pixels: data, width: info.width, height: info.height, dpi: r.dpi }, back };
}

/**
 * Clears a frame's edges from an upright cut-out: a row or column crossed by one long run of ink
 * (half its length or more, small gaps bridged) is a frame edge, never a line of letters.
 */
export function clearFrame(r: PageRaster): PageRaster {
  const { width: w, height: h } = r;
  const px = Buffer.from(r.pixels);
  const dark = (v: number): boolean => v < 160;
  const gap = Math.max(2, Math.round(r.dpi / 100));
  const longest = (get: (i: number) => number, n: number): number => {
    let best = 0;
    let run = 0;
    let miss = 0;
    for (let i = 0; i < n; i++) {
      if (dark(get(i))) {
        run += miss + 1;
        miss = 0;
      } else if (run > 0 && ++miss > gap) {
        run = 0;
        miss = 0;
      }
      if (run > best) best = run;
    }
    return best;
  };
  const rows: number[] = [];
  for (let y = 0; y < h; y++) if (longest((x) => r.pixels[y * w + x]!, w) > w * 0.45) rows.push(y);
  const cols: number[] = [];
  for (let x = 0; x < w; x++) if (longest((y) => r.pixels[y * w + x]!, h) > h * 0.45) cols.push(x);
  const pad = Math.max(1, Math.round(r.dpi / 150));
  for (const y of rows) for (let yy = Math.max(0, y - pad); yy <= Math.min(h - 1, y + pad); yy++) px.fill(255, yy * w, (yy + 1) * w);
  for (const x of cols) {
    for (let xx = Math.max(0, x - pad); xx <= Math.min(w - 1, x + pad); xx++) for (let y = 0; y < h; y++) px[y * w + xx] = 255;
  }
  return { ...r, pixels: px };
}

/**
 * Stamp-pad ink leaves pinholes of paper in every stroke, and a cleared frame leaves stubs;
 * tesseract's confidence falls with both (a clean "ҚҰПИЯ" read at 0.30 before, 0.95 after, on a
 * measured cut-out). A 3×3 median fills the one and rubs out the other.
 */
async function despeckle(r: PageRaster): Promise<PageRaster> {
  const { data } = await sharp(r.pixels, { raw: { width: r.width, height: r.height, channels: 1 } })
    .median(3)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { ...r, pixels: data };
}

/** An OCR line of the cut-out, its boxes mapped back onto the page raster. */
function mapBack(l: OcrLine, back: Upright['back']): OcrLine {
  const box = (b: BBox): BBox => {
    const corners = [back(b[0], b[1]), back(b[2], b[1]), back(b[0], b[3]), back(b[2], b[3])];
    return [
      Math.min(...corners.map((c) => c[0])),
      Math.min(...corners.map((c) => c[1])),
      Math.max(...corners.map((c) => c[0])),
      Math.max(...corners.map((c) => c[1])),
    ];
  };
  return { ...l, bbox: box(l.bbox), words: l.words.map((w) => ({ ...w, bbox: box(w.bbox) })) };
}

const DATE = /\b\d{1,2}[./-]\d{1,2}[./-](\d{2}|\d{4})\b/u;
const NUMBERED = /(№|N[o°]?\.?)\s*\d+/u;

/**
 * Whether text read from a stamp-like region is something a person would recognise other than a
 * marking: a registration stamp (a number and a date), or words read clearly.
 */
function recognisable(lines: readonly OcrLine[]): boolean {
  const text = lines.map((l) => l.text).join(' ');
  if (DATE.test(text) && (NUMBERED.test(text) || /\d{2,}/u.test(text.replace(DATE, '')))) return true;
  const words = lines.flatMap((l) => l.words).filter((w) => /\p{L}{3,}/u.test(w.text));
  if (words.length < 2) return false;
  const letters = words.reduce((a, w) => a + w.text.length, 0);
  const confident = words.filter((w) => w.confidence >= 0.85).reduce((a, w) => a + w.text.length, 0);
  return confident / letters >= 0.8;
}

/** What the detector makes of some lines: a marking, a national label ("ДСП"), or neither. */
function markingIn(lines: readonly TextLine[]): 'marking' | 'label' | null {
  if (!lines.length) return null;
  const d = detect({ pages: [{ lines }] });
  return d.stamps.length ? 'marking' : d.otherLabels.length ? 'label' : null;
}

function hasMarking(lines: readonly TextLine[]): boolean {
  return markingIn(lines) === 'marking';
}

async function readOne(ocr: OcrService, r: PageRaster, g: StampRegion, k: number): Promise<ReadStamp> {
  const bbox: BBox = [g.left * k, g.top * k, (g.left + g.width) * k, (g.top + g.height) * k];
  // A small turn first; a stamp put on upside down reads only turned the other way.
  let best: { lines: TextLine[]; raw: OcrLine[] } | null = null;
  for (const turnBy of Math.abs(g.angle) < NO_TURN ? [0, 180] : [-g.angle, 180 - g.angle]) {
    const up = await cutUpright(r, g, turnBy);
    const clean = await despeckle(g.kind === 'frame' ? clearFrame(up.raster) : up.raster);
    const raw = (await ocr.recognize(toPgm(clean), { dpi: clean.dpi, layout: 'block' })).map((l) => mapBack(l, up.back));
    const lines = raw.map((l) => toTextLine(l, k)).filter((l): l is TextLine => l !== null);
    const found = markingIn(lines);
    if (found === 'marking') return { region: g, bbox, lines, reading: 'marking' };
    // A national label in a frame ("ДСП") is a stamp a person recognises, not an Article 3 one.
    if (found === 'label') return { region: g, bbox, lines, reading: 'recognised' };
    if (recognisable(raw)) {
      best = { lines, raw };
      break;
    }
    best ??= { lines, raw };
  }
  const { lines, raw } = best!;
  const reading: StampReading = g.kind === 'ring' || recognisable(raw) ? 'recognised' : stampLike(g) ? 'unreadable' : 'recognised';
  return { region: g, bbox, lines, reading };
}

/**
 * Whether an unread region is evidence of a stamp: a frame with ink inside it (an empty one is a
 * form's box), or coloured ink laid out as letters of a stamp's size. A photograph or a bar of
 * colour (solid), a signature (few strokes), small coloured print, and a turned block of black
 * letters with no frame (a note, a skewed paste-in) are not; a ring is a seal, which readOne takes
 * for recognised before asking.
 */
function stampLike(g: StampRegion): boolean {
  if (g.kind === 'frame') return g.marks >= 2 || g.inner >= 0.08;
  return g.kind === 'coloured-ink' && g.marks >= 4 && g.density < 0.35 && g.inches >= 0.15;
}

/** Finds the stamp-like regions of a page image and reads each, turned upright. */
export async function readStamps(ocr: OcrService, r: PageRaster, k: number, coarse?: CoarsePage): Promise<ReadStamp[]> {
  // Finding regions is pixel work on this thread: let the page's own OCR be handed to the
  // workers first, so the two run at once.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const regions = findStampRegions(r, coarse ? { coarse } : {});
  return Promise.all(regions.map((g) => readOne(ocr, r, g, k)));
}

/** A line's middle lies inside a box. */
function inside(l: TextLine, b: BBox): boolean {
  if (!l.bbox) return false;
  const x = (l.bbox[0] + l.bbox[2]) / 2;
  const y = (l.bbox[1] + l.bbox[3]) / 2;
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

/**
 * A page's lines with its stamps' readings laid over them: where a region was read upright, its
 * lines stand instead of what the page's reading made of the same place, unless only the page's
 * reading found a marking there. Unreadable regions become marks.
 */
export function withStamps(lines: readonly TextLine[], stamps: readonly ReadStamp[]): { lines: TextLine[]; marks: InkMark[] } {
  let out = [...lines];
  const marks: InkMark[] = [];
  for (const s of stamps) {
    const covered = out.filter((l) => inside(l, s.bbox));
    if (s.reading !== 'marking' && hasMarking(covered)) continue;
    out = out.filter((l) => !covered.includes(l)).concat(s.lines);
    if (s.reading === 'unreadable') marks.push({ bbox: s.bbox, kind: s.region.kind, coloured: s.region.coloured });
  }
  return { lines: out, marks };
}
