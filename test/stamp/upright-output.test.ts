// An image carrier scanned upside down or sideways becomes a PDF whose page shows upright
// (/Rotate from the orientation OCR found), the added stamp sits at the upright top right, and
// reading the output finds the sender's marking and the added one, each once. A stamped scan
// too lists each marking once (its text layer and its OCR no longer both count the added stamp).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { stampInkShare } from '../helpers/stamp-ink.js';
import { afterAll, describe, expect, it } from 'vitest';
import { examine, type Verdict } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { stampFile } from '../../src/stamp/stamp-file.js';
import { FIXTURES } from '../helpers/fixtures.js';

const session = createExtractSession({ workers: 2 });
afterAll(() => session.close());
const OUT = mkdtempSync(join(tmpdir(), 'grif-upright-'));
const registration = { date: new Date(Date.UTC(2026, 0, 1)) };

function eachOnce(v: Verdict, langs: readonly string[]): void {
  expect(v.stamps.map((s) => s.lang).sort(), JSON.stringify(v.stamps.map((s) => s.text))).toEqual([...langs].sort());
}

describe('image carriers come out upright', () => {
  it.each([
    ['rotated-180-ru-secret.png', 180, null],
    ['image-kk-secret.png', 90, 'turned 90° clockwise before stamping'],
  ] as const)('%s (%s°)', async (name, turn, how) => {
    let input = join(FIXTURES, name);
    if (how) {
      input = join(OUT, `sideways-${name}`);
      writeFileSync(input, await sharp(join(FIXTURES, name)).rotate(90).withDensity(300).png().toBuffer());
    }
    const lang = name.includes('-ru-') ? 'ru' : 'kk';
    const [from, to] = lang === 'ru' || lang === 'kk' ? (['KZ', 'KG'] as const) : (['KG', 'KZ'] as const);
    const output = join(OUT, `${name}.stamped.pdf`);
    const o = await stampFile(input, { from, to, russian: false, pages: 'first', registration, output, force: false }, session);
    expect(o.status, JSON.stringify(o)).toBe('stamped');
    // The page turns as OCR turned the picture; a viewer shows it upright.
    const doc = await PDFDocument.load(readFileSync(output));
    // A picture turned 90° clockwise reads upright turned a further 270°.
    expect(((doc.getPage(0).getRotation().angle % 360) + 360) % 360).toBe(turn === 90 ? 270 : turn);
    // Read back: the sender's marking and the added Kyrgyz one, each once, the added one at the top right.
    const text = await readCarrier(output, session);
    const v = examine(text);
    expect({ status: v.status, level: v.level }).toEqual({ status: 'marked', level: 'secret' });
    eachOnce(v, [lang, 'ky']);
    const ky = v.stamps.find((s) => s.lang === 'ky')!;
    const page = text.pages[0]!;
    expect(ky.bbox![0]).toBeGreaterThan(page.width! / 2);
    expect(ky.bbox![3]).toBeLessThan(page.height! / 3);
    const ink = await stampInkShare(output, OUT, 30);
    expect(ink.x0).toBeGreaterThan(0.5);
    expect(ink.y1).toBeLessThan(0.3);
  }, 120_000);
});

describe('a stamped output lists each marking once', () => {
  it.each(['scan-ru-secret-300.pdf', 'digital-kk-top-secret.pdf'])('%s', async (name) => {
    const output = join(OUT, `${name}.stamped.pdf`);
    const from = name.includes('-ky-') ? 'KG' : 'KZ';
    const o = await stampFile(join(FIXTURES, name), { from, to: from === 'KZ' ? 'KG' : 'KZ', russian: true, pages: 'first', registration, output, force: false }, session);
    expect(o.status, JSON.stringify(o)).toBe('stamped');
    const v = examine(await readCarrier(output, session));
    const sender = name.includes('-ru-') ? 'ru' : 'kk';
    // The sender's stamp, and the added one in Kyrgyz and (--russian) in Russian unless the
    // sender's marking is Russian already.
    eachOnce(v, sender === 'ru' ? ['ru', 'ky'] : [sender, 'ky', 'ru']);
  }, 60_000);
});
