/** A PDF page's text layer (pdf.js getTextContent) grouped into lines with boxes. */
import { Util, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { BBox, TextLine } from '../../core/index.js';

interface Placed {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  /** Baseline, page units from the top. */
  readonly y: number;
  readonly size: number;
}

// Items further apart than this many font sizes stand in different columns.
const COLUMN_GAP_EMS = 2.5;

/**
 * Lines in the page as displayed (rotation applied), PDF points, origin top left. Items on one
 * baseline join; a wide gap between them becomes a column break for the detector.
 */
export async function textLayerLines(page: PDFPageProxy): Promise<{ lines: TextLine[]; width: number; height: number }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const placed: Placed[] = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const it = item as TextItem;
    if (!it.str.trim()) continue;
    const m = Util.transform(viewport.transform, it.transform) as number[];
    const size = Math.hypot(m[2]!, m[3]!) || it.height || 1;
    const x = m[4]!;
    const y = m[5]!;
    placed.push({ text: it.str, x0: x, x1: x + it.width * (viewport.scale || 1), y, size });
  }
  placed.sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const rows: Placed[][] = [];
  for (const p of placed) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.y - p.y) <= 0.4 * Math.min(row[0]!.size, p.size)) row.push(p);
    else rows.push([p]);
  }
  const lines = rows.map((row): TextLine => {
    row.sort((a, b) => a.x0 - b.x0);
    let text = '';
    row.forEach((p, i) => {
      if (i > 0) {
        const gap = p.x0 - row[i - 1]!.x1;
        text += gap > COLUMN_GAP_EMS * p.size ? '    ' : gap > 0.15 * p.size && !/\s$/.test(text) ? ' ' : '';
      }
      text += p.text;
    });
    const size = Math.max(...row.map((p) => p.size));
    const bbox: BBox = [Math.min(...row.map((p) => p.x0)), row[0]!.y - size, Math.max(...row.map((p) => p.x1)), row[0]!.y + 0.25 * size];
    return { text, bbox };
  });
  return { lines, width: viewport.width, height: viewport.height };
}

/** Enough text to read the page from its text layer rather than by OCR. */
export function isUsableTextLayer(lines: readonly TextLine[]): boolean {
  let letters = 0;
  for (const l of lines) for (const ch of l.text) if (/\p{L}/u.test(ch)) letters++;
  return letters >= 16;
}
