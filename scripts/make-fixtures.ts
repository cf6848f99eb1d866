/**
 * Writes deterministic test carriers (scanned and born-digital PDFs, images, bad inputs) into a
 * directory, with manifest.json saying what grif must report for each.
 *
 *   npm run build && node dist/scripts/make-fixtures.js [DIR]     (default DIR: .tmp/fixtures)
 *
 * or `await makeFixtures(dir)` from a test. If DIR/manifest.json already carries this VERSION
 * (and every file it lists exists) nothing is regenerated: bump VERSION whenever the output
 * changes. Every file is written under a temporary name in DIR and then renamed, and the manifest
 * is written last, so a reader never sees a half-written file nor a manifest ahead of its files.
 *
 * The bodies are invented office prose (deliveries, meetings, schedules) and never contain a
 * marking word. Page rasters are drawn with @napi-rs/canvas in DejaVu Sans and speckled by a
 * seeded PRNG, so two runs give the same bytes (qpdf's AES-256 encryption is the one exception:
 * its keys and salts are random).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  PDFRawStream,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  type PDFFont,
} from 'pdf-lib';
import sharp, { type SharpOptions } from 'sharp';
import { GENERATED_MANIFEST, generatedOnce, mulberry32, repoRoot } from './dev-support.js';

// ---------------------------------------------------------------------------------------------
// The manifest

/** Bump whenever the generated files or the manifest change. */
export const VERSION = 1;

export type FixtureStatus = 'marked' | 'unmarked' | 'conflict' | 'review' | 'error';
export type FixtureLevel = 'special-importance' | 'top-secret' | 'secret';
/** How the carrier is made: a PDF of page images, a PDF with a text layer, both, a raster image, or a broken input. */
export type FixtureKind = 'scanned-pdf' | 'digital-pdf' | 'mixed-pdf' | 'image' | 'bad-input';

export interface FixtureExpectation {
  readonly status: FixtureStatus;
  readonly level: FixtureLevel | null;
  /** For status 'error': a lower-case regular-expression source the error message must match (test it with the `i` flag). */
  readonly errorMatches?: string;
}

export interface Fixture {
  /** File name inside the fixture directory. */
  readonly file: string;
  readonly kind: FixtureKind;
  readonly expect: FixtureExpectation;
  /** Pages (or TIFF frames) in the file as made; 0 when it has no readable page structure. */
  readonly pages: number;
  readonly note: string;
}

export interface FixtureManifest {
  readonly version: number;
  readonly fixtures: readonly Fixture[];
}

export const MANIFEST_FILE = GENERATED_MANIFEST;

// ---------------------------------------------------------------------------------------------
// Languages, levels and the prose

export type Lang = 'kk' | 'ky' | 'ru';
export const LANGS: readonly Lang[] = ['kk', 'ky', 'ru'];
export const LEVELS: readonly FixtureLevel[] = ['special-importance', 'top-secret', 'secret'];

/** Article 3 of the agreement: level → marking in each language. */
export const MARKINGS: Record<FixtureLevel, Record<Lang, string>> = {
  'special-importance': { kk: 'Аса маңызды', ky: 'Өзгөчө маанилүү', ru: 'Особой важности' },
  'top-secret': { kk: 'Өте құпия', ky: 'Абдан жашыруун', ru: 'Совершенно секретно' },
  secret: { kk: 'Құпия', ky: 'Жашыруун', ru: 'Секретно' },
};

/** Every word of every marking: no body may contain one of them. */
const MARKING_WORDS: readonly string[] = [
  ...new Set(Object.values(MARKINGS).flatMap((m) => Object.values(m).flatMap((s) => s.toLowerCase().split(' ')))),
];

const COPY_WORD: Record<Lang, string> = { kk: 'Дана', ky: 'Нуска', ru: 'Экз.' };

export const stampText = (level: FixtureLevel, lang: Lang): string => MARKINGS[level][lang].toUpperCase();
export const copyLine = (lang: Lang, n = 2): string => `${COPY_WORD[lang]} № ${n}`;

/** One block of body text: a paragraph to wrap, a blank line, or a signature line (left and right parts). */
type Block = { readonly p: string } | { readonly blank: true } | { readonly sign: string; readonly name: string };

