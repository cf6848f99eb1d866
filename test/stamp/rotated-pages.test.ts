// Pages with /Rotate and a crop box offset from the media box: the stamp lands upright in the
// visual top right corner, as a reader sees the page.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { degrees, PDFDocument } from '@cantoo/pdf-lib';
import fontkit from '@cantoo/fontkit';
import { afterAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { toUserSpace, uprightSize, type PageGeometry } from '../../src/stamp/page-space.js';
import { stampFile } from '../../src/stamp/stamp-file.js';
import { stampInkShare } from '../helpers/stamp-ink.js';

const session = createExtractSession({ workers: 1 });
afterAll(() => session.close());
const OUT = mkdtempSync(join(tmpdir(), 'grif-rotated-'));
const FONT = readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'));

const BODY = [
  'Министерство направляет сведения о ходе поставок оборудования',
  'по договору от 12 марта 2024 года и просит рассмотреть их в',
  'установленном порядке. Приложение: на 3 листах.',
];

/** A born-digital page that reads upright on screen whatever its /Rotate and crop box. */
async function makePage(rotate: 0 | 90 | 180 | 270, crop: boolean): Promise<string> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(FONT, { subset: true });
  const page = doc.addPage([612, 792]);
  if (crop) page.setCropBox(100, 100, 400, 600);
  page.setRotation(degrees(rotate));
  const g: PageGeometry = { crop: crop ? [100, 100, 500, 700] : [0, 0, 612, 792], rotate };
  const { width } = uprightSize(g);
  const text = (s: string, u: number, v: number, size: number) => {
    const at = toUserSpace(g, u, v);
    page.drawText(s, { x: at.x, y: at.y, size, font, rotate: degrees(rotate) });
  };
  text('СЕКРЕТНО', width - 110, 40, 13);
  text('Экз. № 2', width - 100, 56, 10);
  BODY.forEach((line, i) => text(line, 30, 170 + i * 14, 9));
  const file = join(OUT, `rotate-${rotate}${crop ? '-crop' : ''}.pdf`);
  writeFileSync(file, await doc.save());
  return file;
}

describe('rotated and cropped pages', () => {
  for (const rotate of [0, 90, 180, 270] as const) {
    for (const crop of [false, true]) {
      it(`/Rotate ${rotate}${crop ? ', crop box offset from the media box' : ''}: upright, at the visual top right`, async () => {
        const input = await makePage(rotate, crop);
        const before = examine(await readCarrier(input, session));
        expect(before).toMatchObject({ status: 'marked', level: 'secret' });
        const output = join(OUT, `stamped-${rotate}-${crop}.pdf`);
        const o = await stampFile(input, { from: 'KZ', to: 'KG', russian: false, pages: 'first', registration: { date: new Date(Date.UTC(2026, 0, 1)) }, output, force: false }, session);
        expect(o.status).toBe('stamped');
        // Read back upright by grif: the Kyrgyz stamp in the top part of the page, right half.
        const text = await readCarrier(output, session);
        const v = examine(text);
        expect(v).toMatchObject({ status: 'marked', level: 'secret' });
        const ky = v.stamps.find((s) => s.lang === 'ky')!;
        expect(ky, 'the added stamp reads as upright text').toBeDefined();
        const page = text.pages[0]!;
        expect(ky.bbox![0]).toBeGreaterThan(page.width! / 2);
        expect(ky.bbox![3]).toBeLessThan(page.height! / 3);
        // And where poppler draws it on the visible page.
        const ink = await stampInkShare(output, OUT);
        expect(ink.x0).toBeGreaterThan(0.4);
        expect(ink.y1).toBeLessThan(0.35);
      });
    }
  }
});
