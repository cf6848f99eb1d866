/**
 * Scans with rubber stamps as offices put them on by hand: a framed stamp in violet, blue, red or
 * black ink, turned a few degrees either way (up to 20°), unevenly inked, scanned in colour at
 * 150–300 dpi. Also stamp-like marks that are not markings (a registration stamp with a number
 * and a date, a round seal) and a framed stamp whose ink cannot be read. Written into a directory
 * with manifest.json saying what grif must report for each, like scripts/make-fixtures.ts.
 *
 *   npm run build && node dist/scripts/make-stamps.js [DIR]     (default DIR: .tmp/fixtures/stamps)
 *
 * Deterministic: a seeded PRNG draws the ink's unevenness, so two runs give the same bytes.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { PDFDocument, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { generatedOnce, mulberry32, repoRoot } from './dev-support.js';
import {
  CANVAS_BOLD,
  CANVAS_REGULAR,
  MANIFEST_FILE,
  PAGE_W,
  copyLine,
  fonts,
  page,
  renderPage,
  stampText,
  writeAtomic,
  type FixtureExpectation,
  type FixtureLevel,
  type Lang,
  type Raster,
} from './make-fixtures.js';

/** Bump whenever the generated files or the manifest change. */
export const STAMPS_VERSION = 5;

export interface StampFixture {
  readonly file: string;
  readonly expect: FixtureExpectation;
  /** Degrees, clockwise; 0 for an upright stamp. */
  readonly angle: number;
  readonly ink: Ink;
  readonly dpi: number;
  /** The stamp's box on the page, in points from the top left (the turned frame's bounds). */
  readonly box: readonly [number, number, number, number];
  readonly note: string;
}

export interface StampManifest {
  readonly version: number;
  readonly fixtures: readonly StampFixture[];
}

export type Ink = 'violet' | 'blue' | 'red' | 'black';

/** Stamp-pad inks as they look on paper. */
const INK_RGB: Record<Ink, readonly [number, number, number]> = {
  violet: [92, 45, 145],
  blue: [32, 64, 170],
  red: [190, 36, 44],
  black: [25, 25, 30],
};

/** What the stamp carries, line by line, and how it is drawn. */
interface StampDesign {
  readonly lines: readonly { readonly text: string; readonly pt: number; readonly bold: boolean }[];
  /** Frame: a rectangle, two rectangles, or a circle (a seal). */
  readonly frame: 'single' | 'double' | 'circle' | 'none';
  /** Share of the ink that reaches the paper: 1 = a well-inked stamp. */
  readonly inking: number;
  /** Smear the stamp so no letter can be read (a stamp put on twice, or wet). */
  readonly smeared?: boolean;
}

interface Placed {
  readonly raster: RgbRaster;
  /** The turned stamp's bounds in points from the top left. */
  readonly box: readonly [number, number, number, number];
}

interface RgbRaster {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes a pixel. */
  readonly data: Buffer;
  readonly dpi: number;
}

function toRgb(r: Raster): RgbRaster {
  const data = Buffer.allocUnsafe(r.width * r.height * 3);
  for (let i = 0, j = 0; i < r.data.length; i++, j += 3) data[j] = data[j + 1] = data[j + 2] = r.data[i]!;
  return { width: r.width, height: r.height, data, dpi: r.dpi };
}

/** Smooth value noise in [0, 1] on a grid of `cell` pixels: the blotches of an uneven stamp pad. */
function valueNoise(width: number, height: number, cell: number, rand: () => number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rand());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const sy = fy * fy * (3 - 2 * fy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const sx = fx * fx * (3 - 2 * fx);
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const d = grid[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
    }
  }
  return out;
}

/**
 * Lays a stamp on the page: drawn upright on its own layer, turned by `angle` about its centre
 * at (cx, cy) points, inked unevenly, and multiplied onto the paper as ink is.
 */
