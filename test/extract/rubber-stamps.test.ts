// Rubber stamps as offices put them on: framed or not, violet, blue, red or black ink, turned
// -20°…+20°, unevenly inked, scanned in colour at 150–300 dpi (scripts/make-stamps.ts). Each must
// be read at its level; an unreadable stamp-like mark goes to a person, outlined; a registration
// stamp and a round seal are neither markings nor doubtful.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examine, type BBox } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { openPdf } from '../../src/extract/pdf/open-pdf.js';
import { embeddedScan } from '../../src/extract/pdf/render-page.js';
import { decodeRaster, type PageRaster } from '../../src/extract/ocr/page-image.js';
import { bandHasMarks, coarsePage, findStampRegions } from '../../src/extract/ocr/stamp-regions.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { makeStamps, type StampFixture } from '../../scripts/make-stamps.js';
import { ROOT } from '../helpers/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DIR = join(ROOT, '.tmp', 'fixtures', 'stamps');
const session = createExtractSession({ workers: 2 });
afterAll(() => session.close());

let all: readonly StampFixture[] = [];
beforeAll(async () => {
  all = (await makeStamps(DIR)).fixtures;
}, 60_000);

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The fixture's stamp box in the carrier's page units: points for a PDF, pixels for an image. */
const inUnits = (f: StampFixture): readonly number[] => (f.file.endsWith('.pdf') ? f.box : f.box.map((v) => (v * f.dpi) / 72));

const overlap = (a: BBox, b: readonly number[]): boolean => a[0] < b[2]! && b[0]! < a[2] && a[1] < b[3]! && b[1]! < a[3];

/** The page raster a fixture's scan holds, as grif reads it. */
async function rasterOf(f: StampFixture): Promise<PageRaster> {
  const path = join(DIR, f.file);
  const bytes = readFileSync(path);
  if (!f.file.endsWith('.pdf')) return decodeRaster(bytes);
  const pdf = await openPdf(path, bytes);
  try {
    const page = await pdf.getPage(1);
    const r = await embeddedScan(path, page, await page.getOperatorList(), 2e8);
    if (!r) throw new Error(`${f.file}: not read as one embedded scan`);
    return r;
  } finally {
    await pdf.destroy();
  }
}

// The manifest is written by makeStamps; the file names are known only after it, so each case
// looks its fixture up by a stable part of the name.
const CASES = [
  'tilted-ru-secret-violet-m12-300.pdf',
  'tilted-ky-secret-blue-p20-200.pdf',
  'tilted-kk-top-secret-red-m20-300.pdf',
  'tilted-ru-top-secret-black-p8-150.pdf',
  'tilted-ky-top-secret-violet-p15-150.png',
  'tilted-kk-secret-blue-m4-200.png',
  'tilted-ru-special-importance-red-p4-200.pdf',
  'tilted-kk-special-importance-violet-m8-300.png',
  'tilted-ky-special-importance-black-m16-300.pdf',
  'tilted-ru-secret-blue-p0-150.pdf',
  'tilted-kk-top-secret-violet-p12-150-unframed.pdf',
  'tilted-ru-secret-black-m10-200-unframed.png',
  'half-inked-ru-top-secret-violet-p10-300.pdf',
  'unreadable-violet-m9-300.pdf',
  'registration-ru-blue-m7-200.pdf',
  'seal-kk-blue-200.png',
  'dsp-ru-violet-m6-200.pdf',
  'letterhead-emblem-boxes-signature-200.pdf',
];
const fixture = (file: string): StampFixture => {
  const f = all.find((x) => x.file === file);
  if (!f) throw new Error(`${file} is not among the generated stamp fixtures`);
  return f;
};

