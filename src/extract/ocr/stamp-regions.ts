/**
 * Where on a page image a rubber stamp may be, and at what angle: frames (a rectangle or a ring),
 * blocks of coloured ink, and short blocks of text turned away from the body's lines. Rubber
 * stamps are put on by hand, so they sit turned a few degrees (up to about 20°) and tesseract,
 * which straightens a page by its body text, reads them as noise; each region found here is read
 * on its own, turned upright (ocr-page.ts).
 *
 * Pure pixel arithmetic on a coarse copy of the page (about 75 dpi): a few tens of milliseconds
 * for an A4 page, no OCR.
 */
import { components, type Component } from './connected-components.js';
import type { PageRaster } from './page-image.js';

/** Why a region was taken for a stamp. */
export type RegionKind = 'frame' | 'ring' | 'coloured-ink' | 'turned-text';

export interface StampRegion {
  /** Axis-aligned bounds in the raster's pixels. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Degrees the stamp's lines are turned clockwise from the horizontal, in [-25, 25]. */
  readonly angle: number;
  readonly kind: RegionKind;
  /** Its ink is mostly coloured (violet, blue, red). */
  readonly coloured: boolean;
  /** Letter-sized marks inside it: a stamp with text has several, a signature or a blot few. */
  readonly marks: number;
  /** Share of its box covered by ink: a signature's thin strokes cover little, a photograph all. */
  readonly density: number;
  /** Share of the middle of its box (60 % each way) covered by ink: an empty frame has none. */
  readonly inner: number;
  /** Its height in inches. */
  readonly inches: number;
}

/** The coarse copy's resolution: frames and letters stay distinct, a page costs ~1 Mpx. */
const WORK_DPI = 75;
/** The largest turn looked for: hand-stamped marks sit within about 20°. */
const MAX_ANGLE = 25;

/** A page as the region finding sees it: a coarse copy, made once and shared. */
export interface CoarsePage {
  readonly w: number;
  readonly h: number;
  /** Raster pixels per coarse pixel. */
  readonly f: number;
  readonly dpi: number;
  /** The darkest grey of each block. */
  readonly grey: Uint8Array;
  /** The paper's grey (the page's median). */
  readonly paper: number;
  /** 1 where there is ink of any colour. */
  readonly ink: Uint8Array;
  /** 1 where the ink is coloured. */
  readonly colour: Uint8Array;
}

/**
 * Each f×f block of the page as one pixel: the darkest grey of the block, and the chroma of that
 * darkest pixel (the ink's colour, where there is ink). One pass over the page, the costliest
 * step here.
 */
function pool(r: PageRaster, f: number, w: number, h: number): { grey: Uint8Array; chroma: Uint8Array | null } {
  const grey = new Uint8Array(w * h).fill(255);
  const chroma = r.chroma ? new Uint8Array(w * h) : null;
  const W = r.width;
  const src = r.pixels;
  const csrc = r.chroma;
  // Two rows of each block are enough: at 300 dpi and more no stroke of print or stamp is one
  // pixel tall, and the pass over every pixel is this step's whole cost.
  const half = f >> 1;
  for (let y = 0; y < r.height; y++) {
    const dy = y % f;
    if (f >= 3 && dy !== 0 && dy !== half) continue;
    const row = ((y / f) | 0) * w;
    const rowEnd = y * W + W;
    for (let cx = 0, i = y * W; cx < w; cx++) {
      const end = i + f < rowEnd ? i + f : rowEnd;
      let m = grey[row + cx]!;
      let at = -1;
      for (let j = i; j < end; j++) {
        const v = src[j]!;
        if (v < m) {
          m = v;
          at = j;
        }
      }
      grey[row + cx] = m;
      if (csrc && at >= 0) chroma![row + cx] = csrc[at]!;
      i = end;
    }
  }
  return { grey, chroma };
}

