/**
 * Test-only: JBIG2 scans of stamped pages with every kind of segment (scripts/jbig2-writer.ts),
 * each checked with Debian's jbig2dec, when installed, to decode to exactly the page meant.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bilevel, ccitt, seeded, tool } from './encoding-tools.js';
import {
  bitmap,
  collectiveBitmaps,
  combine,
  crop,
  genericRegion,
  halftonePlanes,
  halftoneRegion,
  huffmanSymbolDictionary,
  huffmanTextRegion,
  mmrGenericRegion,
  pageInfo,
  patternBitmap,
  patternDictionary,
  refinementRegion,
  streamOf,
  symbolDictionary,
  symbolsOf,
  textRegion,
  type Bitmap,
  type CombOp,
  type Segment,
} from './jbig2-writer.js';
import type { FixtureLevel, Lang, Raster } from './make-fixtures.js';
import { scanPdf } from './pdf-image-writer.js';

export interface Jbig2Fixture {
  readonly file: string;
  readonly encoding: string;
  readonly dpi: number;
  readonly width: number;
  readonly level: FixtureLevel | null;
  readonly note: string;
  readonly make: () => Promise<Uint8Array>;
  readonly errorMatches?: string;
}

const g4 = async (b: Bitmap): Promise<Uint8Array> => ccitt(b.data, b.width, b.height, 'g4');

/** A page's JBIG2 streams: the page's own segments and, maybe, the globals. */
interface Streams {
  readonly page: Segment[];
  readonly globals?: Segment[];
}

const END_OF_PAGE = (n: number): Segment => ({ number: n, type: 49, page: 1, refs: [], data: new Uint8Array(0) });

