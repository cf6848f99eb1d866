/**
 * Where a page already has ink: the stamp must cover nothing, and on a scan that includes what no
 * OCR reads (seals, signatures, logos, handwriting). Built from the page rendered at 1 px per
 * point; answers "is there ink in this box?" in constant time from a summed-area table.
 */
import type { Box } from './layout.js';

export interface InkMap {
  readonly width: number;
  readonly height: number;
  /** Whether any ink lies inside the box (points, upright page). */
  hasInk(box: Box): boolean;
  /** How many points of the box are ink. */
  inkIn(box: Box): number;
}

// A pixel darker than this is ink; scanner noise and light paper tone are lighter.
const INK_LEVEL = 150;

/**
 * @param grey 8-bit greyscale pixels, one per point, row by row, of the upright page.
 * A dark pixel with no dark neighbour is a speck of dust, not ink.
 */
export function inkMap(grey: Uint8Array, width: number, height: number): InkMap {
  const dark = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && grey[y * width + x]! < INK_LEVEL;
  const sums = new Uint32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const ink = dark(x, y) && (dark(x - 1, y) || dark(x + 1, y) || dark(x, y - 1) || dark(x, y + 1)) ? 1 : 0;
      row += ink;
      sums[(y + 1) * (width + 1) + (x + 1)] = sums[y * (width + 1) + (x + 1)]! + row;
    }
  }
  const at = (x: number, y: number): number => sums[y * (width + 1) + x]!;
  const inkIn = (box: Box): number => {
    const x0 = Math.max(0, Math.floor(box.x0));
    const y0 = Math.max(0, Math.floor(box.y0));
    const x1 = Math.min(width, Math.ceil(box.x1));
    const y1 = Math.min(height, Math.ceil(box.y1));
    if (x1 <= x0 || y1 <= y0) return 0;
    return at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0);
  };
  return { width, height, inkIn, hasInk: (box) => inkIn(box) > 0 };
}

/**
 * The band of a line of text where its letters stand: the longest run of rows of the box with
 * real ink in them. A box a reader (or OCR) gives may reach well below the letters; a line struck
 * through must cross the letters themselves. The box itself when it holds no ink.
 */
export function letterBand(ink: InkMap, box: Box): Box {
  const y0 = Math.floor(box.y0);
  const y1 = Math.ceil(box.y1);
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) rows.push(ink.inkIn({ x0: box.x0, y0: y, x1: box.x1, y1: y + 1 }));
  const most = Math.max(0, ...rows);
  if (most === 0) return box;
  // A row counts when it holds a fair share of the fullest row's ink (not a stray mark or an underline's end).
  let best: [number, number] = [0, 0];
  let start = -1;
  rows.forEach((n, i) => {
    if (n >= 0.15 * most) {
      if (start < 0) start = i;
      if (i + 1 - start > best[1] - best[0]) best = [start, i + 1];
    } else start = -1;
  });
  return { x0: box.x0, x1: box.x1, y0: y0 + best[0], y1: y0 + best[1] };
}