function stampOn(pageRaster: RgbRaster, design: StampDesign, ink: Ink, angle: number, cx: number, cy: number, rand: () => number): Placed {
  fonts();
  const { width, height, dpi } = pageRaster;
  const px = dpi / 72;
  const layer = createCanvas(width, height);
  const ctx = layer.getContext('2d');
  const measure = (t: string, pt: number, bold: boolean): number => {
    ctx.font = `${(pt * px).toFixed(2)}px ${bold ? CANVAS_BOLD : CANVAS_REGULAR}`;
    return ctx.measureText(t).width;
  };
  const pad = 9 * px;
  const gap = 5 * px;
  const textW = Math.max(...design.lines.map((l) => measure(l.text, l.pt, l.bold)));
  const textH = design.lines.reduce((a, l) => a + l.pt * px * 1.15, 0) + gap * (design.lines.length - 1);
  let w = textW + 2 * pad;
  let h = textH + 2 * pad;
  if (design.frame === 'circle') w = h = Math.max(w, h) * 1.05;
  ctx.translate(cx * px, cy * px);
  ctx.rotate((angle * Math.PI) / 180);
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  ctx.lineWidth = 2.2 * px;
  if (design.frame === 'single' || design.frame === 'double') ctx.strokeRect(-w / 2, -h / 2, w, h);
  if (design.frame === 'double') {
    ctx.lineWidth = 1 * px;
    ctx.strokeRect(-w / 2 + 3 * px, -h / 2 + 3 * px, w - 6 * px, h - 6 * px);
  }
  if (design.frame === 'circle') {
    ctx.beginPath();
    ctx.arc(0, 0, w / 2, 0, Math.PI * 2);
    ctx.stroke();
    ctx.lineWidth = 1 * px;
    ctx.beginPath();
    ctx.arc(0, 0, w / 2 - 4 * px, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  // A smeared stamp slid as it was pressed: its letters drawn blurred along the slide, the frame
  // (pressed first) still sharp.
  if (design.smeared) ctx.filter = `blur(${(3.5 * px).toFixed(1)}px)`;
  const slides = design.smeared ? [0, 1, 2, 3] : [0];
  let y = -textH / 2;
  for (const l of design.lines) {
    ctx.font = `${(l.pt * px).toFixed(2)}px ${l.bold ? CANVAS_BOLD : CANVAS_REGULAR}`;
    y += l.pt * px * 0.95;
    for (const k of slides) ctx.fillText(l.text, k * 2.5 * px, y + k * 1.5 * px);
    y += l.pt * px * 0.2 + gap;
  }
  ctx.filter = 'none';
  const alpha = layer.data(); // RGBA; the ink's coverage is in A
  // The frame's turned corners bound the stamp.
  const rad = (angle * Math.PI) / 180;
  const hw = (Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad))) / 2 / px;
  const hh = (Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad))) / 2 / px;
  const box = [cx - hw, cy - hh, cx + hw, cy + hh] as const;

  const x0 = Math.max(0, Math.floor(box[0] * px) - 4);
  const y0 = Math.max(0, Math.floor(box[1] * px) - 4);
  const x1 = Math.min(width, Math.ceil(box[2] * px) + 4);
  const y1 = Math.min(height, Math.ceil(box[3] * px) + 4);
  const bw = x1 - x0;
  const bh = y1 - y0;
  const blotches = valueNoise(bw, bh, Math.max(4, Math.round(18 * (dpi / 300))), rand);
  const grain = valueNoise(bw, bh, Math.max(1, Math.round(2 * (dpi / 300))), rand);
  const [ir, ig, ib] = INK_RGB[ink];
  const out = Buffer.from(pageRaster.data);
  for (let yy = 0; yy < bh; yy++) {
    for (let xx = 0; xx < bw; xx++) {
      const p = (y0 + yy) * width + (x0 + xx);
      let a = alpha[p * 4 + 3]! / 255;
      if (a === 0) continue;
      const k = yy * bw + xx;
      // Uneven pad: blotches lighter, a fine grain of ink missing.
      const cover = Math.min(1, (0.35 + 0.9 * blotches[k]!) * design.inking + 0.15);
      a *= cover * (grain[k]! < 0.12 * (2 - design.inking) ? 0.25 : 1);
      const q = p * 3;
      out[q] = Math.round(out[q]! * (1 - a + (a * ir) / 255));
      out[q + 1] = Math.round(out[q + 1]! * (1 - a + (a * ig) / 255));
      out[q + 2] = Math.round(out[q + 2]! * (1 - a + (a * ib) / 255));
    }
  }
  return { raster: { ...pageRaster, data: out }, box: box.map((v) => Math.round(v * 10) / 10) as unknown as Placed['box'] };
}

