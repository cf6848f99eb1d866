/**
 * The 8-connected components of a binary mask (one byte a pixel, non-zero = set): the letters,
 * frames and blots of a page image. Used by the stamp-region finding and by the test-only JBIG2
 * writer (its symbols are a page's components).
 */

/** One component: its box (inclusive) and how many pixels it has. */
export interface Component {
  readonly id: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  count: number;
}

/** 8-connected components of a mask, and each pixel's component (-1 for none). */
export function components(mask: Uint8Array, w: number, h: number): { list: Component[]; labels: Int32Array } {
  const labels = new Int32Array(w * h).fill(-1);
  const list: Component[] = [];
  const stack = new Int32Array(w * h);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]! >= 0) continue;
    const id = list.length;
    const c: Component = { id, x0: w, y0: h, x1: -1, y1: -1, count: 0 };
    list.push(c);
    labels[start] = id;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      c.count++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      const xa = x > 0 ? -1 : 0;
      const xb = x < w - 1 ? 1 : 0;
      for (let dy = y > 0 ? -1 : 0; dy <= (y < h - 1 ? 1 : 0); dy++) {
        for (let dx = xa; dx <= xb; dx++) {
          const q = p + dy * w + dx;
          if (mask[q] && labels[q]! < 0) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
  }
  return { list, labels };
}
