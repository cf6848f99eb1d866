/**
 * Where the receiving side's stamp goes on a page (Art. 6.1 adds it; Art. 4.1(2): the original
 * marking is never covered). Pure geometry in the upright page as a reader sees it: points, origin
 * at the top left of the visible (crop) box. The preferred place is the top right corner; when
 * that would touch the original stamp or any text, the nearest blank place to it; null when the
 * page has no blank place big enough.
 */

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface LayoutRequest {
  /** The visible page, upright. */
  readonly page: Size;
  /** What must stay uncovered: the original stamps and every line of text, with their boxes. */
  readonly occupied: readonly Box[];
  /** Anything else already on the page (ink), checked over the box with the clearance added. */
  readonly blocked?: (box: Box) => boolean;
  /** Where the stamp may go at all (where a reader looks for stamps); anywhere when absent. */
  readonly allowed?: (box: Box) => boolean;
  /** The stamp block to place. */
  readonly stamp: Size;
  /** Distance kept from the page edge, points. */
  readonly margin?: number;
  /** Distance kept from anything occupied, points. */
  readonly clearance?: number;
}

const DEFAULT_MARGIN = 18; // a quarter inch
const DEFAULT_CLEARANCE = 6;
// Candidate positions are tried on this grid (points).
const STEP = 6;

export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
}

function boxAt(x: number, y: number, s: Size): Box {
  return { x0: x, y0: y, x1: x + s.width, y1: y + s.height };
}

/** The place for the stamp, or null when no free place on the page is big enough. */
export function placeStamp(req: LayoutRequest): Box | null {
  const margin = req.margin ?? DEFAULT_MARGIN;
  const clearance = req.clearance ?? DEFAULT_CLEARANCE;
  const { page, stamp } = req;
  const maxX = page.width - margin - stamp.width;
  const maxY = page.height - margin - stamp.height;
  if (maxX < margin || maxY < margin) return null;
  const free = (b: Box): boolean =>
    (req.allowed?.(b) ?? true) &&
    !req.occupied.some((o) => overlaps(b, o, clearance)) &&
    !req.blocked?.({ x0: b.x0 - clearance, y0: b.y0 - clearance, x1: b.x1 + clearance, y1: b.y1 + clearance });

  // The preferred corner: top right.
  const preferred = boxAt(maxX, margin, stamp);
  if (free(preferred)) return preferred;

  // Every grid position, nearest to the preferred corner first: the first free one is the
  // nearest blank area (a margin, or the space between the original stamp and the text).
  const candidates: Array<{ box: Box; cost: number }> = [];
  const xs: number[] = [];
  for (let x = maxX; x >= margin; x -= STEP) xs.push(x);
  if (xs[xs.length - 1] !== margin) xs.push(margin);
  const ys: number[] = [];
  for (let y = margin; y <= maxY; y += STEP) ys.push(y);
  if (ys[ys.length - 1] !== maxY) ys.push(maxY);
  for (const y of ys) for (const x of xs) candidates.push({ box: boxAt(x, y, stamp), cost: Math.hypot(maxX - x, y - margin) });
  candidates.sort((a, b) => a.cost - b.cost);
  return candidates.find((c) => free(c.box))?.box ?? null;
}
