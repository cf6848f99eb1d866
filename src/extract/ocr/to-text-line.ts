/** An OCR line as the marking core takes it. */
import type { BBox, TextLine } from '../../core/index.js';
import type { OcrLine } from './ocr-service.js';

// Words further apart than this many line heights stand in different columns.
const COLUMN_GAP_LINE_HEIGHTS = 2.5;

// Words without a letter or digit (specks of dust read as "|" or ".", quotes, frame lines)
// carry nothing the detector reads, and their boxes would stretch the line's.
const NO_LETTERS = /^[^\p{L}\p{N}№]+$/u;

function scaleBox(b: BBox, k: number): BBox {
  return [b[0] * k, b[1] * k, b[2] * k, b[3] * k];
}

/**
 * Punctuation-only words dropped, words rejoined with a wide gap where columns part, the box that
 * of the words kept, scaled by `k` page units per pixel. Null when nothing is left.
 */
export function toTextLine(l: OcrLine, k: number): TextLine | null {
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
  return { text, bbox: scaleBox(bbox, k), confidence: l.confidence };
}
