import { describe, expect, it } from 'vitest';
import { overlaps, placeStamp, type Box } from '../../src/stamp/layout.js';
import { normaliseRotation, toUserSpace, uprightSize, type PageGeometry } from '../../src/stamp/page-space.js';

const A4 = { width: 595, height: 842 };
const STAMP = { width: 150, height: 60 };
const body: Box[] = Array.from({ length: 30 }, (_, i) => ({ x0: 72, y0: 200 + i * 16, x1: 520, y1: 212 + i * 16 }));

describe('placing the receiving-side stamp', () => {
  it('goes to the top right corner of a page whose corner is free', () => {
    expect(placeStamp({ page: A4, occupied: body, stamp: STAMP })).toEqual({ x0: 427, y0: 18, x1: 577, y1: 78 });
  });
  it('never covers the original stamp: moves to the nearest free place', () => {
    const original: Box = { x0: 440, y0: 40, x1: 560, y1: 70 };
    const b = placeStamp({ page: A4, occupied: [...body, original], stamp: STAMP })!;
    expect(overlaps(b, original, 6)).toBe(false);
    for (const line of body) expect(overlaps(b, line, 6)).toBe(false);
    // Still near the top right: the original stamp's neighbourhood, not the foot of the page.
    expect(b.y0).toBeLessThan(200);
  });
  it('uses the margin when the whole top is taken', () => {
    const top: Box = { x0: 18, y0: 18, x1: 577, y1: 150 };
    const b = placeStamp({ page: A4, occupied: [top, ...body], stamp: STAMP })!;
    for (const o of [top, ...body]) expect(overlaps(b, o, 6)).toBe(false);
    expect(b.y0).toBeGreaterThanOrEqual(18);
    expect(b.y1).toBeLessThanOrEqual(842 - 18);
  });
  it('says so when there is no free place', () => {
    const full: Box = { x0: 0, y0: 0, x1: 595, y1: 842 };
    expect(placeStamp({ page: A4, occupied: [full], stamp: STAMP })).toBeNull();
    expect(placeStamp({ page: { width: 100, height: 50 }, occupied: [], stamp: STAMP })).toBeNull();
  });
  it('fits a landscape page', () => {
    const b = placeStamp({ page: { width: 842, height: 595 }, occupied: [], stamp: STAMP })!;
    expect(b).toEqual({ x0: 674, y0: 18, x1: 824, y1: 78 });
  });
});

describe('upright page to PDF user space', () => {
  const crop = [100, 100, 500, 700] as const; // 400 × 600 visible, offset from the media box
  const corners = (g: PageGeometry) => {
    const { width, height } = uprightSize(g);
    return { topLeft: toUserSpace(g, 0, 0), topRight: toUserSpace(g, width, 0), bottomLeft: toUserSpace(g, 0, height) };
  };
  it('no rotation: y flips, the crop box offset is added', () => {
    expect(uprightSize({ crop, rotate: 0 })).toEqual({ width: 400, height: 600 });
    expect(corners({ crop, rotate: 0 })).toEqual({ topLeft: { x: 100, y: 700 }, topRight: { x: 500, y: 700 }, bottomLeft: { x: 100, y: 100 } });
  });
  it('/Rotate 90: the upright top left is the crop box\'s bottom left', () => {
    expect(uprightSize({ crop, rotate: 90 })).toEqual({ width: 600, height: 400 });
    expect(corners({ crop, rotate: 90 })).toEqual({ topLeft: { x: 100, y: 100 }, topRight: { x: 100, y: 700 }, bottomLeft: { x: 500, y: 100 } });
  });
  it('/Rotate 180: everything mirrored through the centre', () => {
    expect(corners({ crop, rotate: 180 })).toEqual({ topLeft: { x: 500, y: 100 }, topRight: { x: 100, y: 100 }, bottomLeft: { x: 500, y: 700 } });
  });
  it('/Rotate 270: the upright top left is the crop box\'s top right', () => {
    expect(corners({ crop, rotate: 270 })).toEqual({ topLeft: { x: 500, y: 700 }, topRight: { x: 500, y: 100 }, bottomLeft: { x: 100, y: 700 } });
  });
  it('normalises any multiple of 90', () => {
    expect([0, 90, 180, 270, 360, 450, -90, -180].map(normaliseRotation)).toEqual([0, 90, 180, 270, 0, 90, 270, 180]);
  });
});