/** The page at about WORK_DPI, each coarse pixel the darkest (and most colourful) of its block. */
/** The coarse copy of a page (about WORK_DPI): pass it to findStampRegions and bandHasMarks. */
export function coarsePage(r: PageRaster): CoarsePage {
  const f = Math.max(1, Math.floor(r.dpi / (WORK_DPI * 0.9)));
  const w = Math.ceil(r.width / f);
  const h = Math.ceil(r.height / f);
  const { grey, chroma } = pool(r, f, w, h);
  // Paper is the light end of the page's histogram; ink is clearly darker than it.
  const n = w * h;
  const hist = new Uint32Array(256);
  for (let k = 0; k < n; k++) hist[grey[k]!]!++;
  let paper = 255;
  for (let v = 0, acc = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= n / 2) {
      paper = v;
      break;
    }
  }
  const inkBelow = Math.min(200, paper * 0.75);
  const ink = new Uint8Array(n);
  const colour = new Uint8Array(n);
  for (let k = 0; k < n; k++) ink[k] = grey[k]! < inkBelow ? 1 : 0;
  if (chroma) {
    // Coloured ink: far from grey, and darker than the paper (a pale tint of the paper is not ink).
    const tinted = paper - 40;
    for (let k = 0; k < n; k++) {
      if (chroma[k]! > 48 && grey[k]! < tinted) {
        colour[k] = 1;
        ink[k] = 1;
      }
    }
  }
  return { w, h, f, dpi: r.dpi / f, grey, paper, ink, colour };
}

/**
 * Whether a band of the page (shares of its height) holds any mark of a letter's size, however
 * faint: a band of blank paper (dust specks at most) has nothing for OCR to read.
 */
export function bandHasMarks(c: CoarsePage, from: number, to: number): boolean {
  const y0 = Math.max(0, Math.floor(from * c.h));
  const y1 = Math.min(c.h, Math.ceil(to * c.h));
  const rows = y1 - y0;
  if (rows <= 0) return false;
  const faint = c.paper * 0.85;
  const mask = new Uint8Array(c.w * rows);
  for (let i = 0; i < mask.length; i++) mask[i] = c.grey[y0 * c.w + i]! < faint ? 1 : 0;
  // The smallest letter worth reading: a twentieth of an inch either way.
  const letter = Math.max(2, Math.round(0.05 * c.dpi));
  return components(mask, c.w, rows).list.some((k) => k.x1 - k.x0 + 1 >= letter || k.y1 - k.y0 + 1 >= letter);
}

/** Grows a mask by `rx` pixels left and right and `ry` up and down (a box max filter). */
function dilate(mask: Uint8Array, w: number, h: number, rx: number, ry: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let last = -Infinity;
    for (let x = 0; x < w + rx; x++) {
      if (x < w && mask[y * w + x]) last = x;
      const o = x - rx;
      if (o >= 0 && o < w && x - last <= 2 * rx) tmp[y * w + o] = 1;
    }
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let last = -Infinity;
    for (let y = 0; y < h + ry; y++) {
      if (y < h && tmp[y * w + x]) last = y;
      const o = y - ry;
      if (o >= 0 && o < h && y - last <= 2 * ry) out[o * w + x] = 1;
    }
  }
  return out;
}

/** The pixels of one component that are also set in `keep`. */
function pixelsOf(c: Component, labels: Int32Array, keep: Uint8Array, w: number): Int32Array {
  const out: number[] = [];
  for (let y = c.y0; y <= c.y1; y++) {
    for (let x = c.x0; x <= c.x1; x++) {
      const p = y * w + x;
      if (labels[p] === c.id && keep[p]) out.push(p);
    }
  }
  return Int32Array.from(out);
}

/**
 * The angle (degrees, clockwise) at which the ink of a box lines up best in rows: the projection
 * profile across the lines is sharpest there. Text lines and frame edges both line up.
 */