const BODY: Record<Lang, readonly [readonly Block[], readonly Block[]]> = {
  ru: [
    [
      { p: 'Министерство транспорта и коммуникаций Республики Казахстан' },
      { p: 'Начальнику управления материально-технического обеспечения' },
      { p: 'О графике поставок и рабочем совещании' },
      { blank: true },
      {
        p:
          'В соответствии с утвержденным графиком поставок на второй квартал топливные фильтры и ' +
          'аккумуляторные батареи будут доставлены на склад в течение третьей недели апреля. Акты ' +
          'приема-передачи необходимо подготовить заранее.',
      },
      {
        p:
          'Рабочее совещание состоится в понедельник в десять часов в зале заседаний на втором ' +
          'этаже. В нем примут участие руководители отделов и ответственные исполнители. Просим ' +
          'подготовить краткую информацию по вопросам повестки дня.',
      },
      {
        p:
          'В связи с изменением расписания движения транспорта погрузочные работы начинаются с ' +
          'восьми часов утра. Дополнительные разъяснения можно получить у заведующего складом.',
      },
      { p: 'Просим подтвердить получение настоящего письма в течение пяти рабочих дней.' },
      { blank: true },
      { p: 'Приложение: график поставок на 2 листах.' },
      { blank: true },
      { sign: 'Начальник управления', name: 'Б. Сейтов' },
    ],
    [
      { p: 'Приложение. График поставок на второй квартал' },
      { blank: true },
      { p: '1. Фильтры топливные, 40 шт., склад № 3, 15 апреля.' },
      { p: '2. Ремкомплекты насосов, 12 шт., склад № 3, 16 апреля.' },
      { p: '3. Аккумуляторные батареи, 8 шт., склад № 1, 17 апреля.' },
      { p: '4. Шины грузовые, 24 шт., склад № 2, 22 апреля.' },
      { p: '5. Масло моторное, 60 канистр, склад № 2, 23 апреля.' },
      { p: '6. Лампы освещения, 150 шт., склад № 1, 6 мая.' },
      { p: '7. Кабель силовой, 400 м, склад № 4, 7 мая.' },
      { p: '8. Краска фасадная, 30 банок, склад № 4, 14 мая.' },
      { blank: true },
      {
        p:
          'Разгрузка ведется с восьми до семнадцати часов, перерыв на обед с тринадцати до ' +
          'четырнадцати часов. О задержке транспорта сообщать дежурному по телефону 55-12-41.',
      },
      { blank: true },
      { sign: 'Исполнитель: Н. Ахметова', name: 'тел. 55-12-40' },
    ],
  ],
  kk: [
    [
      { p: 'Қазақстан Республикасы Көлік және коммуникация министрлігі' },
      { p: 'Жабдықтау басқармасының бастығына' },
      { p: 'Жеткізу кестесі және жұмыс кеңесі туралы' },
      { blank: true },
      {
        p:
          'Екінші тоқсанға бекітілген жеткізу кестесіне сәйкес отын сүзгілері мен аккумуляторлар ' +
          'сәуір айының үшінші аптасында қоймаға жеткізіледі. Жүкті қабылдау үшін тиісті актілерді ' +
          'алдын ала дайындау қажет.',
      },
      {
        p:
          'Жұмыс кеңесі дүйсенбі күні сағат онда екінші қабаттағы мәжіліс залында өткізіледі. ' +
          'Кеңеске бөлім басшылары мен жауапты орындаушылар қатысады. Күн тәртібіндегі мәселелер ' +
          'бойынша қысқаша ақпарат әзірлеуді сұраймыз.',
      },
      {
        p:
          'Көлік қозғалысының кестесі өзгергеніне байланысты тиеу жұмыстары таңғы сағат сегізден ' +
          'басталады. Қосымша түсініктемені қойма меңгерушісінен алуға болады.',
      },
      { p: 'Хаттың алынғанын бес жұмыс күні ішінде растауыңызды сұраймыз.' },
      { blank: true },
      { p: 'Қосымша: жеткізу кестесі, 2 парақ.' },
      { blank: true },
      { sign: 'Басқарма басшысы', name: 'Д. Нұрланов' },
    ],
    [
      { p: 'Қосымша. Екінші тоқсанға арналған жеткізу кестесі' },
      { blank: true },
      { p: '1. Отын сүзгілері, 40 дана, № 3 қойма, 15 сәуір.' },
      { p: '2. Сорғыларға арналған жөндеу жинақтары, 12 дана, 16 сәуір.' },
      { p: '3. Аккумуляторлар, 8 дана, № 1 қойма, 17 сәуір.' },
      { p: '4. Жүк көлігінің дөңгелектері, 24 дана, 22 сәуір.' },
      { p: '5. Мотор майы, 60 канистр, № 2 қойма, 23 сәуір.' },
      { p: '6. Жарық шамдары, 150 дана, № 1 қойма, 6 мамыр.' },
      { p: '7. Күштік кабель, 400 метр, № 4 қойма, 7 мамыр.' },
      { blank: true },
      {
        p:
          'Жүк түсіру сағат сегізден он жетіге дейін жүргізіледі. Көлік кешіккен жағдайда ' +
          'кезекшіге 55-12-41 телефоны арқылы хабарлау қажет.',
      },
      { blank: true },
      { sign: 'Орындаған: Н. Ахметова', name: 'тел. 55-12-40' },
    ],
  ],
  ky: [
    [
      { p: 'Кыргыз Республикасынын Транспорт жана коммуникациялар министрлиги' },
      { p: 'Камсыздоо башкармалыгынын башчысына' },
      { p: 'Жеткирүү графиги жана иштик кеңешме жөнүндө' },
      { blank: true },
      {
        p:
          'Экинчи чейрекке бекитилген жеткирүү графигине ылайык күйүүчү май чыпкалары жана ' +
          'аккумуляторлор апрель айынын үчүнчү жумасында кампага жеткирилет. Жүктү кабыл алуу үчүн ' +
          'тиешелүү актыларды алдын ала даярдоо керек.',
      },
      {
        p:
          'Иштик кеңешме дүйшөмбү күнү саат ондо экинчи кабаттагы жыйындар залында өткөрүлөт. ' +
          'Кеңешмеге бөлүм башчылары жана жооптуу аткаруучулар катышат. Күн тартибиндеги маселелер ' +
          'боюнча кыскача маалымат даярдоону суранабыз.',
      },
      {
        p:
          'Унаалардын жүрүү графиги өзгөргөнүнө байланыштуу жүк тиештирүү иштери эртең мененки саат ' +
          'сегизден башталат. Кошумча түшүндүрмөнү кампанын башчысынан алууга болот.',
      },
      { p: 'Катты алгандыгыңызды беш иш күнүнүн ичинде ырастооңузду суранабыз.' },
      { blank: true },
      { p: 'Тиркеме: жеткирүү графиги, 2 барак.' },
      { blank: true },
      { sign: 'Башкарма башчысы', name: 'К. Асанов' },
    ],
    [
      { p: 'Тиркеме. Экинчи чейрекке жеткирүү графиги' },
      { blank: true },
      { p: '1. Күйүүчү май чыпкалары, 40 даана, № 3 кампа, 15-апрель.' },
      { p: '2. Насостор үчүн оңдоо топтомдору, 12 даана, 16-апрель.' },
      { p: '3. Аккумуляторлор, 8 даана, № 1 кампа, 17-апрель.' },
      { p: '4. Жүк ташуучу унаанын дөңгөлөктөрү, 24 даана, 22-апрель.' },
      { p: '5. Мотор майы, 60 канистр, № 2 кампа, 23-апрель.' },
      { p: '6. Жарык берүүчү лампалар, 150 даана, 6-май.' },
      { p: '7. Күч кабели, 400 метр, № 4 кампа, 7-май.' },
      { blank: true },
      {
        p:
          'Жүк түшүрүү саат сегизден он жетиге чейин жүргүзүлөт. Унаа кечиккен учурда ' +
          'кезметчиге 55-12-41 телефону аркылуу кабарлоо керек.',
      },
      { blank: true },
      { sign: 'Аткаруучу: Н. Ахметова', name: 'тел. 55-12-40' },
    ],
  ],
};

