/**
 * From the upright page a reader sees (points, origin top left of the crop box) to PDF user
 * space (origin bottom left of the media box, y up), for each /Rotate. Drawing there with the
 * returned text angle makes the text read upright on screen and on paper.
 */

export interface PageGeometry {
  /** The visible box [x0, y0, x1, y1] in user space (CropBox, else MediaBox). */
  readonly crop: readonly [number, number, number, number];
  /** The page's /Rotate, normalised to 0, 90, 180 or 270 (clockwise on display). */
  readonly rotate: 0 | 90 | 180 | 270;
}

export function normaliseRotation(rotate: number): 0 | 90 | 180 | 270 {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360;
  return r as 0 | 90 | 180 | 270;
}

/** The upright page's size. */
export function uprightSize(g: PageGeometry): { width: number; height: number } {
  const w = g.crop[2] - g.crop[0];
  const h = g.crop[3] - g.crop[1];
  return g.rotate % 180 === 0 ? { width: w, height: h } : { width: h, height: w };
}

/** A point of the upright page (u right, v down) in user space. */
export function toUserSpace(g: PageGeometry, u: number, v: number): { x: number; y: number } {
  const [x0, y0, x1, y1] = g.crop;
  switch (g.rotate) {
    case 0:
      return { x: x0 + u, y: y1 - v };
    case 90:
      return { x: x0 + v, y: y0 + u };
    case 180:
      return { x: x1 - u, y: y0 + v };
    case 270:
      return { x: x1 - v, y: y1 - u };
  }
}

/** Counter-clockwise angle (degrees) at which text must be drawn in user space to read upright. */
export function uprightTextAngle(g: PageGeometry): number {
  return g.rotate;
}