export function inkAngle(mask: Uint8Array, w: number, box: { x0: number; y0: number; x1: number; y1: number }, maxPixels = 6_000): number {
  const xs: number[] = [];
  const ys: number[] = [];
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  let inked = 0;
  for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) inked += mask[y * w + x]!;
  // A large box is sampled: a few thousand pixels place its lines as well as all of them.
  const step = Math.max(1, Math.ceil(inked / maxPixels));
  let seen = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      if (mask[y * w + x] && seen++ % step === 0) {
        xs.push(x - cx);
        ys.push(y - cy);
      }
    }
  }
  if (xs.length < 20) return 0;
  const reach = Math.ceil(Math.hypot(box.x1 - box.x0, box.y1 - box.y0)) + 2;
  const bins = new Float64Array(2 * reach + 1);
  const sharpness = (deg: number): number => {
    const t = (deg * Math.PI) / 180;
    const s = Math.sin(t);
    const c = Math.cos(t);
    bins.fill(0);
    for (let i = 0; i < xs.length; i++) bins[Math.round(-xs[i]! * s + ys[i]! * c) + reach]!++;
    let sum = 0;
    for (const b of bins) sum += b * b;
    return sum;
  };
  let best = 0;
  let bestScore = -1;
  for (let a = -MAX_ANGLE; a <= MAX_ANGLE; a += 1) {
    const score = sharpness(a);
    if (score > bestScore) [best, bestScore] = [a, score];
  }
  for (let a = best - 0.75; a <= best + 0.75; a += 0.25) {
    const score = sharpness(a);
    if (score > bestScore) [best, bestScore] = [a, score];
  }
  return best;
}

/**
 * How much of an ink mask's box is a frame around it, turned by `angle`: how fully its least
 * drawn side runs (a frame's four sides run unbroken but for ink gaps; a block of letters touches
 * its box's sides only here and there), and how many of its sides have little ink just inside
 * them (a frame stands off its contents; a line of letters fills its box to every side).
 */
function frameOf(
  pixels: Int32Array,
  mask: Uint8Array,
  w: number,
  box: Box,
  angle: number,
  band: number,
  strip: number,
): { sides: number; clearSides: number; double: boolean; bw: number; bh: number } {
  const t = (angle * Math.PI) / 180;
  const s = Math.sin(t);
  const co = Math.cos(t);
  const turn = (p: number): [number, number] => {
    const x = p % w;
    const y = (p - x) / w;
    return [x * co + y * s, -x * s + y * co];
  };
  // The turned box of the component itself (specks in the corners of its upright box stay out).
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (const p of pixels) {
    const [u, v] = turn(p);
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
  }
  const bw = maxU - minU;
  const bh = maxV - minV;
  const inner = band + strip;
  if (!pixels.length || bw < 2 * inner + band || bh < 2 * inner + band) return { sides: 0, clearSides: 0, double: false, bw, bh };
  const top = new Uint8Array(Math.ceil(bw) + 1);
  const bottom = new Uint8Array(top.length);
  const left = new Uint8Array(Math.ceil(bh) + 1);
  const right = new Uint8Array(left.length);
  for (const p of pixels) {
    const [u, v] = turn(p);
    const du = u - minU;
    const dv = v - minV;
    if (dv <= band) top[du | 0] = 1;
    if (bh - dv <= band) bottom[du | 0] = 1;
    if (du <= band) left[dv | 0] = 1;
    if (bw - du <= band) right[dv | 0] = 1;
  }
  // The strip just inside the sides, as cells along each side that hold any ink.
  const innerTop = new Uint8Array(top.length);
  const innerBottom = new Uint8Array(top.length);
  const innerLeft = new Uint8Array(left.length);
  const innerRight = new Uint8Array(left.length);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const p = y * w + x;
      if (!mask[p]) continue;
      const [u, v] = turn(p);
      const du = u - minU;
      const dv = v - minV;
      if (du < inner || bw - du < inner || dv < inner || bh - dv < inner) {
        if (du <= band || bw - du <= band || dv <= band || bh - dv <= band) continue;
        if (dv < inner && du > inner && bw - du > inner) innerTop[du | 0] = 1;
        if (bh - dv < inner && du > inner && bw - du > inner) innerBottom[du | 0] = 1;
        if (du < inner && dv > inner && bh - dv > inner) innerLeft[dv | 0] = 1;
        if (bw - du < inner && dv > inner && bh - dv > inner) innerRight[dv | 0] = 1;
      }
    }
  }
  const cover = (a: Uint8Array): number => a.reduce((x, v) => x + v, 0) / a.length;
  const insides = [cover(innerTop), cover(innerBottom), cover(innerLeft), cover(innerRight)];
  return {
    sides: Math.min(cover(top), cover(bottom), cover(left), cover(right)),
    // Text may come close to one side of a frame, not to all: a block of letters fills its box.
    clearSides: insides.filter((c) => c < 0.5).length,
    // A second frame drawn just inside the first runs along all four sides.
    double: Math.min(...insides) > 0.85,
    bw,
    bh,
  };
}