// ---------------------------------------------------------------------------------------------
// Fonts and page layout (all in points, y = baseline measured from the top of the page)

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const FONT_BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');
export const CANVAS_REGULAR = 'GrifFixtureSans';
export const CANVAS_BOLD = 'GrifFixtureSansBold';

export interface Fonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  readonly measure: fontkit.Font;
}

let fontsLoaded: Fonts | undefined;
export function fonts(): Fonts {
  if (fontsLoaded) return fontsLoaded;
  for (const f of [FONT_REGULAR, FONT_BOLD]) {
    if (!existsSync(f)) throw new Error(`make-fixtures: font ${f} is missing; install the Debian package fonts-dejavu-core`);
  }
  const regular = readFileSync(FONT_REGULAR);
  const bold = readFileSync(FONT_BOLD);
  if (!GlobalFonts.registerFromPath(FONT_REGULAR, CANVAS_REGULAR) || !GlobalFonts.registerFromPath(FONT_BOLD, CANVAS_BOLD)) {
    throw new Error('make-fixtures: @napi-rs/canvas could not register the DejaVu Sans fonts');
  }
  fontsLoaded = { regular, bold, measure: fontkit.create(regular) };
  return fontsLoaded;
}

/** A4 in points. */
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
const MARGIN_LEFT = 70;
const MARGIN_RIGHT = 48;
const BODY_PT = 11;
const BODY_LEADING = 16;
const STAMP_PT = 14;
const COPY_PT = 12;
const BODY_TOP = 165;

export interface TextItem {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly bold: boolean;
  readonly align: 'left' | 'right';
}
export type PageSpec = readonly TextItem[];

function textWidth(text: string, size: number): number {
  const f = fonts().measure;
  return (f.layout(text).advanceWidth / f.unitsPerEm) * size;
}