/** Draws on a copy of the page with canvas operations in points (px = pixels per point). */
function drawOn(page: RgbRaster, draw: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, px: number) => void): RgbRaster {
  const canvas = createCanvas(page.width, page.height);
  const ctx = canvas.getContext('2d');
  const rgba = ctx.createImageData(page.width, page.height);
  for (let i = 0, j = 0; i < page.data.length; i += 3, j += 4) {
    rgba.data[j] = page.data[i]!;
    rgba.data[j + 1] = page.data[i + 1]!;
    rgba.data[j + 2] = page.data[i + 2]!;
    rgba.data[j + 3] = 255;
  }
  ctx.putImageData(rgba, 0, 0);
  draw(ctx, page.dpi / 72);
  const out = ctx.getImageData(0, 0, page.width, page.height).data;
  const data = Buffer.allocUnsafe(page.width * page.height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    data[i] = out[j]!;
    data[i + 1] = out[j + 1]!;
    data[i + 2] = out[j + 2]!;
  }
  return { ...page, data };
}

/** A scan as scanners write colour: one JPEG covering the page, at its resolution. */
async function jpegPdf(r: RgbRaster, title: string): Promise<Uint8Array> {
  const jpeg = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setProducer('grif make-stamps');
  const img = await doc.embedJpg(jpeg);
  const w = (r.width * 72) / r.dpi;
  const h = (r.height * 72) / r.dpi;
  // One transform scaling the picture to the page, as scanners write it.
  const page = doc.addPage([w, h]);
  const name = page.node.newXObject('Scan', img.ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, 0), drawObject(name), popGraphicsState());
  return doc.save();
}

const pngOf = (r: RgbRaster): Promise<Buffer> =>
  sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).withDensity(r.dpi).png({ compressionLevel: 6 }).toBuffer();

/** A marking stamp: the marking in capitals and a copy line under it. */
function markingStamp(level: FixtureLevel, lang: Lang, inking = 1): StampDesign {
  return {
    lines: [
      { text: stampText(level, lang), pt: 14, bold: true },
      { text: copyLine(lang, 2), pt: 11, bold: false },
    ],
    frame: 'single',
    inking,
  };
}

interface Case {
  readonly lang: Lang;
  readonly level: FixtureLevel;
  readonly ink: Ink;
  readonly angle: number;
  readonly dpi: number;
  readonly as: 'pdf' | 'png';
  readonly frame?: StampDesign['frame'];
}

/** Stamps turned -20°…+20°, in every ink, at 150, 200 and 300 dpi, every language and level. */
export const TILTED_CASES: readonly Case[] = [
  { lang: 'ru', level: 'secret', ink: 'violet', angle: -12, dpi: 300, as: 'pdf' },
  { lang: 'ky', level: 'secret', ink: 'blue', angle: 20, dpi: 200, as: 'pdf' },
  { lang: 'kk', level: 'top-secret', ink: 'red', angle: -20, dpi: 300, as: 'pdf' },
  { lang: 'ru', level: 'top-secret', ink: 'black', angle: 8, dpi: 150, as: 'pdf', frame: 'double' },
  { lang: 'ky', level: 'top-secret', ink: 'violet', angle: 15, dpi: 150, as: 'png' },
  { lang: 'kk', level: 'secret', ink: 'blue', angle: -4, dpi: 200, as: 'png' },
  { lang: 'ru', level: 'special-importance', ink: 'red', angle: 4, dpi: 200, as: 'pdf' },
  { lang: 'kk', level: 'special-importance', ink: 'violet', angle: -8, dpi: 300, as: 'png', frame: 'double' },
  { lang: 'ky', level: 'special-importance', ink: 'black', angle: -16, dpi: 300, as: 'pdf' },
  { lang: 'ru', level: 'secret', ink: 'blue', angle: 0, dpi: 150, as: 'pdf' },
  { lang: 'kk', level: 'top-secret', ink: 'violet', angle: 12, dpi: 150, as: 'pdf', frame: 'none' },
  { lang: 'ru', level: 'secret', ink: 'black', angle: -10, dpi: 200, as: 'png', frame: 'none' },
];

