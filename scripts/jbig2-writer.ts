/**
 * Test-only: a JBIG2 writer (ITU-T T.88) for the segments scanners and OCR suites write, in the
 * "embedded" organisation PDF uses (no file header; /JBIG2Globals holds the shared segments):
 * page information, immediate generic regions (arithmetic, template 0, or MMR carrying a CCITT G4
 * bitmap), generic refinement regions, symbol dictionaries and text regions with arithmetic or
 * Huffman coding, pattern dictionaries and halftone regions (MMR), and all five combination
 * operators. Written from the standard for grif's fixtures; its output is checked with jbig2dec.
 * Bitmaps are one byte a pixel, 1 = black (JBIG2's convention).
 */
import { components } from '../src/extract/ocr/connected-components.js';
import { BitWriter } from './bit-writer.js';

export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export const bitmap = (width: number, height: number, data = new Uint8Array(width * height)): Bitmap => ({ width, height, data });

export function crop(b: Bitmap, x: number, y: number, width: number, height: number): Bitmap {
  const out = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) out.set(b.data.subarray((y + r) * b.width + x, (y + r) * b.width + x + width), r * width);
  return { width, height, data: out };
}

export type CombOp = 'or' | 'and' | 'xor' | 'xnor' | 'replace';
const COMBOP: Record<CombOp, number> = { or: 0, and: 1, xor: 2, xnor: 3, replace: 4 };

