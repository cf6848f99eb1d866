/**
 * Writes scanned-page PDFs in every image encoding and colour space pdf.js decodes, each of a
 * stamped page from the fixture builders, with manifest.json saying what grif must report:
 *
 *   npm run build && node dist/scripts/make-encodings.js [DIR]   (default DIR: .tmp/fixtures/encodings)
 *
 * or `await makeEncodings(dir)`. Same pattern as make-fixtures.ts: nothing is regenerated while
 * DIR/manifest.json carries this VERSION and every file it lists exists; files are written under
 * temporary names and renamed, the manifest last.
 *
 * JPEG and CMYK come from sharp, JPEG 2000 from opj_compress (libopenjp2-tools) and img2pdf,
 * CCITT G3/G4 from pnmtotiff (netpbm), JBIG2 from scripts/jbig2-writer.ts (checked with
 * Debian's jbig2dec when it is installed); Flate, LZW, RunLength and the ASCII filters from
 * scripts/pdf-image-writer.ts. Pages are 150–200 dpi to keep OCR quick, with a 300 dpi page in each
 * family and one 600 dpi JPEG 2000 page for the full-resolution check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { generatedOnce, repoRoot } from './dev-support.js';
import { jbig2Fixtures } from './jbig2-fixtures.js';
import { buildPdf, copyLine, page, renderPage, stampText, stampedPage, writeAtomic, type FixtureLevel, type Lang, type Raster } from './make-fixtures.js';
import { bilevel, ccitt, seeded, tool } from './encoding-tools.js';
import { ascii85, asciiHex, flateWithPngPredictor, lzw, packBits, runLength, scanPdf, type PdfObject } from './pdf-image-writer.js';

/** Bump whenever the generated files or the manifest change. */
export const ENCODINGS_VERSION = 2;

export interface EncodingFixture {
  readonly file: string;
  /** The image's filter chain and codec features, as a person would name them. */
  readonly encoding: string;
  readonly colorSpace: string;
  readonly bits: number;
  readonly dpi: number;
  /** The image's width in pixels. */
  readonly width: number;
  readonly expect: { readonly status: 'marked' | 'error'; readonly level: FixtureLevel | null; readonly errorMatches?: string };
  readonly note: string;
}

export interface EncodingsManifest {
  readonly version: number;
  readonly fixtures: readonly EncodingFixture[];
  /** An owner-password-only encrypted PDF (no user password), for the detect/stamp agreement. */
  readonly ownerPasswordOnly: string;
}

async function jpx(dir: string, pnm: Buffer, name: string): Promise<Buffer> {
  const src = join(dir, `${name}.${pnm[1] === 0x35 ? 'pgm' : 'ppm'}`);
  const out = join(dir, `${name}.jp2`);
  await writeFile(src, pnm);
  // Lossy, as archives keep scans: a compression ratio of 20.
  await tool('opj_compress', ['-i', src, '-o', out, '-r', '20'], 'libopenjp2-tools');
  return readFile(out);
}

// ---------------------------------------------------------------------------------------------
// Pictures of a page

const pgm = (r: Raster): Buffer => Buffer.concat([Buffer.from(`P5\n${r.width} ${r.height}\n255\n`, 'latin1'), r.data]);
const ppm = (width: number, height: number, rgb: Uint8Array): Buffer => Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1'), rgb]);

/**
 * The page in colour: black body, the stamp band (the top sixth) in the given ink, on paper that
 * is not quite white; the ink is blended by how dark the grey pixel is.
 */
function colourPage(r: Raster, ink: readonly [number, number, number]): Buffer {
  const band = Math.round(r.height / 6);
  const rgb = Buffer.alloc(r.width * r.height * 3);
  for (let y = 0, i = 0; y < r.height; y++) {
    const c = y < band ? ink : ([0, 0, 0] as const);
    for (let x = 0; x < r.width; x++, i++) {
      const t = r.data[i]! / 255;
      rgb[i * 3] = Math.round(c[0] + (250 - c[0]) * t);
      rgb[i * 3 + 1] = Math.round(c[1] + (248 - c[1]) * t);
      rgb[i * 3 + 2] = Math.round(c[2] + (240 - c[2]) * t);
    }
  }
  return rgb;
}