function wrap(text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The body of one page. `skip` is a band [from, to] (points from the top) the text flows around. */
function bodyItems(lang: Lang, part: 0 | 1, skip?: readonly [number, number]): TextItem[] {
  const items: TextItem[] = [];
  let y = BODY_TOP;
  const advance = (): void => {
    y += BODY_LEADING;
    if (skip && y > skip[0] - BODY_LEADING && y < skip[1]) y = skip[1];
  };
  for (const b of BODY[lang][part]) {
    if ('blank' in b) {
      advance();
    } else if ('sign' in b) {
      items.push({ text: b.sign, x: MARGIN_LEFT, y, size: BODY_PT, bold: false, align: 'left' });
      items.push({ text: b.name, x: PAGE_W - MARGIN_RIGHT, y, size: BODY_PT, bold: false, align: 'right' });
      advance();
    } else {
      for (const line of wrap(b.p, PAGE_W - MARGIN_LEFT - MARGIN_RIGHT, BODY_PT)) {
        items.push({ text: line, x: MARGIN_LEFT, y, size: BODY_PT, bold: false, align: 'left' });
        advance();
      }
    }
  }
  const text = items.map((i) => i.text).join('\n');
  for (const word of MARKING_WORDS) {
    if (new RegExp(`(?<!\\p{L})${word}(?!\\p{L})`, 'iu').test(text)) {
      throw new Error(`make-fixtures: body ${lang}/${part + 1} contains the marking word "${word}"`);
    }
  }
  const lines = new Set(items.map((i) => i.y)).size;
  if (lines < 12 || lines > 25) throw new Error(`make-fixtures: body ${lang}/${part + 1} has ${lines} lines, not 12-25`);
  if (y > PAGE_H - 130) throw new Error(`make-fixtures: body ${lang}/${part + 1} runs into the bottom band`);
  return items;
}

type StampPlace = 'top' | 'bottom' | 'middle';

/** Stamp lines (14 pt bold, capitals) and a copy line (12 pt) under them, right-aligned. */
function stampItems(stamps: readonly string[], copy: string | null, place: StampPlace = 'top'): TextItem[] {
  const count = stamps.length + (copy ? 1 : 0);
  const height = 20 * (count - 1);
  let y = place === 'top' ? 72 : place === 'bottom' ? PAGE_H - 72 - height : PAGE_H / 2 - height / 2;
  const items: TextItem[] = [];
  for (const s of stamps) {
    items.push({ text: s, x: PAGE_W - MARGIN_RIGHT, y, size: STAMP_PT, bold: true, align: 'right' });
    y += 20;
  }
  if (copy) items.push({ text: copy, x: PAGE_W - MARGIN_RIGHT, y, size: COPY_PT, bold: false, align: 'right' });
  return items;
}

/** A page: stamp (if any) plus body. A middle stamp makes the body flow around its band. */
export function page(lang: Lang, part: 0 | 1, stamps: readonly string[], copy: string | null, place: StampPlace = 'top'): PageSpec {
  const stamp = stamps.length ? stampItems(stamps, copy, place) : [];
  const skip: readonly [number, number] | undefined =
    place === 'middle' && stamp.length ? [stamp[0]!.y - 22, stamp[stamp.length - 1]!.y + 26] : undefined;
  return [...stamp, ...bodyItems(lang, part, skip)];
}

/** A page with one stamp (capitals) and a copy line under it, top right. */
export function stampedPage(lang: Lang, level: FixtureLevel, part: 0 | 1 = 0, n = 2): PageSpec {
  return page(lang, part, [stampText(level, lang)], copyLine(lang, n));
}

/**
 * The words printed on a one-page scan fixture `scan-LANG-LEVEL-DPI.pdf` (stamp, copy line, body),
 * as ground truth for measuring what OCR reads of it.
 */
export function scanPageWords(lang: Lang, level: FixtureLevel): string[] {
  return page(lang, 0, [stampText(level, lang)], copyLine(lang, 2)).flatMap((i) => i.text.split(/\s+/).filter(Boolean));
}

// ---------------------------------------------------------------------------------------------
// Seeded noise

/** The one seed everything random derives from. */
export const SEED = 0x67726966; // "grif"


// ---------------------------------------------------------------------------------------------
// Rasters ("scans"): 8-bit greyscale, one byte per pixel

export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
  readonly dpi: number;
}

export const a4Pixels = (dpi: number): { width: number; height: number } => ({
  width: Math.round((210 / 25.4) * dpi),
  height: Math.round((297 / 25.4) * dpi),
});

