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
  return {
    width,
    height,
    hasInk(box: Box): boolean {
      const x0 = Math.max(0, Math.floor(box.x0));
      const y0 = Math.max(0, Math.floor(box.y0));
      const x1 = Math.min(width, Math.ceil(box.x1));
      const y1 = Math.min(height, Math.ceil(box.y1));
      if (x1 <= x0 || y1 <= y0) return false;
      return at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0) > 0;
    },
  };
}