function rgbToCmyk(rgb: Uint8Array): Buffer {
  const n = rgb.length / 3;
  const out = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    const k = 255 - Math.max(r, g, b);
    const d = 255 - k || 1;
    out[i * 4] = Math.round(((255 - r - k) * 255) / d);
    out[i * 4 + 1] = Math.round(((255 - g - k) * 255) / d);
    out[i * 4 + 2] = Math.round(((255 - b - k) * 255) / d);
    out[i * 4 + 3] = k;
  }
  return out;
}

const VIOLET = [70, 30, 150] as const;
const RED = [190, 25, 35] as const;
const BLUE = [25, 45, 170] as const;

// ---------------------------------------------------------------------------------------------
// The fixtures

interface Job {
  readonly fixture: EncodingFixture;
  readonly make: () => Promise<Uint8Array>;
}

const ICC_DIR = '/usr/share/color/icc/ghostscript';

function iccProfile(name: 'srgb.icc' | 'default_gray.icc'): Buffer {
  const path = join(ICC_DIR, name);
  if (!existsSync(path)) throw new Error(`make-encodings: ${path} is missing; install the Debian package ghostscript (its libgs-common ships the profiles)`);
  return readFileSync(path);
}

function jobs(work: string): Job[] {
  const list: Job[] = [];
  const raster = (lang: Lang, level: FixtureLevel, dpi: number): Raster => renderPage(stampedPage(lang, level), dpi, seeded(`${lang} ${level} ${dpi}`));
  const marked = (level: FixtureLevel) => ({ status: 'marked' as const, level });
  const add = (
    file: string,
    encoding: string,
    colorSpace: string,
    bits: number,
    dpi: number,
    width: number,
    level: FixtureLevel | null,
    note: string,
    make: () => Promise<Uint8Array>,
    errorMatches?: string,
  ): void => {
    const expect = level ? marked(level) : { status: 'error' as const, level: null, errorMatches };
    list.push({ fixture: { file, encoding, colorSpace, bits, dpi, width, expect, note }, make });
  };
  const grey = (lang: Lang, level: FixtureLevel, dpi: number) => {
    let r: Raster | undefined;
    return () => (r ??= raster(lang, level, dpi));
  };

  // --- JPEG (DCT)
  {
    const p = grey('ru', 'secret', 200);
    const w = 1654;
    add('dct-gray-200.pdf', 'DCTDecode', 'DeviceGray', 8, 200, w, 'secret', 'JPEG q85, grey', async () => {
      const r = p();
      const jpg = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } }).jpeg({ quality: 85 }).toBuffer();
      return scanPdf(r.width, r.height, 200, '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode', jpg);
    });
  }
  {
    const p = grey('kk', 'top-secret', 200);
    add('dct-rgb-violet-200.pdf', 'DCTDecode', 'DeviceRGB', 8, 200, 1654, 'top-secret', 'JPEG q85, RGB, violet stamp on cream paper', async () => {
      const r = p();
      const jpg = await sharp(colourPage(r, VIOLET), { raw: { width: r.width, height: r.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
      return scanPdf(r.width, r.height, 200, '/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode', jpg);
    });
  }
  {
    const p = grey('ky', 'secret', 200);
    add('dct-cmyk-adobe-200.pdf', 'DCTDecode (Adobe CMYK, inverted)', 'DeviceCMYK', 8, 200, 1654, 'secret', 'CMYK JPEG as libvips and Photoshop write it (Adobe marker, inverted samples), /Decode [1 0 1 0 1 0 1 0]', async () => {
      const r = p();
      const jpg = await sharp(colourPage(r, BLUE), { raw: { width: r.width, height: r.height, channels: 3 } }).toColourspace('cmyk').jpeg({ quality: 85 }).toBuffer();
      return scanPdf(r.width, r.height, 200, '/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Decode [1 0 1 0 1 0 1 0] /Filter /DCTDecode', jpg);
    });
  }
  {
    const p = grey('ru', 'special-importance', 300);
    add('dct-gray-300-a85.pdf', 'ASCII85Decode + DCTDecode', 'DeviceGray', 8, 300, 2480, 'special-importance', 'JPEG q75 wrapped in ASCII85, 300 dpi', async () => {
      const r = p();
      const jpg = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } }).jpeg({ quality: 75 }).toBuffer();
      return scanPdf(r.width, r.height, 300, '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter [/ASCII85Decode /DCTDecode]', ascii85(jpg));
    });
  }

  // --- JPEG 2000
  {
    const p = grey('kk', 'secret', 200);
    add('jpx-gray-200-img2pdf.pdf', 'JPXDecode (img2pdf)', 'DeviceGray', 8, 200, 1654, 'secret', 'opj_compress -r 20 then img2pdf, as the issue made it', async () => {
      const jp2 = join(work, 'jpx-gray-200.jp2');
      await writeFile(jp2, await jpx(work, pgm(p()), 'jpx-gray-200'));
      return tool('img2pdf', ['-s', '200dpi', '--creationdate', '2024-04-15', '--moddate', '2024-04-15', jp2], 'img2pdf');
    });
  }
  {
    const p = grey('ky', 'top-secret', 200);
    add('jpx-rgb-red-200.pdf', 'JPXDecode', 'from the codestream', 8, 200, 1654, 'top-secret', 'RGB JPEG 2000, red stamp, no /ColorSpace (the codestream says)', async () => {
      const r = p();
      const data = await jpx(work, ppm(r.width, r.height, colourPage(r, RED)), 'jpx-rgb-200');
      return scanPdf(r.width, r.height, 200, '/Filter /JPXDecode', data);
    });
  }
  {
    const p = grey('ru', 'top-secret', 300);
    add('jpx-gray-300.pdf', 'JPXDecode', 'DeviceGray', 8, 300, 2480, 'top-secret', 'grey JPEG 2000 at 300 dpi', async () => {
      const r = p();
      return scanPdf(r.width, r.height, 300, '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode', await jpx(work, pgm(r), 'jpx-gray-300'));
    });
  }
  {
    const p = grey('ru', 'secret', 600);
    add('jpx-gray-600-big.pdf', 'JPXDecode', 'DeviceGray', 8, 600, 4961, 'secret', 'A4 at 600 dpi (4961×7016): must be decoded at full resolution', async () => {
      const r = p();
      return scanPdf(r.width, r.height, 600, '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode', await jpx(work, pgm(r), 'jpx-gray-600'));
    });
  }
  add('bad-jpx-garbage.pdf', 'JPXDecode', 'DeviceGray', 8, 150, 1240, null, 'a JPEG 2000 header followed by random bytes', async () => {
    const r = raster('kk', 'secret', 150);
    const real = await jpx(work, pgm(r), 'jpx-bad');
    const junk = Buffer.from(real);
    const rand = seeded('bad-jpx-garbage');
    for (let i = 200; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
    return scanPdf(r.width, r.height, 150, '/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /JPXDecode', junk);
  }, 'page 1: its jpeg 2000 image .*could not be decoded');

  // --- CCITT fax
  const ccittPage = (file: string, kind: 'g4' | 'g3' | 'g3-2d', blackIs1: boolean, lang: Lang, level: FixtureLevel, dpi: number, note: string) => {
    const p = grey(lang, level, dpi);
    const k = kind === 'g4' ? -1 : kind === 'g3' ? 0 : 4;
    const w = Math.round((210 / 25.4) * dpi);
    add(file, `CCITTFaxDecode ${kind === 'g4' ? 'G4' : kind === 'g3' ? 'G3 1-D' : 'G3 2-D'}${blackIs1 ? ', /BlackIs1 true' : ''}`, 'DeviceGray', 1, dpi, w, level, note, async () => {
      const r = p();
      const bits = bilevel(r);
      const data = await ccitt(bits, r.width, r.height, kind);
      // pnmtotiff's G3 rows start with an end-of-line code; G3 2-D ones carry the 1-D/2-D tag bit after it.
      const eol = kind === 'g4' ? '' : ' /EndOfLine true';
      // The codes give black runs as black; /BlackIs1 true turns the samples round, and /Decode [1 0] back.
      const parms = `/DecodeParms << /K ${k} /Columns ${r.width} /Rows ${r.height}${eol}${blackIs1 ? ' /BlackIs1 true' : ''} >>`;
      return scanPdf(r.width, r.height, dpi, `/ColorSpace /DeviceGray /BitsPerComponent 1${blackIs1 ? ' /Decode [1 0]' : ''} /Filter /CCITTFaxDecode ${parms}`, data);
    });
  };
  ccittPage('ccitt-g4-200.pdf', 'g4', false, 'ky', 'secret', 200, 'CCITT G4, as scanners write bilevel pages');
  ccittPage('ccitt-g4-300-blackis1.pdf', 'g4', true, 'kk', 'special-importance', 300, 'CCITT G4 with /BlackIs1 true and /Decode [1 0]');
  ccittPage('ccitt-g3-1d-200.pdf', 'g3', false, 'ru', 'top-secret', 200, 'CCITT G3 one-dimensional (K 0) with end-of-line codes');
  ccittPage('ccitt-g3-2d-200.pdf', 'g3-2d', true, 'ky', 'special-importance', 200, 'CCITT G3 two-dimensional (K 4), /BlackIs1 true and /Decode [1 0]');

  // --- Flate, LZW, RunLength, ASCII filters; bit depths
  const greyPage = (file: string, encoding: string, bits: 1 | 2 | 4 | 8 | 16, lang: Lang, level: FixtureLevel, dpi: number, encode: (d: Buffer, rowBytes: number) => Buffer, filter: string, note: string) => {
    const p = grey(lang, level, dpi);
    add(file, encoding, 'DeviceGray', bits, dpi, Math.round((210 / 25.4) * dpi), level, note, async () => {
      const r = p();
      const max = 2 ** bits - 1;
      const samples = bits === 1 ? Uint8Array.from(bilevel(r), (b) => 1 - b) : Uint16Array.from(r.data, (v) => Math.round((v * max) / 255));
      const data = packBits(samples, r.width, r.height, bits);
      return scanPdf(r.width, r.height, dpi, `/ColorSpace /DeviceGray /BitsPerComponent ${bits} ${filter.replace('{W}', String(r.width))}`, encode(data, Math.ceil((r.width * bits) / 8)));
    });
  };
  const flate = (d: Buffer) => deflateSync(d, { level: 6 });
  greyPage('flate-gray-8-200.pdf', 'FlateDecode', 8, 'kk', 'top-secret', 200, flate, '/Filter /FlateDecode', 'Flate without predictor');
  greyPage('flate-png-gray-8-300.pdf', 'FlateDecode + PNG Up predictor', 8, 'ru', 'secret', 300, (d, rb) => flateWithPngPredictor(d, rb), '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Colors 1 /BitsPerComponent 8 /Columns {W} >>', 'Flate with PNG predictors, 300 dpi');
  greyPage('flate-gray-1-200.pdf', 'FlateDecode', 1, 'ky', 'top-secret', 200, flate, '/Filter /FlateDecode', '1 bit a pixel');
  greyPage('flate-gray-2-200.pdf', 'FlateDecode', 2, 'ru', 'top-secret', 200, flate, '/Filter /FlateDecode', '2 bits a pixel');
  greyPage('flate-gray-4-200.pdf', 'FlateDecode', 4, 'ru', 'special-importance', 200, flate, '/Filter /FlateDecode', '4 bits a pixel');
  greyPage('flate-gray-16-150.pdf', 'FlateDecode', 16, 'ky', 'secret', 150, flate, '/Filter /FlateDecode', '16 bits a pixel');
  greyPage('lzw-gray-8-200.pdf', 'LZWDecode', 8, 'ru', 'top-secret', 200, (d) => lzw(d), '/Filter /LZWDecode', 'LZW, /EarlyChange 1');
  greyPage('lzw-gray-1-300.pdf', 'LZWDecode', 1, 'kk', 'special-importance', 300, (d) => lzw(d), '/Filter /LZWDecode', 'LZW, 1 bit a pixel, 300 dpi');
  greyPage('runlength-gray-8-200.pdf', 'RunLengthDecode', 8, 'ky', 'special-importance', 200, (d) => runLength(d), '/Filter /RunLengthDecode', 'RunLength');
  greyPage('ahx-flate-gray-8-150.pdf', 'ASCIIHexDecode + FlateDecode', 8, 'kk', 'top-secret', 150, (d) => asciiHex(flate(d)), '/Filter [/ASCIIHexDecode /FlateDecode]', 'Flate in ASCIIHex');
  greyPage('a85-lzw-gray-4-150.pdf', 'ASCII85Decode + LZWDecode', 4, 'ru', 'secret', 150, (d) => ascii85(lzw(d)), '/Filter [/ASCII85Decode /LZWDecode]', 'LZW in ASCII85, 4 bits a pixel');
  // --- Colour spaces (Flate, 8 bits unless said)
  const colourPageFixture = (file: string, colorSpace: string, lang: Lang, level: FixtureLevel, dpi: number, ink: readonly [number, number, number], note: string, encode: (rgb: Buffer) => { dict: string; data: Buffer; extra?: PdfObject[]; bits?: number }) => {
    const p = grey(lang, level, dpi);
    add(file, 'FlateDecode', colorSpace, 8, dpi, Math.round((210 / 25.4) * dpi), level, note, async () => {
      const r = p();
      const { dict, data, extra } = encode(colourPage(r, ink));
      return scanPdf(r.width, r.height, dpi, `${dict} /Filter /FlateDecode`, flate(data), extra);
    });
  };
  colourPageFixture('cs-rgb-16-150.pdf', 'DeviceRGB', 'kk', 'special-importance', 150, RED, 'RGB at 16 bits a component, red stamp', (rgb) => ({
    dict: '/ColorSpace /DeviceRGB /BitsPerComponent 16',
    data: packBits(Uint16Array.from(rgb, (v) => v * 257), rgb.length, 1, 16),
  }));
  colourPageFixture('cs-cmyk-200.pdf', 'DeviceCMYK', 'ru', 'top-secret', 200, BLUE, 'CMYK samples, blue stamp', (rgb) => ({
    dict: '/ColorSpace /DeviceCMYK /BitsPerComponent 8',
    data: rgbToCmyk(rgb),
  }));
  colourPageFixture('cs-iccbased-rgb-200.pdf', 'ICCBased (RGB)', 'ky', 'secret', 200, VIOLET, 'ICCBased sRGB profile (ghostscript srgb.icc), violet stamp', (rgb) => ({
    dict: '/ColorSpace [/ICCBased {6}] /BitsPerComponent 8',
    data: rgb,
    extra: [{ dict: '<< /N 3 /Alternate /DeviceRGB /Filter /FlateDecode >>', stream: flate(iccProfile('srgb.icc')) }],
  }));
  colourPageFixture('cs-iccbased-gray-150.pdf', 'ICCBased (grey)', 'kk', 'top-secret', 150, [0, 0, 0], 'ICCBased grey profile (ghostscript default_gray.icc)', (rgb) => ({
    dict: '/ColorSpace [/ICCBased {6}] /BitsPerComponent 8',
    data: Buffer.from(Uint8Array.from({ length: rgb.length / 3 }, (_, i) => rgb[i * 3]!)),
    extra: [{ dict: '<< /N 1 /Alternate /DeviceGray >>', stream: iccProfile('default_gray.icc') }],
  }));
  colourPageFixture('cs-indexed-8-200.pdf', 'Indexed (8-bit)', 'ru', 'special-importance', 200, VIOLET, 'Indexed on DeviceRGB: 128 greys and 128 shades of violet ink', (rgb) => {
    const palette = Buffer.alloc(256 * 3);
    for (let i = 0; i < 128; i++) palette.fill(Math.round((i * 255) / 127), i * 3, i * 3 + 3);
    for (let i = 0; i < 128; i++) {
      const t = i / 127;
      palette[(128 + i) * 3] = Math.round(VIOLET[0] + (250 - VIOLET[0]) * t);
      palette[(128 + i) * 3 + 1] = Math.round(VIOLET[1] + (248 - VIOLET[1]) * t);
      palette[(128 + i) * 3 + 2] = Math.round(VIOLET[2] + (240 - VIOLET[2]) * t);
    }
    const n = rgb.length / 3;
    const idx = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const r = rgb[i * 3]!;
      const b = rgb[i * 3 + 2]!;
      // Violet ink has far more blue than red; grey has as much.
      idx[i] = b - r > 20 ? 128 + Math.round(((r - VIOLET[0]) / (250 - VIOLET[0])) * 127) : Math.round((r * 127) / 255);
    }
    return { dict: `/ColorSpace [/Indexed /DeviceRGB 255 <${palette.toString('hex')}>] /BitsPerComponent 8`, data: idx };
  });
  colourPageFixture('cs-indexed-4-200.pdf', 'Indexed (4-bit)', 'kk', 'secret', 200, [0, 0, 0], 'Indexed on DeviceGray, 16 greys, 4 bits a pixel', (rgb) => {
    const n = rgb.length / 3;
    const width = Math.round((210 / 25.4) * 200);
    const idx = Uint8Array.from({ length: n }, (_, i) => Math.round((rgb[i * 3]! * 15) / 255));
    const palette = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 17));
    return { dict: `/ColorSpace [/Indexed /DeviceGray 15 <${palette.toString('hex')}>] /BitsPerComponent 4`, data: packBits(idx, width, n / width, 4) };
  });
  colourPageFixture('cs-calrgb-200.pdf', 'CalRGB', 'ky', 'top-secret', 200, RED, 'CalRGB (D65 white, gamma 2.2, sRGB matrix), red stamp', (rgb) => ({
    dict: '/ColorSpace [/CalRGB << /WhitePoint [0.9505 1 1.089] /Gamma [2.2 2.2 2.2] /Matrix [0.4124 0.2126 0.0193 0.3576 0.7152 0.1192 0.1805 0.0722 0.9505] >>] /BitsPerComponent 8',
    data: rgb,
  }));
  colourPageFixture('cs-calgray-150.pdf', 'CalGray', 'ru', 'secret', 150, [0, 0, 0], 'CalGray (D65 white, gamma 2.2)', (rgb) => ({
    dict: '/ColorSpace [/CalGray << /WhitePoint [0.9505 1 1.089] /Gamma 2.2 >>] /BitsPerComponent 8',
    data: Buffer.from(Uint8Array.from({ length: rgb.length / 3 }, (_, i) => rgb[i * 3]!)),
  }));
  colourPageFixture('cs-lab-200.pdf', 'Lab', 'kk', 'special-importance', 200, BLUE, 'CIE L*a*b* (D65), blue stamp', (rgb) => {
    const n = rgb.length / 3;
    const lab = Buffer.alloc(n * 3);
    const lin = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
    for (let i = 0; i < n; i++) {
      const [r, g, b] = [lin(rgb[i * 3]!), lin(rgb[i * 3 + 1]!), lin(rgb[i * 3 + 2]!)];
      const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505;
      const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089;
      const L = 116 * f(y) - 16;
      lab[i * 3] = Math.round((Math.max(0, Math.min(100, L)) * 255) / 100);
      lab[i * 3 + 1] = Math.max(0, Math.min(255, Math.round(500 * (f(x) - f(y)) + 128)));
      lab[i * 3 + 2] = Math.max(0, Math.min(255, Math.round(200 * (f(y) - f(z)) + 128)));
    }
    return { dict: '/ColorSpace [/Lab << /WhitePoint [0.9505 1 1.089] /Range [-128 127 -128 127] >>] /BitsPerComponent 8 /Decode [0 100 -128 127 -128 127]', data: lab };
  });
  colourPageFixture('cs-separation-200.pdf', 'Separation', 'ky', 'secret', 200, [0, 0, 0], 'Separation /Black, tint 1 = full ink, alternate DeviceCMYK (exponential function)', (rgb) => ({
    dict: '/ColorSpace [/Separation /Black /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>] /BitsPerComponent 8',
    data: Buffer.from(Uint8Array.from({ length: rgb.length / 3 }, (_, i) => 255 - rgb[i * 3]!)),
  }));
  colourPageFixture('cs-devicen-200.pdf', 'DeviceN', 'ru', 'top-secret', 200, [200, 30, 120], 'DeviceN [/Magenta /Black], alternate DeviceCMYK (PostScript function), magenta stamp', (rgb) => {
    const n = rgb.length / 3;
    const data = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) {
      const r = rgb[i * 3]!;
      const g = rgb[i * 3 + 1]!;
      data[i * 2] = Math.max(0, r - g); // magenta: red without green
      data[i * 2 + 1] = 255 - r; // black: everything the red channel lost
    }
    return {
      dict: '/ColorSpace [/DeviceN [/Magenta /Black] /DeviceCMYK {6}] /BitsPerComponent 8',
      data,
      extra: [{ dict: '<< /FunctionType 4 /Domain [0 1 0 1] /Range [0 1 0 1 0 1 0 1] >>', stream: Buffer.from('{ 0 3 1 roll 0 exch }', 'latin1') }],
    };
  });

  // --- A stencil mask painted in violet (rendered, not taken as a scan)
  {
    const p = grey('kk', 'top-secret', 200);
    add('imagemask-200.pdf', 'ImageMask, FlateDecode', 'stencil (violet fill)', 1, 200, 1654, 'top-secret', '/ImageMask true: the page is a 1-bit stencil painted in violet', async () => {
      const r = p();
      const bits = Uint8Array.from(bilevel(r), (b) => 1 - b); // 0 paints
      return scanPdf(r.width, r.height, 200, '/ImageMask true /BitsPerComponent 1 /Filter /FlateDecode', flate(packBits(bits, r.width, r.height, 1)), [], '0.28 0.12 0.6 rg ');
    });
  }

  // --- JBIG2, every kind of segment (scripts/jbig2-fixtures.ts)
  for (const j of jbig2Fixtures(raster)) add(j.file, j.encoding, 'DeviceGray', 1, j.dpi, j.width, j.level, j.note, j.make, j.errorMatches);
  return list;
}