export function renderPage(spec: PageSpec, dpi: number, rand: () => number): Raster {
  const { width, height } = a4Pixels(dpi);
  fonts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.textBaseline = 'alphabetic';
  const sx = width / PAGE_W;
  const sy = height / PAGE_H;
  for (const item of spec) {
    ctx.font = `${((item.size * dpi) / 72).toFixed(2)}px ${item.bold ? CANVAS_BOLD : CANVAS_REGULAR}`;
    ctx.textAlign = item.align;
    ctx.fillText(item.text, item.x * sx, item.y * sy);
  }
  const rgba = canvas.data();
  const grey = Buffer.allocUnsafe(width * height);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) grey[i] = rgba[j]!;
  speckle(grey, width, height, dpi, rand);
  return { width, height, data: grey, dpi };
}

/** A few hundred grey specks and a few faint smudges, the dust of a flatbed scanner. */
function speckle(grey: Buffer, width: number, height: number, dpi: number, rand: () => number): void {
  const unit = Math.max(1, Math.round(dpi / 150));
  const dot = (cx: number, cy: number, r: number, value: number): void => {
    for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r + 0.5) continue;
        const k = y * width + x;
        if (grey[k]! > value) grey[k] = value;
      }
    }
  };
  const specks = 300 + Math.floor(rand() * 200);
  for (let i = 0; i < specks; i++) {
    const x = Math.floor(rand() * width);
    const y = Math.floor(rand() * height);
    dot(x, y, Math.floor(rand() * 2) * unit, 70 + Math.floor(rand() * 130));
  }
  for (let i = 0; i < 12; i++) {
    const x = Math.floor(rand() * width);
    const y = Math.floor(rand() * height);
    dot(x, y, (3 + Math.floor(rand() * 4)) * unit, 215 + Math.floor(rand() * 25));
  }
}

const rawInput = (r: Raster): SharpOptions => ({ raw: { width: r.width, height: r.height, channels: 1 } });

/** Rotates clockwise by `degrees`, filling the uncovered corners with white. */
async function rotate(r: Raster, degrees: number): Promise<Raster> {
  const { data, info } = await sharp(r.data, rawInput(r))
    .rotate(degrees, { background: { r: 255, g: 255, b: 255 } })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`make-fixtures: rotation gave ${info.channels} channels`);
  return { width: info.width, height: info.height, data, dpi: r.dpi };
}

export const toPng = (r: Raster): Promise<Buffer> =>
  sharp(r.data, rawInput(r)).toColourspace('b-w').withDensity(r.dpi).png({ compressionLevel: 9 }).toBuffer();

const toJpeg = (r: Raster, quality: number): Promise<Buffer> =>
  sharp(r.data, rawInput(r)).toColourspace('b-w').withDensity(r.dpi).jpeg({ quality }).toBuffer();

/** A multi-page TIFF, 8-bit grey, LZW with horizontal prediction; all pages the same size. */
async function toTiff(pages: readonly Raster[]): Promise<Buffer> {
  const first = pages[0];
  if (!first || pages.some((p) => p.width !== first.width || p.height !== first.height)) {
    throw new Error('make-fixtures: TIFF pages must share one size');
  }
  const all = Buffer.concat(pages.map((p) => p.data));
  const res = first.dpi / 25.4; // pixels per mm
  return sharp(all, { raw: { width: first.width, height: first.height * pages.length, channels: 1, pageHeight: first.height } })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw', predictor: 'horizontal', xres: res, yres: res })
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------
// PNG by hand (for the pixel bomb, and reading IHDR/IDAT to put PNG data in a PDF unchanged)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid, tiny PNG whose IHDR declares width × height 8-bit grey pixels; IDAT holds only the first rows. */
function pixelBombPng(width: number, height: number, rows: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc(rows * (width + 1), 0xff);
  for (let r = 0; r < rows; r++) raw[r * (width + 1)] = 0; // filter type None
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

interface PngData {
  readonly width: number;
  readonly height: number;
  /** The concatenated IDAT payload: one zlib stream of filtered rows. */
  readonly idat: Buffer;
}

/** Splits an 8-bit greyscale, non-interlaced PNG into its size and zlib data. */
function parseGreyPng(png: Buffer): PngData {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('make-fixtures: not a PNG');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let off = 8; off + 8 <= png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) {
        throw new Error(`make-fixtures: expected an 8-bit grey non-interlaced PNG, got depth ${data[8]} type ${data[9]}`);
      }
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (!width || !idat.length) throw new Error('make-fixtures: PNG without IHDR or IDAT');
  return { width, height, idat: Buffer.concat(idat) };
}

// ---------------------------------------------------------------------------------------------
// PDFs

const FIXED_DATE = new Date(Date.UTC(2024, 3, 15, 9, 0, 0));

export type PdfPage = { readonly image: Buffer; readonly dpi: number } | { readonly text: PageSpec };

async function newPdf(title: string): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setProducer('grif make-fixtures');
  doc.setCreator('grif make-fixtures');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  return doc;
}