describe('rubber stamps are read where and as they are', () => {
  it('the generator makes every case named here', () => {
    expect(all.map((f) => f.file).sort()).toEqual([...CASES].sort());
  });

  for (const file of CASES) {
    it(file, async () => {
      const f = fixture(file);
      const path = join(DIR, f.file);
      const before = sha(path);
      const v = examine(await readCarrier(path, session));
      expect({ status: v.status, level: v.level }, JSON.stringify(v.notes)).toEqual({ status: f.expect.status, level: f.expect.level });
      if (f.expect.status === 'marked') {
        // Decided, not sent to a person, and found where the stamp is, with its copy line.
        expect(v.stamps.every((s) => s.evidence === 'strong')).toBe(true);
        const s = v.stamps[0]!;
        expect(overlap(s.bbox!, inUnits(f)), `stamp box ${s.bbox} vs ${inUnits(f)}`).toBe(true);
        expect(s.copy).toBe('2');
      }
      if (f.expect.status === 'review') {
        // The unread mark is outlined for the person deciding.
        expect(v.unreadMarks?.length).toBe(1);
        expect(overlap(v.unreadMarks![0]!.bbox, inUnits(f))).toBe(true);
        expect(v.notes[0]).toMatch(/could not be read/);
      }
      if (f.expect.status === 'unmarked') expect(v.unreadMarks ?? []).toEqual([]);
      if (file.startsWith('dsp-')) expect(v.notes.join(' ')).toMatch(/national label/);
      expect(sha(path), 'the input is never modified').toBe(before);
    });
  }
});

describe('stamp regions', () => {
  it.each(CASES.filter((c) => c.startsWith('tilted-') || c.startsWith('half-')))('%s: found once, at its angle', async (file) => {
    const f = fixture(file);
    const r = await rasterOf(f);
    const regions = findStampRegions(r);
    expect(regions).toHaveLength(1);
    const g = regions[0]!;
    expect(Math.abs(g.angle - f.angle), `angle ${g.angle} vs ${f.angle}`).toBeLessThanOrEqual(1.5);
    const k = 72 / r.dpi;
    expect(overlap([g.left * k, g.top * k, (g.left + g.width) * k, (g.top + g.height) * k], f.box)).toBe(true);
    expect(g.coloured).toBe(f.ink !== 'black');
  });

  it('a foot of blank paper (dust at most) is not read; a foot with a stamp, or a single faint letter, is', async () => {
    const raster = async (file: string): Promise<PageRaster> => {
      const path = join(FIXTURES, file);
      const pdf = await openPdf(path, readFileSync(path));
      try {
        const page = await pdf.getPage(1);
        return (await embeddedScan(path, page, await page.getOperatorList(), 2e8))!;
      } finally {
        await pdf.destroy();
      }
    };
    const blank = await raster('scan-ru-secret-300.pdf');
    expect(bandHasMarks(coarsePage(blank), 0.88, 1)).toBe(false);
    expect(bandHasMarks(coarsePage(blank), 0, 0.22)).toBe(true);
    expect(bandHasMarks(coarsePage(await raster('stamp-bottom-kk-secret.pdf')), 0.88, 1)).toBe(true);
    // One light-grey letter-sized mark (0.08 in square, grey 180) at the foot.
    const pixels = Buffer.from(blank.pixels);
    const at = Math.round(blank.height * 0.95);
    for (let y = at; y < at + 24; y++) pixels.fill(180, y * blank.width + 1200, y * blank.width + 1224);
    expect(bandHasMarks(coarsePage({ ...blank, pixels }), 0.88, 1)).toBe(true);
  });

  it.each(['scan-ru-secret-300.pdf', 'scan-kk-top-secret-300.pdf', 'scan-ky-secret-200.pdf', 'image-unmarked-ru.png', 'stamp-bottom-kk-secret.pdf'])(
    '%s: upright black print has no stamp region, so stamp-first reading costs no extra OCR',
    async (file) => {
      const path = join(FIXTURES, file);
      const bytes = readFileSync(path);
      let r: PageRaster;
      if (file.endsWith('.pdf')) {
        const pdf = await openPdf(path, bytes);
        const page = await pdf.getPage(1);
        r = (await embeddedScan(path, page, await page.getOperatorList(), 2e8))!;
        await pdf.destroy();
      } else r = await decodeRaster(bytes);
      expect(findStampRegions(r)).toEqual([]);
    },
  );
});
