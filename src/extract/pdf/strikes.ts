/**
 * Lines struck through (Art. 6.3 re-marking: "the old marking struck through with a single line,
 * left legible"): the page's thin horizontal strokes, found in pdf.js's operator list, and the text
 * lines they run through. A struck marking is no longer the carrier's marking; the detector passes
 * over struck lines (core/detector.ts). Works the same for a text layer and for OCR'd lines: both
 * are boxes in the upright page.
 */
import { OPS, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFOperatorList } from 'pdfjs-dist/types/src/display/api.js';
import type { TextLine } from '../../core/index.js';

/** A horizontal stroke in the upright page (points, origin top left). */
export interface Stroke {
  readonly x0: number;
  readonly x1: number;
  /** Its middle, from the top. */
  readonly y: number;
}

type Matrix = [number, number, number, number, number, number];

// A stroke this thin (its box's height, page points) and this long counts as a line drawn through text.
const MAX_THICKNESS = 4;
const MIN_LENGTH = 12;
const PAINTS = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

/**
 * The thin horizontal paths the page paints, in the upright page. `viewport` is pdf.js's
 * transform from user space to the page as displayed at scale 1.
 */
export function horizontalStrokes(ops: PDFOperatorList, viewport: readonly number[]): Stroke[] {
  const out: Stroke[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform && args) ctm = Util.transform(ctm, args as Matrix) as Matrix;
    else if (fn === OPS.paintFormXObjectBegin && args) {
      stack.push(ctm);
      if (Array.isArray(args[0]) && args[0].length === 6) ctm = Util.transform(ctm, args[0] as Matrix) as Matrix;
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.constructPath && args) {
      const [paint, , minMax] = args as [number, unknown, ArrayLike<number> | null];
      if (!PAINTS.has(paint) || !minMax || minMax.length < 4) continue;
      const m = Util.transform(viewport as Matrix, ctm) as Matrix;
      const corners = [
        [minMax[0]!, minMax[1]!],
        [minMax[2]!, minMax[1]!],
        [minMax[0]!, minMax[3]!],
        [minMax[2]!, minMax[3]!],
      ] as const;
      const xs = corners.map(([x, y]) => m[0] * x + m[2] * y + m[4]);
      const ys = corners.map(([x, y]) => m[1] * x + m[3] * y + m[5]);
      const x0 = Math.min(...xs);
      const x1 = Math.max(...xs);
      const y0 = Math.min(...ys);
      const y1 = Math.max(...ys);
      if (y1 - y0 <= MAX_THICKNESS && x1 - x0 >= MIN_LENGTH) out.push({ x0, x1, y: (y0 + y1) / 2 });
    }
  }
  return out;
}

/**
 * Whether a stroke runs through a line of text: across its middle (not under it, as an underline,
 * nor over it) and along most of its length.
 */
export function strikesThrough(s: Stroke, bbox: readonly [number, number, number, number]): boolean {
  const [x0, y0, x1, y1] = bbox;
  const h = y1 - y0;
  if (h <= 0 || x1 <= x0) return false;
  // Not an underline (at or below the baseline), nor a rule over the line.
  if (s.y < y0 + 0.15 * h || s.y > y1 - 0.3 * h) return false;
  const covered = Math.min(s.x1, x1) - Math.max(s.x0, x0);
  return covered >= 0.6 * (x1 - x0);
}

/** The lines with those struck through marked so. */
export function markStruck(lines: readonly TextLine[], strokes: readonly Stroke[]): TextLine[] {
  if (!strokes.length) return [...lines];
  return lines.map((l) => (l.bbox && strokes.some((s) => strikesThrough(s, l.bbox!)) ? { ...l, struck: true } : l));
}