/**
 * A PDF of image pages (each one PNG raster, embedded unchanged as a FlateDecode DeviceGray
 * XObject with PNG predictors, covering the whole page, page size = pixels × 72 / dpi) and
 * born-digital pages (DejaVu Sans subsets, a real text layer).
 */
/**
 * A page that is one scanned picture, as scanners write it: the grey PNG's compressed data
 * embedded as it is (a DeviceGray image with PNG predictors), covering the page at its dpi.
 */
export function addScanPage(doc: PDFDocument, image: Buffer, dpi: number): void {
  const png = parseGreyPng(image);
  const w = (png.width * 72) / dpi;
  const h = (png.height * 72) / dpi;
  const dict = doc.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: png.width,
    Height: png.height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 8,
    Filter: 'FlateDecode',
    DecodeParms: { Predictor: 15, Colors: 1, BitsPerComponent: 8, Columns: png.width },
  });
  const ref = doc.context.register(PDFRawStream.of(dict, png.idat));
  const page = doc.addPage([w, h]);
  const name = page.node.newXObject('Scan', ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, 0), drawObject(name), popGraphicsState());
}

export async function buildPdf(title: string, pages: readonly PdfPage[]): Promise<Uint8Array> {
  const doc = await newPdf(title);
  let regular: PDFFont | undefined;
  let bold: PDFFont | undefined;
  for (const p of pages) {
    if ('image' in p) {
      addScanPage(doc, p.image, p.dpi);
    } else {
      if (!regular || !bold) {
        doc.registerFontkit(fontkit);
        regular = await doc.embedFont(fonts().regular, { subset: true });
        bold = await doc.embedFont(fonts().bold, { subset: true });
      }
      const pdfPage = doc.addPage([PAGE_W, PAGE_H]);
      for (const item of p.text) {
        const font = item.bold ? bold : regular;
        const x = item.align === 'right' ? item.x - font.widthOfTextAtSize(item.text, item.size) : item.x;
        pdfPage.drawText(item.text, { x, y: PAGE_H - item.y, size: item.size, font, color: rgb(0, 0, 0) });
      }
    }
  }
  return doc.save();
}

async function blankPagesPdf(count: number): Promise<Uint8Array> {
  const doc = await newPdf('blank pages');
  for (let i = 0; i < count; i++) doc.addPage([PAGE_W, PAGE_H]);
  return doc.save();
}