/** Share of a component's pixels on a ring about its box's centre: a round seal's are. */
function onRing(c: Component, pixels: Int32Array, w: number, band: number): number {
  const cx = (c.x0 + c.x1) / 2;
  const cy = (c.y0 + c.y1) / 2;
  const r = (c.x1 - c.x0 + c.y1 - c.y0) / 4;
  let near = 0;
  for (const p of pixels) {
    const x = p % w;
    const y = (p - x) / w;
    if (Math.abs(Math.hypot(x - cx, y - cy) - r) <= band) near++;
  }
  return near / pixels.length;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;

/** Letter-sized ink marks in a box: components of the ink between a speck and a frame. */
function letterMarks(comps: readonly Component[], box: Box, dpi: number): number {
  const min = 0.03 * dpi;
  const max = 0.5 * dpi;
  let n = 0;
  for (const c of comps) {
    if (c.x0 < box.x0 || c.x1 > box.x1 || c.y0 < box.y0 || c.y1 > box.y1) continue;
    const size = Math.max(c.x1 - c.x0, c.y1 - c.y0) + 1;
    if (size >= min && size <= max && c.count >= 4) n++;
  }
  return n;
}

export interface FindOptions {
  /** Look for turned text blocks only within these shares of the page height (the stamp areas). */
  readonly bands?: readonly (readonly [number, number])[];
  /** The page's coarse copy, when it was made already. */
  readonly coarse?: CoarsePage;
}

/**
 * Regions of the page that look like rubber stamps, largest first, each with the angle of its
 * lines. An upright block of black text with no frame is not one of them: the page's own reading
 * takes it as it is.
 */
export function findStampRegions(r: PageRaster, opts: FindOptions = {}): StampRegion[] {
  const bands = opts.bands ?? [
    [0, 0.3],
    [0.85, 1],
  ];
  const g = opts.coarse ?? coarsePage(r);
  const { w, h, dpi } = g;
  const inch = dpi;
  const found: { box: Box; angle: number; kind: RegionKind }[] = [];

  // Ink joined across the small gaps an unevenly inked frame has.
  const closed = dilate(g.ink, w, h, 1, 1);
  const joined = components(closed, w, h);

  // 1. Frames and rings: large, hollow, their ink on the border of a (turned) box or on a circle.
  for (const c of joined.list) {
    const bw = c.x1 - c.x0 + 1;
    const bh = c.y1 - c.y0 + 1;
    if (bw < 0.45 * inch || bh < 0.2 * inch || bw > 4.5 * inch || bh > 3 * inch) continue;
    // Joined across gaps, but measured by the ink itself: the closing thickens every stroke.
    const pixels = pixelsOf(c, joined.labels, g.ink, w);
    // A solid block (a photograph, a bar of colour) is no frame, whatever its edges.
    if (pixels.length / (bw * bh) > 0.6) continue;
    const box = { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 };
    const aspect = bw / bh;
    if (aspect > 0.8 && aspect < 1.25 && onRing(c, pixels, w, 0.07 * inch) > 0.55) {
      found.push({ box, angle: 0, kind: 'ring' });
      continue;
    }
    const angle = inkAngle(closed, w, box);
    const frame = frameOf(pixels, g.ink, w, box, angle, 0.07 * inch, 0.04 * inch);
    if (frame.sides > 0.85 && (frame.clearSides >= 2 || frame.double) && frame.bw > 0.4 * inch && frame.bh > 0.15 * inch) found.push({ box, angle, kind: 'frame' });
  }

  // 2. Blocks of coloured ink: letters a tenth of an inch apart belong to one block.
  if (r.chroma) {
    const reach = Math.max(2, Math.round(0.08 * inch));
    const blocks = components(dilate(g.colour, w, h, reach, reach), w, h).list;
    for (const c of blocks) {
      const box = { x0: c.x0 + reach, y0: c.y0 + reach, x1: c.x1 - reach, y1: c.y1 - reach };
      const bw = box.x1 - box.x0 + 1;
      const bh = box.y1 - box.y0 + 1;
      if (bw < 0.3 * inch || bh < 0.1 * inch || bw > 5 * inch || bh > 3.5 * inch) continue;
      found.push({ box, angle: inkAngle(g.colour, w, box), kind: 'coloured-ink' });
    }
  }

  // 3. Short blocks of text, in the stamp areas, whose lines are turned away from the body's (a
  //    page scanned askew has all its lines turned alike, and tesseract straightens those).
  {
    let body: number | undefined;
    const rx = Math.max(2, Math.round(0.1 * inch));
    const ry = Math.max(1, Math.round(0.05 * inch));
    const inBands = new Uint8Array(w * h);
    for (const [from, to] of bands) {
      for (let y = Math.floor(from * h); y < Math.min(h, Math.ceil(to * h)); y++) inBands.set(g.ink.subarray(y * w, (y + 1) * w), y * w);
    }
    const blocks = components(dilate(inBands, w, h, rx, ry), w, h).list;
    for (const c of blocks) {
      const box = { x0: c.x0 + rx, y0: c.y0 + ry, x1: c.x1 - rx, y1: c.y1 - ry };
      const bw = box.x1 - box.x0 + 1;
      const bh = box.y1 - box.y0 + 1;
      if (bw < 0.5 * inch || bh < 0.12 * inch || bw > 4.5 * inch || bh > 2.5 * inch) continue;
      if (found.some((f) => overlaps(f.box, box))) continue;
      const angle = inkAngle(g.ink, w, box);
      if (Math.abs(angle) < 2) continue;
      body ??= inkAngle(g.ink, w, { x0: 0, y0: Math.floor(h * 0.3), x1: w - 1, y1: Math.floor(h * 0.85) });
      if (Math.abs(angle - body) >= 2) found.push({ box, angle, kind: 'turned-text' });
    }
  }

  // One region per stamp: a frame, the coloured block around it, and its text are one.
  const merged: { box: Box; angle: number; kind: RegionKind }[] = [];
  const rank: Record<RegionKind, number> = { frame: 0, ring: 1, 'coloured-ink': 2, 'turned-text': 3 };
  for (const f of [...found].sort((a, b) => rank[a.kind] - rank[b.kind])) {
    const into = merged.find((m) => overlaps(m.box, f.box));
    if (!into) {
      merged.push({ box: { ...f.box }, angle: f.angle, kind: f.kind });
      continue;
    }
    into.box = { x0: Math.min(into.box.x0, f.box.x0), y0: Math.min(into.box.y0, f.box.y0), x1: Math.max(into.box.x1, f.box.x1), y1: Math.max(into.box.y1, f.box.y1) };
  }

  if (!merged.length) return [];
  // Letter-sized marks, counted only where there is a region to judge.
  const marks = components(g.ink, w, h).list;
  return merged
    .map((m) => {
      let colourCount = 0;
      let inkCount = 0;
      let innerCount = 0;
      const bw = m.box.x1 - m.box.x0 + 1;
      const bh = m.box.y1 - m.box.y0 + 1;
      const [ix0, ix1, iy0, iy1] = [m.box.x0 + bw * 0.2, m.box.x1 - bw * 0.2, m.box.y0 + bh * 0.2, m.box.y1 - bh * 0.2];
      for (let y = m.box.y0; y <= m.box.y1; y++) {
        for (let x = m.box.x0; x <= m.box.x1; x++) {
          const ink = g.ink[y * w + x]!;
          inkCount += ink;
          colourCount += g.colour[y * w + x]!;
          if (x >= ix0 && x <= ix1 && y >= iy0 && y <= iy1) innerCount += ink;
        }
      }
      const f = g.f;
      const left = Math.max(0, m.box.x0 * f);
      const top = Math.max(0, m.box.y0 * f);
      return {
        left,
        top,
        width: Math.min(r.width, (m.box.x1 + 1) * f) - left,
        height: Math.min(r.height, (m.box.y1 + 1) * f) - top,
        angle: m.angle,
        kind: m.kind,
        coloured: inkCount > 0 && colourCount / inkCount > 0.5,
        marks: letterMarks(marks, m.box, dpi),
        density: inkCount / (bw * bh),
        inner: innerCount / Math.max(1, (ix1 - ix0 + 1) * (iy1 - iy0 + 1)),
        inches: bh / dpi,
      };
    })
    .sort((a, b) => b.width * b.height - a.width * a.height);
}