const MARKED = (level: FixtureLevel): FixtureExpectation => ({ status: 'marked', level });

// Where a stamp goes: the top right, above the letter's first line (the body starts at 165 pt).
const STAMP_CX = PAGE_W - 48 - 95;
const STAMP_CY = 92;

async function generate(dir: string): Promise<StampManifest> {
  await mkdir(dir, { recursive: true });
  const rand = mulberry32(0x7374616d); // "stam"
  const fixtures: StampFixture[] = [];
  const add = async (f: StampFixture, r: RgbRaster, as: 'pdf' | 'png'): Promise<void> => {
    await writeAtomic(dir, f.file, as === 'pdf' ? await jpegPdf(r, f.file) : await pngOf(r));
    fixtures.push(f);
  };
  const paper = (lang: Lang, dpi: number): RgbRaster => toRgb(renderPage(page(lang, 0, [], null), dpi, rand));

  for (const c of TILTED_CASES) {
    const design = { ...markingStamp(c.level, c.lang), frame: c.frame ?? 'single' };
    const { raster, box } = stampOn(paper(c.lang, c.dpi), design, c.ink, c.angle, STAMP_CX, STAMP_CY, rand);
    const file = `tilted-${c.lang}-${c.level}-${c.ink}-${c.angle < 0 ? 'm' : 'p'}${Math.abs(c.angle)}-${c.dpi}${c.frame === 'none' ? '-unframed' : ''}.${c.as}`;
    await add(
      {
        file,
        expect: MARKED(c.level),
        angle: c.angle,
        ink: c.ink,
        dpi: c.dpi,
        box,
        note: `${c.ink} rubber stamp "${stampText(c.level, c.lang)}" (${design.frame} frame) turned ${c.angle}°, colour scan at ${c.dpi} dpi`,
      },
      raster,
      c.as,
    );
  }

  // A half-inked stamp: much of the ink missing, still legible to a person.
  {
    const { raster, box } = stampOn(paper('ru', 300), markingStamp('top-secret', 'ru', 0.55), 'violet', 10, STAMP_CX, STAMP_CY, rand);
    await add(
      { file: 'half-inked-ru-top-secret-violet-p10-300.pdf', expect: MARKED('top-secret'), angle: 10, ink: 'violet', dpi: 300, box, note: 'violet stamp turned 10°, half inked' },
      raster,
      'pdf',
    );
  }

  // A framed stamp whose ink cannot be read: a person must look, never "unmarked".
  {
    const placed = stampOn(paper('kk', 300), { ...markingStamp('secret', 'kk'), smeared: true }, 'violet', -9, STAMP_CX, STAMP_CY, rand);
    await add(
      {
        file: 'unreadable-violet-m9-300.pdf',
        expect: { status: 'review', level: null },
        angle: -9,
        ink: 'violet',
        dpi: 300,
        box: placed.box,
        note: 'a framed violet stamp smeared past reading, top right: review with its region outlined',
      },
      placed.raster,
      'pdf',
    );
  }

  // Stamp-like marks a person would recognise as something else: not markings, not doubtful.
  {
    const registration: StampDesign = {
      lines: [
        { text: 'Вх. № 1274', pt: 12, bold: true },
        { text: '14.03.2024', pt: 12, bold: false },
      ],
      frame: 'single',
      inking: 1,
    };
    const { raster, box } = stampOn(paper('ru', 200), registration, 'blue', -7, STAMP_CX, STAMP_CY, rand);
    await add(
      { file: 'registration-ru-blue-m7-200.pdf', expect: { status: 'unmarked', level: null }, angle: -7, ink: 'blue', dpi: 200, box, note: 'a blue registration stamp (number and date) turned -7°, no marking' },
      raster,
      'pdf',
    );
  }
  {
    const dsp: StampDesign = { lines: [{ text: 'ДСП', pt: 16, bold: true }], frame: 'single', inking: 1 };
    const { raster, box } = stampOn(paper('ru', 200), dsp, 'violet', -6, STAMP_CX, STAMP_CY, rand);
    await add(
      { file: 'dsp-ru-violet-m6-200.pdf', expect: { status: 'unmarked', level: null }, angle: -6, ink: 'violet', dpi: 200, box, note: 'a framed violet "ДСП" (a national label, not an Article 3 level) turned -6°' },
      raster,
      'pdf',
    );
  }
  {
    const seal: StampDesign = { lines: [{ text: 'М.П.', pt: 12, bold: true }], frame: 'circle', inking: 0.9 };
    const { raster, box } = stampOn(paper('kk', 200), seal, 'blue', 0, STAMP_CX, STAMP_CY, rand);
    await add(
      { file: 'seal-kk-blue-200.png', expect: { status: 'unmarked', level: null }, angle: 0, ink: 'blue', dpi: 200, box, note: 'a round blue seal, top right, no marking' },
      raster,
      'png',
    );
  }

  // Ink that is no stamp at all, where stamps go: a coloured emblem on the letterhead, empty boxes
  // of a form, a signature in blue ink. None of them may send a letter to review.
  {
    const r = paper('ru', 200);
    const drawn = drawOn(r, (ctx, px) => {
      // A filled emblem, top left: a disc with a star cut out, in blue and gold.
      ctx.fillStyle = '#1f5fbf';
      ctx.beginPath();
      ctx.arc(100 * px, 70 * px, 34 * px, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#e0b020';
      ctx.beginPath();
      for (let i = 0; i < 10; i++) {
        const a = (i * Math.PI) / 5 - Math.PI / 2;
        const rr = (i % 2 ? 10 : 24) * px;
        ctx.lineTo(100 * px + rr * Math.cos(a), 70 * px + rr * Math.sin(a));
      }
      ctx.fill();
      // Empty boxes of a form, top right: where a registration number would be written.
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1 * px;
      ctx.strokeRect(380 * px, 50 * px, 150 * px, 24 * px);
      ctx.strokeRect(380 * px, 84 * px, 150 * px, 24 * px);
      // A signature in blue ink, at the foot.
      ctx.strokeStyle = '#1a3fa0';
      ctx.lineWidth = 1.3 * px;
      ctx.beginPath();
      ctx.moveTo(380 * px, 790 * px);
      ctx.bezierCurveTo(395 * px, 740 * px, 410 * px, 800 * px, 425 * px, 770 * px);
      ctx.bezierCurveTo(440 * px, 745 * px, 445 * px, 805 * px, 470 * px, 775 * px);
      ctx.bezierCurveTo(490 * px, 755 * px, 500 * px, 790 * px, 530 * px, 780 * px);
      ctx.stroke();
    });
    await add(
      {
        file: 'letterhead-emblem-boxes-signature-200.pdf',
        expect: { status: 'unmarked', level: null },
        angle: 0,
        ink: 'blue',
        dpi: 200,
        box: [66, 36, 134, 104],
        note: 'a filled blue and gold emblem top left, two empty form boxes top right, a blue signature at the foot: no stamp',
      },
      drawn,
      'pdf',
    );
  }

  const manifest: StampManifest = { version: STAMPS_VERSION, fixtures };
  await writeAtomic(dir, MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Writes the stamp fixtures into `dir` unless its manifest already carries STAMPS_VERSION. */
export const makeStamps: (dir: string) => Promise<StampManifest> = generatedOnce(STAMPS_VERSION, generate);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(repoRoot(), '.tmp', 'fixtures', 'stamps'));
  const t0 = performance.now();
  makeStamps(dir)
    .then((m) => process.stdout.write(`${m.fixtures.length} stamp fixtures in ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