/** Decodes the streams with jbig2dec and fails unless they give exactly `expected`. */
async function verify(name: string, s: Streams, expected: Bitmap): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'grif-jbig2-'));
  try {
    const files: string[] = [];
    if (s.globals) {
      await writeFile(join(dir, 'globals'), streamOf(s.globals));
      files.push(join(dir, 'globals'));
    }
    await writeFile(join(dir, 'page'), streamOf(s.page));
    files.push(join(dir, 'page'));
    await tool('jbig2dec', ['-e', '-q', '-t', 'pbm', '-o', join(dir, 'out.pbm'), ...files], 'jbig2dec');
    const pbm = await readFile(join(dir, 'out.pbm'));
    // "P4\n<w> <h>\n" then rows of packed bits, 1 = black.
    const header = /^P4\s+(\d+)\s+(\d+)\s/.exec(pbm.toString('latin1', 0, 40));
    if (!header) throw new Error(`make-encodings: jbig2dec wrote no PBM for ${name}`);
    const [w, h] = [Number(header[1]), Number(header[2])];
    if (w !== expected.width || h !== expected.height) throw new Error(`make-encodings: jbig2dec decoded ${name} as ${w}×${h}, not ${expected.width}×${expected.height}`);
    const rows = pbm.subarray(header[0].length);
    const rowBytes = Math.ceil(w / 8);
    let wrong = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (((rows[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1) !== expected.data[y * w + x]) wrong++;
    if (wrong) throw new Error(`make-encodings: jbig2dec decoded ${name} with ${wrong} pixels wrong: the JBIG2 writer is broken`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF of a JBIG2 page (its segments in the image stream, globals in /JBIG2Globals). */
async function jbig2Pdf(name: string, s: Streams, page: Bitmap, dpi: number): Promise<Uint8Array> {
  const last = Math.max(...s.page.map((x) => x.number));
  const withEnd: Streams = { ...s, page: [...s.page, END_OF_PAGE(last + 1)] };
  if (existsSync('/usr/bin/jbig2dec')) await verify(name, withEnd, page);
  const parms = s.globals ? ' /DecodeParms << /JBIG2Globals {6} >>' : '';
  const extra = s.globals ? [{ dict: '<< >>', stream: streamOf(s.globals) }] : [];
  return scanPdf(page.width, page.height, dpi, `/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode${parms}`, streamOf(withEnd.page), extra);
}

const info = (p: Bitmap, dpi: number, more: { mixedOperators?: boolean; refinements?: boolean } = {}): Segment => ({
  number: 0,
  type: 48,
  page: 1,
  refs: [],
  data: pageInfo({ width: p.width, height: p.height, dpi, ...more }),
});

/** Random blobs (1 = black) over a bitmap's area, to be undone by a later region. */
function blobs(width: number, height: number, rand: () => number, density: number): Bitmap {
  const b = bitmap(width, height);
  for (let i = 0; i < (width * height * density) / 40; i++) {
    const x = Math.floor(rand() * width);
    const y = Math.floor(rand() * height);
    const w = 2 + Math.floor(rand() * 8);
    const h = 2 + Math.floor(rand() * 5);
    for (let yy = y; yy < Math.min(height, y + h); yy++) b.data.fill(1, yy * width + x, yy * width + Math.min(width, x + w));
  }
  return b;
}

/**
 * The first all-white row at or below a fifth of the page: a band ending there has nothing
 * under its bottom edge, so no decoder can see the page below it differently from another.
 */
function bandHeight(p: Bitmap): number {
  for (let y = Math.round(p.height * 0.2); y < p.height; y++) if (!p.data.subarray(y * p.width, (y + 1) * p.width).includes(1)) return y;
  throw new Error('make-encodings: no white row below the stamp band');
}

function mapBits(a: Bitmap, f: (v: number, i: number) => number): Bitmap {
  return { width: a.width, height: a.height, data: Uint8Array.from(a.data, f) };
}

/** Puts a region onto a page with an operator, as a decoder does. */
function compose(page: Bitmap, region: Bitmap, x: number, y: number, op: CombOp): void {
  for (let r = 0; r < region.height; r++) {
    for (let c = 0; c < region.width; c++) {
      const i = (y + r) * page.width + x + c;
      page.data[i] = combine(page.data[i]!, region.data[r * region.width + c]!, op);
    }
  }
}

export function jbig2Fixtures(raster: (lang: Lang, level: FixtureLevel, dpi: number) => Raster): Jbig2Fixture[] {
  const list: Jbig2Fixture[] = [];
  const pageOf = (lang: Lang, level: FixtureLevel, dpi: number): Bitmap => {
    const r = raster(lang, level, dpi);
    return { width: r.width, height: r.height, data: bilevel(r) };
  };
  const add = (file: string, encoding: string, lang: Lang, level: FixtureLevel, dpi: number, note: string, make: (p: Bitmap) => Promise<Streams>): void => {
    const width = Math.round((210 / 25.4) * dpi);
    list.push({ file, encoding, dpi, width, level, note, make: async () => {
      const p = pageOf(lang, level, dpi);
      return jbig2Pdf(file, await make(p), p, dpi);
    } });
  };

  add('jbig2-generic-arith-200.pdf', 'JBIG2 generic region, arithmetic (MQ), template 0', 'ru', 'secret', 200, 'one immediate generic region', async (p) => ({
    page: [info(p, 200), { number: 1, type: 38, page: 1, refs: [], data: genericRegion(p, 0, 0, 'or') }],
  }));

  add('jbig2-generic-mmr-300.pdf', 'JBIG2 generic region, MMR', 'kk', 'top-secret', 300, 'one immediate generic region carrying a CCITT G4 image (pnmtotiff)', async (p) => ({
    page: [info(p, 300), { number: 1, type: 38, page: 1, refs: [], data: mmrGenericRegion(await g4(p), p.width, p.height, 0, 0, 'or') }],
  }));

  add('jbig2-refinement-200.pdf', 'JBIG2 generic refinement region', 'ky', 'special-importance', 200, 'a generic region with the stamp band blanked and specked, then a refinement region restoring it (REPLACE)', async (p) => {
    const band = bandHeight(p);
    const rough = { ...p, data: Uint8Array.from(p.data) };
    rough.data.fill(0, 0, band * p.width);
    const specks = blobs(p.width, band, seeded('refinement specks'), 0.02);
    rough.data.set(specks.data, 0);
    return {
      page: [
        info(p, 200, { mixedOperators: true, refinements: true }),
        { number: 1, type: 38, page: 1, refs: [], data: genericRegion(rough, 0, 0, 'or') },
        { number: 2, type: 42, page: 1, refs: [], data: refinementRegion(crop(p, 0, 0, p.width, band), crop(rough, 0, 0, p.width, band), 0, 0, 'replace') },
      ],
    };
  });

  add('jbig2-composition-200.pdf', 'JBIG2 combination operators OR, AND, XOR, XNOR, REPLACE', 'ru', 'top-secret', 200, 'six regions: the stamp band is garbled and restored by each operator in turn; arithmetic and MMR', async (p) => {
    const band = bandHeight(p);
    const T = crop(p, 0, 0, p.width, band);
    const rand = seeded('composition');
    const G = blobs(p.width, band, rand, 0.05);
    const first = { ...p, data: Uint8Array.from(p.data) };
    for (let i = 0; i < G.data.length; i++) first.data[i]! |= G.data[i]!;
    const X = blobs(p.width, band, rand, 0.3);
    const G2 = blobs(p.width, band, rand, 0.1);
    const regions: [Bitmap, CombOp, boolean][] = [
      [first, 'or', false],
      [T, 'and', true],
      [X, 'xor', false],
      [mapBits(X, (v) => 1 - v), 'xnor', true],
      [G2, 'xor', true],
      [T, 'replace', false],
    ];
    // Check the sequence on its own before trusting it: every step's operator matters, the end is the page.
    const sim = bitmap(p.width, p.height);
    const segments: Segment[] = [info(p, 200, { mixedOperators: true })];
    for (const [i, [r, op, mmr]] of regions.entries()) {
      compose(sim, r, 0, 0, op);
      const data = mmr ? mmrGenericRegion(await g4(r), r.width, r.height, 0, 0, op) : genericRegion(r, 0, 0, op);
      segments.push({ number: i + 1, type: 38, page: 1, refs: [], data });
    }
    if (!sim.data.every((v, i) => v === p.data[i])) throw new Error('make-encodings: the composition sequence does not give the page back');
    return { page: segments };
  });

  add('jbig2-halftone-200.pdf', 'JBIG2 pattern dictionary + halftone region, MMR', 'kk', 'secret', 200, '2×2 patterns (all 16), grey-scale image in four Gray-coded MMR bit planes', async (p) => {
    const { gridWidth, gridHeight, planes } = halftonePlanes(p);
    const planesG4 = await Promise.all(planes.map(g4));
    return {
      page: [
        info(p, 200),
        { number: 1, type: 16, page: 1, refs: [], data: patternDictionary(await g4(patternBitmap())) },
        { number: 2, type: 22, page: 1, refs: [1], data: halftoneRegion(p.width, p.height, gridWidth, gridHeight, planesG4, 'or') },
      ],
    };
  });

  add('jbig2-symbols-arith-globals-200.pdf', 'JBIG2 symbol dictionary + text region, arithmetic, /JBIG2Globals', 'ky', 'top-secret', 200, 'as jbig2enc -s -p writes it: the symbols in the globals stream', async (p) => {
    const { symbols, instances } = symbolsOf(p);
    return {
      globals: [{ number: 0, type: 0, page: 0, refs: [], data: symbolDictionary(symbols) }],
      page: [
        { ...info(p, 200), number: 1 },
        { number: 2, type: 6, page: 1, refs: [0], data: textRegion(p.width, p.height, symbols, instances) },
      ],
    };
  });

  add('jbig2-symbols-arith-200.pdf', 'JBIG2 symbol dictionary + text region, arithmetic', 'ru', 'special-importance', 200, 'the symbol dictionary in the page stream, no /JBIG2Globals', async (p) => {
    const { symbols, instances } = symbolsOf(p);
    return {
      page: [
        info(p, 200),
        { number: 1, type: 0, page: 1, refs: [], data: symbolDictionary(symbols) },
        { number: 2, type: 6, page: 1, refs: [1], data: textRegion(p.width, p.height, symbols, instances) },
      ],
    };
  });

  add('jbig2-symbols-huffman-200.pdf', 'JBIG2 symbol dictionary + text region, Huffman', 'kk', 'special-importance', 200, 'standard Huffman tables, MMR collective bitmaps, a symbol ID table; symbols in /JBIG2Globals', async (p) => {
    const { symbols, instances } = symbolsOf(p);
    const collective = await Promise.all(collectiveBitmaps(symbols).map(g4));
    return {
      globals: [{ number: 0, type: 0, page: 0, refs: [], data: huffmanSymbolDictionary(symbols, collective) }],
      page: [
        { ...info(p, 200), number: 1 },
        { number: 2, type: 6, page: 1, refs: [0], data: huffmanTextRegion(p.width, p.height, symbols, instances) },
      ],
    };
  });

  // Cut short inside its symbol dictionary. (pdf.js decodes a generic region cut short as far as
  // it goes, without a word: such a page is read as far as it was decoded.)
  list.push({
    file: 'bad-jbig2-truncated.pdf',
    encoding: 'JBIG2 symbol dictionary + text region, cut short',
    dpi: 150,
    width: 1240,
    level: null,
    note: 'the page stream ends 200 bytes in, inside the symbol dictionary',
    errorMatches: 'page 1: its jbig2 image .*could not be decoded',
    make: async () => {
      const p = pageOf('ky', 'secret', 150);
      const { symbols, instances } = symbolsOf(p);
      const whole = streamOf([
        info(p, 150),
        { number: 1, type: 0, page: 1, refs: [], data: symbolDictionary(symbols) },
        { number: 2, type: 6, page: 1, refs: [1], data: textRegion(p.width, p.height, symbols, instances) },
      ]);
      return scanPdf(p.width, p.height, 150, '/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode', whole.subarray(0, 200));
    },
  });
  list.push({
    file: 'bad-jbig2-no-globals.pdf',
    encoding: 'JBIG2 text region without its /JBIG2Globals',
    dpi: 150,
    width: 1240,
    level: null,
    note: 'a jbig2enc-style page whose symbol dictionary (the globals stream) was lost',
    errorMatches: 'page 1: its jbig2 image .*could not be decoded',
    make: async () => {
      const p = pageOf('kk', 'top-secret', 150);
      const { symbols, instances } = symbolsOf(p);
      const page = streamOf([{ ...info(p, 150), number: 1 }, { number: 2, type: 6, page: 1, refs: [0], data: textRegion(p.width, p.height, symbols, instances) }]);
      return scanPdf(p.width, p.height, 150, '/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode', page);
    },
  });
  return list;
}
