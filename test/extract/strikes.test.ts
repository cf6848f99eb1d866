// Struck-through lines (Art. 6.3 re-marking) in real PDFs: a marking with a line through its
// letters is no longer in force; an underline, or a rule above it, strikes nothing.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession, type ExtractSession } from '../../src/extract/context.js';
import { extractCarrier } from '../../src/extract/read-carrier.js';
import { stampFontkit } from '../../src/stamp/pdf-stamper.js';

const FONT = readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'));

/** An A4 page with a marking at the top right, a line drawn at `lineAt` (points above its baseline; null: none), and a body. */
async function page(lineAt: number | null): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(stampFontkit);
  const font = await doc.embedFont(FONT, { subset: true });
  const p = doc.addPage([595, 842]);
  const size = 14;
  const x = 420;
  const y = 790;
  p.drawText('СЕКРЕТНО', { x, y, size, font });
  const w = font.widthOfTextAtSize('СЕКРЕТНО', size);
  if (lineAt !== null) p.drawLine({ start: { x: x - 2, y: y + lineAt }, end: { x: x + w + 2, y: y + lineAt }, thickness: 1, color: rgb(0.1, 0.1, 0.5) });
  p.drawText('Экз. № 1', { x: x + 20, y: y - 18, size: 10, font });
  const body = ['Министерство транспорта и коммуникаций Республики Казахстан', 'О графике поставок на второй квартал текущего года.', 'Просим подготовить акты приемки заранее.'];
  body.forEach((line, i) => p.drawText(line, { x: 72, y: 700 - i * 16, size: 11, font }));
  return doc.save();
}

let session: ExtractSession;
beforeAll(() => {
  session = createExtractSession({ workers: 1 });
});
afterAll(async () => {
  await session?.close();
});

describe('lines struck through', () => {
  it('a marking as it stands is the carrier\'s marking', async () => {
    const v = examine(await extractCarrier('plain.pdf', await page(null), session));
    expect(v).toMatchObject({ status: 'marked', level: 'secret' });
  });

  it('a line through its letters: struck, not counted', async () => {
    const text = await extractCarrier('struck.pdf', await page(4.5), session);
    expect(text.pages[0]!.lines.find((l) => l.text.includes('СЕКРЕТНО'))?.struck).toBe(true);
    expect(text.pages[0]!.lines.filter((l) => l.struck)).toHaveLength(1);
    expect(examine(text).status).toBe('unmarked');
  });

  it('an underline, or a rule above the marking, strikes nothing', async () => {
    for (const at of [-2.5, 14]) {
      const text = await extractCarrier('underlined.pdf', await page(at), session);
      expect(text.pages[0]!.lines.some((l) => l.struck), `line at ${at}`).toBe(false);
      expect(examine(text), `line at ${at}`).toMatchObject({ status: 'marked', level: 'secret' });
    }
  });
});