export function run(cmd: string, args: readonly string[], okCodes: readonly number[], missingPackage: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`make-fixtures: ${cmd} not found; install the Debian package ${missingPackage}`) : e),
    );
    child.on('close', (code) =>
      code !== null && okCodes.includes(code)
        ? resolvePromise()
        : reject(new Error(`make-fixtures: ${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

let tmpCounter = 0;
const tmpName = (dir: string, name: string): string => join(dir, `.${name}.${process.pid}.${++tmpCounter}.tmp`);

export async function writeAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const tmp = tmpName(dir, name);
  await writeFile(tmp, data);
  await rename(tmp, join(dir, name));
}

async function generate(dir: string): Promise<FixtureManifest> {
  await mkdir(dir, { recursive: true });
  const rand = mulberry32(SEED);
  const fixtures: Fixture[] = [];
  const add = async (f: Fixture, data: Uint8Array | string): Promise<void> => {
    await writeAtomic(dir, f.file, data);
    fixtures.push(f);
  };
  const marked = (level: FixtureLevel): FixtureExpectation => ({ status: 'marked', level });
  const bad = (errorMatches: string): FixtureExpectation => ({ status: 'error', level: null, errorMatches });
  const scanPng = (spec: PageSpec, dpi = 300): Promise<Buffer> => toPng(renderPage(spec, dpi, rand));
  const stamped = stampedPage;

  // 1, 2. One-page scans, every language and level at 300 dpi, "secret" at 200 dpi too.
  let scan200ru: Uint8Array | undefined;
  for (const dpi of [300, 200]) {
    for (const lang of LANGS) {
      for (const level of dpi === 300 ? LEVELS : (['secret'] as const)) {
        const file = `scan-${lang}-${level}-${dpi}.pdf`;
        const pdf = await buildPdf(file, [{ image: await scanPng(stamped(lang, level), dpi), dpi }]);
        if (dpi === 200 && lang === 'ru') scan200ru = pdf;
        await add(
          { file, kind: 'scanned-pdf', expect: marked(level), pages: 1, note: `one scanned page at ${dpi} dpi, ${lang} stamp "${stampText(level, lang)}" top right` },
          pdf,
        );
      }
    }
  }

  // 3. Born-digital PDFs with a text layer.
  const digital: readonly [Lang, FixtureLevel][] = [
    ['kk', 'top-secret'],
    ['ky', 'special-importance'],
    ['ru', 'secret'],
  ];
  let digitalRuSecret: Uint8Array | undefined;
  for (const [lang, level] of digital) {
    const file = `digital-${lang}-${level}.pdf`;
    const pdf = await buildPdf(file, [{ text: stamped(lang, level) }]);
    if (lang === 'ru') digitalRuSecret = pdf;
    await add({ file, kind: 'digital-pdf', expect: marked(level), pages: 1, note: `born-digital, text layer, ${lang} stamp "${stampText(level, lang)}"` }, pdf);
  }
  await add(
    { file: 'digital-unmarked-ru.pdf', kind: 'digital-pdf', expect: { status: 'unmarked', level: null }, pages: 1, note: 'born-digital Russian letter, no stamp' },
    await buildPdf('digital-unmarked-ru.pdf', [{ text: page('ru', 0, [], null) }]),
  );
  await add(
    { file: 'digital-two-pages-ru.pdf', kind: 'digital-pdf', expect: marked('secret'), pages: 2, note: 'born-digital, two pages, "СЕКРЕТНО" + "Экз. № 2" on both' },
    await buildPdf('digital-two-pages-ru.pdf', [{ text: stamped('ru', 'secret', 0) }, { text: stamped('ru', 'secret', 1) }]),
  );

  // 4. A text page followed by a scanned page.
  await add(
    { file: 'mixed-ru-top-secret.pdf', kind: 'mixed-pdf', expect: marked('top-secret'), pages: 2, note: 'page 1 born-digital, page 2 a 300 dpi scan; "СОВЕРШЕННО СЕКРЕТНО" + "Экз. № 1" on both' },
    await buildPdf('mixed-ru-top-secret.pdf', [
      { text: stamped('ru', 'top-secret', 0, 1) },
      { image: await scanPng(stamped('ru', 'top-secret', 1, 1)), dpi: 300 },
    ]),
  );

  // 5. Raster images.
  const imageKk = await scanPng(stamped('kk', 'secret'));
  await add({ file: 'image-kk-secret.png', kind: 'image', expect: marked('secret'), pages: 1, note: 'PNG, 8-bit grey, 300 dpi, "ҚҰПИЯ" + "Дана № 2"' }, imageKk);
  await add(
    { file: 'image-ky-top-secret.jpg', kind: 'image', expect: marked('top-secret'), pages: 1, note: 'JPEG quality 90, grey, 300 dpi, "АБДАН ЖАШЫРУУН" + "Нуска № 2"' },
    await toJpeg(renderPage(stamped('ky', 'top-secret'), 300, rand), 90),
  );
  await add(
    { file: 'image-ru-special-importance.tif', kind: 'image', expect: marked('special-importance'), pages: 2, note: 'two-page TIFF (LZW, grey, 300 dpi), "ОСОБОЙ ВАЖНОСТИ" + "Экз. № 2" on both' },
    await toTiff([renderPage(stamped('ru', 'special-importance', 0), 300, rand), renderPage(stamped('ru', 'special-importance', 1), 300, rand)]),
  );
  const imageUnmarked = await scanPng(page('ru', 0, [], null));
  await add({ file: 'image-unmarked-ru.png', kind: 'image', expect: { status: 'unmarked', level: null }, pages: 1, note: 'PNG, Russian letter, no stamp' }, imageUnmarked);

  // 6. Orientation and skew.
  const ruSecret = (): Raster => renderPage(stamped('ru', 'secret'), 300, rand);
  const sideways = await rotate(ruSecret(), 90);
  await add(
    { file: 'rotated-90-ru-secret.pdf', kind: 'scanned-pdf', expect: marked('secret'), pages: 1, note: 'scanned sideways: landscape page, raster rotated 90° clockwise' },
    await buildPdf('rotated-90-ru-secret.pdf', [{ image: await toPng(sideways), dpi: 300 }]),
  );
  await add(
    { file: 'rotated-180-ru-secret.png', kind: 'image', expect: marked('secret'), pages: 1, note: 'PNG scanned upside down (rotated 180°)' },
    await toPng(await rotate(ruSecret(), 180)),
  );
  await add(
    { file: 'skewed-3deg-ru-secret.png', kind: 'image', expect: marked('secret'), pages: 1, note: 'PNG rotated 3° clockwise, white corners' },
    await toPng(await rotate(ruSecret(), 3)),
  );

  // 7. Stamps away from the top.
  await add(
    { file: 'stamp-bottom-kk-secret.pdf', kind: 'scanned-pdf', expect: marked('secret'), pages: 1, note: 'scan, "ҚҰПИЯ" + "Дана № 2" at the bottom right' },
    await buildPdf('stamp-bottom-kk-secret.pdf', [{ image: await scanPng(page('kk', 0, [stampText('secret', 'kk')], copyLine('kk'), 'bottom')), dpi: 300 }]),
  );
  await add(
    {
      file: 'stamp-middle-ru-secret.pdf',
      kind: 'scanned-pdf',
      expect: marked('secret'),
      pages: 1,
      note: 'scan, "СЕКРЕТНО" + "Экз. № 3" in the right half at mid-page, nothing in the top or bottom bands: needs the full-page fallback',
    },
    await buildPdf('stamp-middle-ru-secret.pdf', [{ image: await scanPng(page('ru', 0, [stampText('secret', 'ru')], copyLine('ru', 3), 'middle')), dpi: 300 }]),
  );

  // 8. Two stamps that are not Article 3 equivalents.
  await add(
    { file: 'conflict-kk-ru.pdf', kind: 'scanned-pdf', expect: { status: 'conflict', level: null }, pages: 1, note: 'scan, "ҚҰПИЯ" over "СОВЕРШЕННО СЕКРЕТНО" top right, Kazakh body' },
    await buildPdf('conflict-kk-ru.pdf', [{ image: await scanPng(page('kk', 0, [stampText('secret', 'kk'), stampText('top-secret', 'ru')], copyLine('ru'))), dpi: 300 }]),
  );

  // 9. Bad inputs.
  if (!digitalRuSecret || !scan200ru) throw new Error('make-fixtures: internal order error');
  {
    const plain = tmpName(dir, 'encrypted-plain.pdf');
    const out = tmpName(dir, 'encrypted.pdf');
    await writeFile(plain, digitalRuSecret);
    try {
      // Exit code 3 means "succeeded with warnings".
      await run('qpdf', ['--static-id', '--static-aes-iv', '--encrypt', 'userpw', 'ownerpw', '256', '--', plain, out], [0, 3], 'qpdf');
      await rename(out, join(dir, 'encrypted.pdf'));
    } finally {
      await rm(plain, { force: true });
      await rm(out, { force: true });
    }
    fixtures.push({ file: 'encrypted.pdf', kind: 'bad-input', expect: bad('password|encrypted'), pages: 1, note: 'digital-ru-secret.pdf encrypted by qpdf, AES-256, user password "userpw"' });
  }
  await add(
    { file: 'truncated.pdf', kind: 'bad-input', expect: bad('damaged|truncated|invalid|corrupt'), pages: 1, note: 'the first 60% of the bytes of scan-ru-secret-200.pdf' },
    scan200ru.subarray(0, Math.floor(scan200ru.length * 0.6)),
  );
  await add({ file: 'not-a-pdf.pdf', kind: 'bad-input', expect: bad('not a pdf|png'), pages: 1, note: 'the bytes of image-kk-secret.png named .pdf' }, imageKk);
  await add({ file: 'empty.pdf', kind: 'bad-input', expect: bad('empty'), pages: 0, note: 'zero bytes' }, new Uint8Array(0));
  {
    const junk = Buffer.alloc(2048);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
    await add(
      { file: 'garbage.pdf', kind: 'bad-input', expect: bad('damaged|invalid|corrupt'), pages: 0, note: '"%PDF-1.7" header followed by 2 KB of random bytes' },
      Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), junk]),
    );
  }
  await add(
    { file: 'pixel-bomb.png', kind: 'bad-input', expect: bad('pixels|too large'), pages: 1, note: 'valid PNG header declaring 60000 × 60000 grey pixels, IDAT of 4 rows' },
    pixelBombPng(60000, 60000, 4),
  );
  await add(
    { file: 'too-many-pages.pdf', kind: 'bad-input', expect: bad('pages'), pages: 600, note: '600 blank pages' },
    await blankPagesPdf(600),
  );

  const manifest: FixtureManifest = { version: VERSION, fixtures };
  await writeAtomic(dir, MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Writes the fixtures into `dir` (created if needed) unless its manifest already carries VERSION; returns the manifest. */
export const makeFixtures: (dir: string) => Promise<FixtureManifest> = generatedOnce(VERSION, generate);

// ---------------------------------------------------------------------------------------------
// CLI


async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? join(repoRoot(), '.tmp', 'fixtures'));
  const t0 = performance.now();
  const manifest = await makeFixtures(dir);
  const seconds = (performance.now() - t0) / 1000;
  let total = 0;
  for (const f of manifest.fixtures) {
    const size = (await stat(join(dir, f.file))).size;
    total += size;
    process.stdout.write(`${String(size).padStart(10)}  ${f.file}\n`);
  }
  process.stdout.write(
    `${String(total).padStart(10)}  total: ${manifest.fixtures.length} fixtures in ${dir} (${seconds.toFixed(1)} s)\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