/** What a combination operator does to a page pixel s with a region pixel r. */
export function combine(s: number, r: number, op: CombOp): number {
  switch (op) {
    case 'or':
      return s | r;
    case 'and':
      return s & r;
    case 'xor':
      return s ^ r;
    case 'xnor':
      return 1 - (s ^ r);
    case 'replace':
      return r;
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes and bits

class Bytes {
  readonly parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16((v >>> 16) & 0xffff).u16(v & 0xffff);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

// ---------------------------------------------------------------------------------------------
// The MQ arithmetic coder (T.88 Annex E)

// Qe, NMPS, NLPS, SWITCH for each of the 47 states.
const QE: readonly (readonly [number, number, number, number])[] = [
  [0x5601, 1, 1, 1], [0x3401, 2, 6, 0], [0x1801, 3, 9, 0], [0x0ac1, 4, 12, 0], [0x0521, 5, 29, 0], [0x0221, 38, 33, 0],
  [0x5601, 7, 6, 1], [0x5401, 8, 14, 0], [0x4801, 9, 14, 0], [0x3801, 10, 14, 0], [0x3001, 11, 17, 0], [0x2401, 12, 18, 0],
  [0x1c01, 13, 20, 0], [0x1601, 29, 21, 0], [0x5601, 15, 14, 1], [0x5401, 16, 14, 0], [0x5101, 17, 15, 0], [0x4801, 18, 16, 0],
  [0x3801, 19, 17, 0], [0x3401, 20, 18, 0], [0x3001, 21, 19, 0], [0x2801, 22, 19, 0], [0x2401, 23, 20, 0], [0x2201, 24, 21, 0],
  [0x1c01, 25, 22, 0], [0x1801, 26, 23, 0], [0x1601, 27, 24, 0], [0x1401, 28, 25, 0], [0x1201, 29, 26, 0], [0x1101, 30, 27, 0],
  [0x0ac1, 31, 28, 0], [0x09c1, 32, 29, 0], [0x08a1, 33, 30, 0], [0x0521, 34, 31, 0], [0x0441, 35, 32, 0], [0x02a1, 36, 33, 0],
  [0x0221, 37, 34, 0], [0x0141, 38, 35, 0], [0x0111, 39, 36, 0], [0x0085, 40, 37, 0], [0x0049, 41, 38, 0], [0x0025, 42, 39, 0],
  [0x0015, 43, 40, 0], [0x0009, 44, 41, 0], [0x0005, 45, 42, 0], [0x0001, 45, 43, 0], [0x5601, 46, 46, 0],
];

/** The adaptive probability states of one set of contexts. */
export class Contexts {
  readonly index: Uint8Array;
  readonly mps: Uint8Array;
  constructor(size: number) {
    this.index = new Uint8Array(size);
    this.mps = new Uint8Array(size);
  }
}

export class MQEncoder {
  private a = 0x8000;
  private c = 0;
  private ct = 12;
  private b = 0;
  private started = false;
  private readonly out: number[] = [];

  encode(cx: Contexts, i: number, d: number): void {
    const state = QE[cx.index[i]!]!;
    const qe = state[0];
    this.a -= qe;
    if (d === cx.mps[i]) {
      if ((this.a & 0x8000) !== 0) {
        this.c += qe;
        return;
      }
      if (this.a < qe) this.a = qe;
      else this.c += qe;
      cx.index[i] = state[1];
    } else {
      if (this.a < qe) this.c += qe;
      else this.a = qe;
      if (state[3]) cx.mps[i] = 1 - cx.mps[i]!;
      cx.index[i] = state[2];
    }
    do {
      this.a <<= 1;
      this.c *= 2;
      if (--this.ct === 0) this.byteOut();
    } while ((this.a & 0x8000) === 0);
  }

  private emit(): void {
    // The first B is the byte before the start of the code (BPST − 1): never written.
    if (this.started) this.out.push(this.b);
    this.started = true;
  }

  private byteOut(): void {
    if (this.b === 0xff) {
      this.emit();
      this.b = Math.floor(this.c / 2 ** 20) & 0xff;
      this.c %= 2 ** 20;
      this.ct = 7;
      return;
    }
    if (this.c < 0x8000000) {
      this.emit();
      this.b = Math.floor(this.c / 2 ** 19) & 0xff;
      this.c %= 2 ** 19;
      this.ct = 8;
      return;
    }
    this.b++;
    if (this.b === 0xff) {
      this.c %= 0x8000000;
      this.emit();
      this.b = Math.floor(this.c / 2 ** 20) & 0xff;
      this.c %= 2 ** 20;
      this.ct = 7;
    } else {
      this.emit();
      this.b = Math.floor(this.c / 2 ** 19) & 0xff;
      this.c %= 2 ** 19;
      this.ct = 8;
    }
  }

  /** Ends the code (FLUSH) and returns it, with the 0xFF 0xAC marker encoders put after it. */
  finish(): Uint8Array {
    const temp = this.c + this.a;
    this.c = Math.floor(this.c / 0x10000) * 0x10000 + 0xffff;
    if (this.c >= temp) this.c -= 0x8000;
    this.c *= 2 ** this.ct;
    this.byteOut();
    this.c *= 2 ** this.ct;
    this.byteOut();
    this.emit();
    if (this.out[this.out.length - 1] === 0xff) this.out.pop();
    this.out.push(0xff, 0xac);
    return Uint8Array.from(this.out);
  }
}

/** The integer arithmetic coding procedures (Annex A.2): IADH, IADW, IAEX, IADT, IAFS, IADS… */
class IntegerCoder {
  private readonly contexts = new Map<string, Contexts>();
  constructor(private readonly mq: MQEncoder) {}

  private cx(name: string): Contexts {
    let c = this.contexts.get(name);
    if (!c) this.contexts.set(name, (c = new Contexts(512)));
    return c;
  }

  /** Encodes a value, or OOB for null. */
  int(name: string, v: number | null): void {
    const cx = this.cx(name);
    let prev = 1;
    const bit = (d: number): void => {
      this.mq.encode(cx, prev, d);
      prev = prev < 256 ? (prev << 1) | d : (((prev << 1) | d) & 511) | 256;
    };
    const bits = (value: number, n: number): void => {
      for (let i = n - 1; i >= 0; i--) bit(Math.floor(value / 2 ** i) & 1);
    };
    if (v === null) {
      bit(1);
      bits(0, 1);
      bits(0, 2);
      return;
    }
    bit(v < 0 ? 1 : 0);
    const m = Math.abs(v);
    if (m < 4) bits(0, 1), bits(m, 2);
    else if (m < 20) bits(0b10, 2), bits(m - 4, 4);
    else if (m < 84) bits(0b110, 3), bits(m - 20, 6);
    else if (m < 340) bits(0b1110, 4), bits(m - 84, 8);
    else if (m < 4436) bits(0b11110, 5), bits(m - 340, 12);
    else bits(0b11111, 5), bits(m - 4436, 32);
  }

  /** IAID: a symbol number in codeLength bits, with contexts of its own (prefix 1 then the bits so far). */
  id(v: number, codeLength: number): void {
    let cx = this.contexts.get('IAID');
    if (!cx) this.contexts.set('IAID', (cx = new Contexts(2 << codeLength)));
    let prev = 1;
    for (let i = codeLength - 1; i >= 0; i--) {
      const d = (v >> i) & 1;
      this.mq.encode(cx, prev, d);
      prev = (prev << 1) | d;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generic region coding (6.2), template 0 with the nominal AT pixels, no typical prediction

const AT0: readonly (readonly [number, number])[] = [
  [3, -1],
  [-3, -1],
  [2, -2],
  [-2, -2],
];

function pixel(b: Bitmap, x: number, y: number): number {
  return x < 0 || y < 0 || x >= b.width || y >= b.height ? 0 : b.data[y * b.width + x]!;
}

/** Template 0's 16 pixels around (x, y); any fixed order serves, encoder and decoder see the same set. */
function context0(b: Bitmap, x: number, y: number, at: readonly (readonly [number, number])[]): number {
  return (
    pixel(b, x - 1, y) |
    (pixel(b, x - 2, y) << 1) |
    (pixel(b, x - 3, y) << 2) |
    (pixel(b, x - 4, y) << 3) |
    (pixel(b, x + at[0]![0], y + at[0]![1]) << 4) |
    (pixel(b, x + 2, y - 1) << 5) |
    (pixel(b, x + 1, y - 1) << 6) |
    (pixel(b, x, y - 1) << 7) |
    (pixel(b, x - 1, y - 1) << 8) |
    (pixel(b, x - 2, y - 1) << 9) |
    (pixel(b, x + at[1]![0], y + at[1]![1]) << 10) |
    (pixel(b, x + at[2]![0], y + at[2]![1]) << 11) |
    (pixel(b, x + 1, y - 2) << 12) |
    (pixel(b, x, y - 2) << 13) |
    (pixel(b, x - 1, y - 2) << 14) |
    (pixel(b, x + at[3]![0], y + at[3]![1]) << 15)
  );
}

function encodeGeneric(mq: MQEncoder, cx: Contexts, b: Bitmap): void {
  for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) mq.encode(cx, context0(b, x, y, AT0), b.data[y * b.width + x]!);
}

/** Generic refinement template 0 (6.3), nominal AT pixels (−1, −1) and (−1, −1), reference at the same place. */
function encodeRefinement(mq: MQEncoder, cx: Contexts, target: Bitmap, reference: Bitmap): void {
  for (let y = 0; y < target.height; y++) {
    for (let x = 0; x < target.width; x++) {
      const c =
        pixel(target, x - 1, y) |
        (pixel(target, x + 1, y - 1) << 1) |
        (pixel(target, x, y - 1) << 2) |
        (pixel(target, x - 1, y - 1) << 3) |
        (pixel(reference, x + 1, y + 1) << 4) |
        (pixel(reference, x, y + 1) << 5) |
        (pixel(reference, x - 1, y + 1) << 6) |
        (pixel(reference, x + 1, y) << 7) |
        (pixel(reference, x, y) << 8) |
        (pixel(reference, x - 1, y) << 9) |
        (pixel(reference, x + 1, y - 1) << 10) |
        (pixel(reference, x, y - 1) << 11) |
        (pixel(reference, x - 1, y - 1) << 12);
      mq.encode(cx, c, target.data[y * target.width + x]!);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Segments (7.2)

export interface Segment {
  readonly number: number;
  readonly type: number;
  readonly page: number;
  readonly refs: readonly number[];
  readonly data: Uint8Array;
}

export function segmentBytes(s: Segment): Uint8Array {
  const w = new Bytes().u32(s.number).u8(s.type | (s.page > 255 ? 0x40 : 0));
  w.u8(s.refs.length << 5);
  for (const r of s.refs) {
    if (s.number <= 256) w.u8(r);
    else if (s.number <= 65536) w.u16(r);
    else w.u32(r);
  }
  if (s.page > 255) w.u32(s.page);
  else w.u8(s.page);
  return w.u32(s.data.length).bytes(s.data).done();
}

export const streamOf = (segments: readonly Segment[]): Uint8Array => concat(segments.map(segmentBytes));

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

/** A standalone JBIG2 file (sequential organisation, one page) of the same segments, for jbig2dec. */
export function fileOf(segments: readonly Segment[]): Uint8Array {
  const header = Uint8Array.from([0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a, 0x01, 0, 0, 0, 1]);
  const last = Math.max(...segments.map((s) => s.number));
  return concat([header, streamOf(segments), segmentBytes({ number: last + 1, type: 49, page: 1, refs: [], data: new Uint8Array(0) }), segmentBytes({ number: last + 2, type: 51, page: 0, refs: [], data: new Uint8Array(0) })]);
}

function regionInfo(w: Bytes, width: number, height: number, x: number, y: number, op: CombOp): Bytes {
  return w.u32(width).u32(height).u32(x).u32(y).u8(COMBOP[op]);
}

export interface PageOptions {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  /** Regions may use another operator than the page's default (OR). */
  readonly mixedOperators?: boolean;
  readonly refinements?: boolean;
}

/** Page information (7.4.8), type 48. */
export function pageInfo(p: PageOptions): Uint8Array {
  const perMetre = Math.round(p.dpi / 0.0254);
  const flags = 0x01 | (p.refinements ? 0x02 : 0) | (p.mixedOperators ? 0x40 : 0);
  return new Bytes().u32(p.width).u32(p.height).u32(perMetre).u32(perMetre).u8(flags).u16(0).done();
}

/** An immediate generic region (type 38), arithmetic coded. */
export function genericRegion(b: Bitmap, x: number, y: number, op: CombOp): Uint8Array {
  const w = regionInfo(new Bytes(), b.width, b.height, x, y, op).u8(0);
  for (const [ax, ay] of AT0) w.u8(ax).u8(ay);
  const mq = new MQEncoder();
  encodeGeneric(mq, new Contexts(1 << 16), b);
  return w.bytes(mq.finish()).done();
}

/** An immediate generic region (type 38) with MMR coding: the data is a CCITT G4 image of the bitmap. */
export function mmrGenericRegion(g4: Uint8Array, width: number, height: number, x: number, y: number, op: CombOp): Uint8Array {
  return regionInfo(new Bytes(), width, height, x, y, op).u8(1).bytes(g4).done();
}

/** An immediate generic refinement region (type 42) refining the page's pixels under it into `target`. */
export function refinementRegion(target: Bitmap, reference: Bitmap, x: number, y: number, op: CombOp): Uint8Array {
  const w = regionInfo(new Bytes(), target.width, target.height, x, y, op).u8(0);
  w.u8(-1).u8(-1).u8(-1).u8(-1);
  const mq = new MQEncoder();
  encodeRefinement(mq, new Contexts(1 << 13), target, reference);
  return w.bytes(mq.finish()).done();
}

/**
 * A pattern dictionary (type 16) of 2×2 patterns, all 16 of them (pattern g has pixel k = bit k
 * of g), MMR coded: `g4` is the G4 image of the 32×2 collective bitmap made by patternBitmap().
 */
export function patternDictionary(g4: Uint8Array): Uint8Array {
  return new Bytes().u8(1).u8(2).u8(2).u32(15).bytes(g4).done();
}

export function patternBitmap(): Bitmap {
  const b = bitmap(32, 2);
  for (let g = 0; g < 16; g++) for (let k = 0; k < 4; k++) b.data[(k >> 1) * 32 + g * 2 + (k & 1)] = (g >> k) & 1;
  return b;
}

/**
 * The grey-scale image a halftone region of 2×2 cells needs to reproduce `page` exactly with
 * the patterns above, as its four Gray-coded bit planes, most significant first (Annex C.5).
 */
export function halftonePlanes(page: Bitmap): { gridWidth: number; gridHeight: number; planes: Bitmap[] } {
  const gw = Math.ceil(page.width / 2);
  const gh = Math.ceil(page.height / 2);
  const planes = [3, 2, 1, 0].map(() => bitmap(gw, gh));
  for (let m = 0; m < gh; m++) {
    for (let n = 0; n < gw; n++) {
      let g = 0;
      for (let k = 0; k < 4; k++) g |= pixel(page, 2 * n + (k & 1), 2 * m + (k >> 1)) << k;
      const gray = g ^ (g >> 1);
      for (let j = 0; j < 4; j++) planes[3 - j]!.data[m * gw + n] = (gray >> j) & 1;
    }
  }
  return { gridWidth: gw, gridHeight: gh, planes };
}

/** An immediate halftone region (type 22), MMR, whose planes (G4 each, with end-of-block) come from halftonePlanes(). */
export function halftoneRegion(width: number, height: number, gridWidth: number, gridHeight: number, planesG4: readonly Uint8Array[], op: CombOp): Uint8Array {
  const w = regionInfo(new Bytes(), width, height, 0, 0, op).u8(1); // HMMR, template 0, no skip, OR, default pixel 0
  w.u32(gridWidth).u32(gridHeight).u32(0).u32(0).u16(2 * 256).u16(0);
  for (const p of planesG4) w.bytes(p);
  return w.done();
}

// ---------------------------------------------------------------------------------------------
// Symbols: the page's connected components, each distinct bitmap once

export interface Instance {
  readonly symbol: number;
  readonly x: number;
  readonly y: number;
}

export interface Symbols {
  /** Distinct bitmaps, in dictionary order: by height, then width. */
  readonly symbols: readonly Bitmap[];
  readonly instances: readonly Instance[];
}

/** Splits a page into its 8-connected components and finds each distinct one. */
export function symbolsOf(page: Bitmap): Symbols {
  const { width, data } = page;
  const { list, labels } = components(data, width, page.height);
  const found = list.map((c) => {
    const bm = bitmap(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
    for (let y = c.y0; y <= c.y1; y++) {
      for (let x = c.x0; x <= c.x1; x++) if (labels[y * width + x] === c.id) bm.data[(y - c.y0) * bm.width + x - c.x0] = 1;
    }
    return { bm, x: c.x0, y: c.y0 };
  });
  const key = (b: Bitmap) => `${b.width}x${b.height}:${Buffer.from(b.data).toString('base64')}`;
  const distinct = new Map<string, Bitmap>();
  for (const f of found) if (!distinct.has(key(f.bm))) distinct.set(key(f.bm), f.bm);
  const symbols = [...distinct.values()].sort((a, b) => a.height - b.height || a.width - b.width);
  const index = new Map(symbols.map((s, i) => [key(s), i]));
  return { symbols, instances: found.map((f) => ({ symbol: index.get(key(f.bm))!, x: f.x, y: f.y })) };
}

/** Symbols grouped by height (symbols are sorted by height, then width). */
function heightClasses(symbols: readonly Bitmap[]): Bitmap[][] {
  const classes: Bitmap[][] = [];
  for (const s of symbols) {
    const last = classes[classes.length - 1];
    if (last && last[0]!.height === s.height) last.push(s);
    else classes.push([s]);
  }
  return classes;
}

/** A symbol dictionary (type 0) with arithmetic coding (as jbig2enc writes it): every symbol new and exported. */
export function symbolDictionary(symbols: readonly Bitmap[]): Uint8Array {
  const w = new Bytes().u16(0); // SDHUFF 0, no aggregation, template 0
  for (const [ax, ay] of AT0) w.u8(ax).u8(ay);
  w.u32(symbols.length).u32(symbols.length);
  const mq = new MQEncoder();
  const ints = new IntegerCoder(mq);
  const gb = new Contexts(1 << 16);
  let height = 0;
  for (const cls of heightClasses(symbols)) {
    ints.int('IADH', cls[0]!.height - height);
    height = cls[0]!.height;
    let width = 0;
    for (const s of cls) {
      ints.int('IADW', s.width - width);
      width = s.width;
      encodeGeneric(mq, gb, s);
    }
    ints.int('IADW', null);
  }
  // Export flags: a run of 0 symbols not exported, then all of them.
  ints.int('IAEX', 0);
  ints.int('IAEX', symbols.length);
  return w.bytes(mq.finish()).done();
}

/** Instances in strips of one row each: grouped by top edge, each strip left to right. */
function strips(instances: readonly Instance[]): Instance[][] {
  const byTop = new Map<number, Instance[]>();
  for (const i of instances) (byTop.get(i.y) ?? byTop.set(i.y, []).get(i.y)!).push(i);
  return [...byTop.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list.sort((a, b) => a.x - b.x));
}

const ceilLog2 = (n: number): number => {
  let bits = 0;
  while (1 << bits < n) bits++;
  return bits;
};

/** An immediate text region (type 6), arithmetic coded, placing the instances by their top-left corners with OR. */
export function textRegion(width: number, height: number, symbols: readonly Bitmap[], instances: readonly Instance[]): Uint8Array {
  // SBHUFF 0, no refinement, one-row strips, reference corner top-left (1), not transposed, OR, default 0, DS offset 0.
  const w = regionInfo(new Bytes(), width, height, 0, 0, 'or').u16(1 << 4).u32(instances.length);
  const mq = new MQEncoder();
  const ints = new IntegerCoder(mq);
  const codeLength = ceilLog2(symbols.length);
  let stripT = 0;
  ints.int('IADT', 0); // STRIPT starts at −0
  let firstS = 0;
  for (const strip of strips(instances)) {
    ints.int('IADT', strip[0]!.y - stripT);
    stripT = strip[0]!.y;
    ints.int('IAFS', strip[0]!.x - firstS);
    firstS = strip[0]!.x;
    let s = firstS;
    strip.forEach((inst, k) => {
      if (k > 0) ints.int('IADS', inst.x - s);
      ints.id(inst.symbol, codeLength);
      s = inst.x + symbols[inst.symbol]!.width - 1;
    });
    ints.int('IADS', null);
  }
  return w.bytes(mq.finish()).done();
}

// ---------------------------------------------------------------------------------------------
// Huffman coding with the standard tables (Annex B)

/** A table line: values from `low` (up, or down for a lower-range line) coded as prefix + `rangeBits` bits. */
type Line = readonly [low: number, prefixLength: number, rangeBits: number, prefix: number, lower?: 'lower'];
interface Table {
  readonly lines: readonly Line[];
  /** The out-of-band value's prefix: [length, code]. */
  readonly oob?: readonly [number, number];
}

// Tables B.1, B.2, B.4, B.6, B.8 and B.11 of T.88: the ones selected by zero flags.
const B1: Table = { lines: [[0, 1, 4, 0x0], [16, 2, 8, 0x2], [272, 3, 16, 0x6], [65808, 3, 32, 0x7]] };
const B2: Table = { lines: [[0, 1, 0, 0x0], [1, 2, 0, 0x2], [2, 3, 0, 0x6], [3, 4, 3, 0xe], [11, 5, 6, 0x1e], [75, 6, 32, 0x3e]], oob: [6, 0x3f] };
const B4: Table = { lines: [[1, 1, 0, 0x0], [2, 2, 0, 0x2], [3, 3, 0, 0x6], [4, 4, 3, 0xe], [12, 5, 6, 0x1e], [76, 5, 32, 0x1f]] };
const B6: Table = {
  lines: [
    [-2048, 5, 10, 0x1c], [-1024, 4, 9, 0x8], [-512, 4, 8, 0x9], [-256, 4, 7, 0xa], [-128, 5, 6, 0x1d], [-64, 5, 5, 0x1e], [-32, 4, 5, 0xb],
    [0, 2, 7, 0x0], [128, 3, 7, 0x2], [256, 3, 8, 0x3], [512, 4, 9, 0xc], [1024, 4, 10, 0xd], [-2049, 6, 32, 0x3e, 'lower'], [2048, 6, 32, 0x3f],
  ],
};
const B8: Table = {
  lines: [
    [-15, 8, 3, 0xfc], [-7, 9, 1, 0x1fc], [-5, 8, 1, 0xfd], [-3, 9, 0, 0x1fd], [-2, 7, 0, 0x7c], [-1, 4, 0, 0xa], [0, 2, 1, 0x0], [2, 5, 0, 0x1a],
    [3, 6, 0, 0x3a], [4, 3, 4, 0x4], [20, 6, 1, 0x3b], [22, 4, 4, 0xb], [38, 4, 5, 0xc], [70, 5, 6, 0x1b], [134, 5, 7, 0x1c], [262, 6, 7, 0x3c],
    [390, 7, 8, 0x7d], [646, 6, 10, 0x3d], [-16, 9, 32, 0x1fe, 'lower'], [1670, 9, 32, 0x1ff],
  ],
  oob: [2, 0x1],
};
const B11: Table = {
  lines: [[1, 1, 0, 0x0], [2, 2, 1, 0x2], [4, 4, 0, 0xc], [5, 4, 1, 0xd], [7, 5, 1, 0x1c], [9, 5, 2, 0x1d], [13, 6, 2, 0x3c], [17, 7, 2, 0x7a], [21, 7, 3, 0x7b], [29, 7, 4, 0x7c], [45, 7, 5, 0x7d], [77, 7, 6, 0x7e], [141, 7, 32, 0x7f]],
};

function huff(w: BitWriter, t: Table, v: number | null): void {
  if (v === null) {
    if (!t.oob) throw new Error('jbig2-writer: this table has no OOB');
    w.bits(t.oob[1], t.oob[0]);
    return;
  }
  // The 32-bit line without 'lower' is the upper range: values from its low up.
  const upper = t.lines.find((l) => l[2] === 32 && !l[4]);
  for (const l of t.lines) {
    if (l[4] === 'lower' ? v <= l[0] : l === upper ? v >= l[0] : v >= l[0] && v < l[0] + 2 ** l[2]) {
      w.bits(l[3], l[1]);
      w.bits(l[4] === 'lower' ? l[0] - v : v - l[0], l[2]);
      return;
    }
  }
  throw new Error(`jbig2-writer: ${v} is outside the table`);
}

/** Canonical prefix codes for code lengths (B.3), as the decoder assigns them. */
function prefixCodes(lengths: readonly number[]): number[] {
  const max = Math.max(...lengths);
  const count = new Array<number>(max + 1).fill(0);
  for (const l of lengths) count[l]!++;
  count[0] = 0;
  const codes = new Array<number>(lengths.length).fill(0);
  let first = 0;
  for (let len = 1; len <= max; len++) {
    first = (first + count[len - 1]!) << 1;
    let code = first;
    lengths.forEach((l, i) => {
      if (l === len) codes[i] = code++;
    });
  }
  return codes;
}

/** Each height class's symbols side by side: the collective bitmaps a Huffman symbol dictionary codes. */
export function collectiveBitmaps(symbols: readonly Bitmap[]): Bitmap[] {
  return heightClasses(symbols).map((cls) => {
    const height = cls[0]!.height;
    const total = cls.reduce((n, s) => n + s.width, 0);
    const collective = bitmap(total, height);
    let x0 = 0;
    for (const s of cls) {
      for (let y = 0; y < height; y++) collective.data.set(s.data.subarray(y * s.width, (y + 1) * s.width), y * total + x0);
      x0 += s.width;
    }
    return collective;
  });
}

/**
 * A symbol dictionary (type 0) with Huffman coding (SDHUFF 1, tables B.4, B.2, B.1): each
 * height class's symbols as one collective bitmap, MMR coded (`g4`: the G4 images of
 * collectiveBitmaps(symbols), in order).
 */
export function huffmanSymbolDictionary(symbols: readonly Bitmap[], g4: readonly Uint8Array[]): Uint8Array {
  const head = new Bytes().u16(1).u32(symbols.length).u32(symbols.length);
  const w = new BitWriter();
  let height = 0;
  heightClasses(symbols).forEach((cls, i) => {
    huff(w, B4, cls[0]!.height - height);
    height = cls[0]!.height;
    let width = 0;
    for (const s of cls) {
      huff(w, B2, s.width - width);
      width = s.width;
    }
    huff(w, B2, null);
    huff(w, B1, g4[i]!.length);
    w.bytes(g4[i]!);
  });
  huff(w, B1, 0);
  huff(w, B1, symbols.length);
  return concat([head.done(), w.done()]);
}

/** An immediate text region (type 6) with Huffman coding (SBHUFF 1, tables B.6, B.8, B.11) and a symbol ID table. */
export function huffmanTextRegion(width: number, height: number, symbols: readonly Bitmap[], instances: readonly Instance[]): Uint8Array {
  const head = regionInfo(new Bytes(), width, height, 0, 0, 'or').u16(1 | (1 << 4)).u16(0).u32(instances.length);
  const w = new BitWriter();
  // Symbol ID codes: every symbol the same length; the run codes say "length L" for each (run code L has length 1, others 0…).
  const length = Math.max(1, ceilLog2(symbols.length));
  const runLengths = new Array<number>(35).fill(0);
  runLengths[length] = 1;
  runLengths[32] = 2; // "repeat the previous length 3–6 times"
  runLengths[0] = 2; // unused, but a table needs two codes of length ≥ 1 to be prefix-free as assigned
  const runCodes = prefixCodes(runLengths);
  for (const l of runLengths) w.bits(l, 4);
  let left = symbols.length;
  let first = true;
  while (left > 0) {
    if (first || left < 3) {
      w.bits(runCodes[length]!, runLengths[length]!);
      left--;
      first = false;
      continue;
    }
    const n = Math.min(6, left);
    w.bits(runCodes[32]!, runLengths[32]!);
    w.bits(n - 3, 2);
    left -= n;
  }
  w.align();
  const ids = prefixCodes(new Array<number>(symbols.length).fill(length));
  let stripT = 0;
  huff(w, B11, 1); // STRIPT starts at −1: B.11 codes no zero
  stripT = -1;
  let firstS = 0;
  for (const strip of strips(instances)) {
    huff(w, B11, strip[0]!.y - stripT);
    stripT = strip[0]!.y;
    huff(w, B6, strip[0]!.x - firstS);
    firstS = strip[0]!.x;
    let s = firstS;
    strip.forEach((inst, k) => {
      if (k > 0) huff(w, B8, inst.x - s);
      w.bits(ids[inst.symbol]!, length);
      s = inst.x + symbols[inst.symbol]!.width - 1;
    });
    huff(w, B8, null);
  }
  return concat([head.done(), w.done()]);
}