// ---------------------------------------------------------------------------------------------
// Writing

export const ENCODINGS_MANIFEST = 'manifest.json';

async function ownerPasswordOnly(dir: string, work: string): Promise<string> {
  const file = 'encrypted-owner-only-ru-secret.pdf';
  const plain = join(work, 'plain.pdf');
  const out = join(work, file);
  await writeFile(plain, await buildPdf(file, [{ text: page('ru', 0, [stampText('secret', 'ru')], copyLine('ru')) }]));
  // An empty user password: anyone may open it; the owner password guards changes. Exit 3: warnings.
  await tool('qpdf', ['--static-id', '--static-aes-iv', '--encrypt', '', 'ownerpw', '256', '--', plain, out], 'qpdf').catch(async (e: Error) => {
    if (!existsSync(out)) throw e;
  });
  await writeAtomic(dir, file, await readFile(out));
  return file;
}

async function generate(dir: string): Promise<EncodingsManifest> {
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'grif-encodings-'));
  try {
    // Two at a time: one drawing or encoding in JavaScript while the other waits on a Debian tool.
    const all = jobs(work);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < all.length) {
        const j = all[next++]!;
        await writeAtomic(dir, j.fixture.file, await j.make());
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const fixtures = all.map((j) => j.fixture);
    const manifest: EncodingsManifest = { version: ENCODINGS_VERSION, fixtures, ownerPasswordOnly: await ownerPasswordOnly(dir, work) };
    await writeAtomic(dir, ENCODINGS_MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes the encoding fixtures into `dir` unless its manifest already carries ENCODINGS_VERSION; returns the manifest. */
export const makeEncodings: (dir: string) => Promise<EncodingsManifest> = generatedOnce(ENCODINGS_VERSION, generate, (m) => [m.ownerPasswordOnly]);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(repoRoot(), '.tmp', 'fixtures', 'encodings'));
  const t0 = performance.now();
  makeEncodings(dir)
    .then((m) => process.stdout.write(`${m.fixtures.length + 1} fixtures in ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
