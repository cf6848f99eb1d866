// Real carriers through extraction and the core: scanned PDFs at 200 and 300 dpi in every
// language and level, born-digital and mixed PDFs, PNG/JPEG/TIFF, rotated and skewed pages, bad
// input. One OCR pool for the whole file, as the CLI has.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import type { PageSource, ProgressEvent } from '../../src/extract/extractor.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { FIXTURES, fixtures } from '../helpers/fixtures.js';

const events: ProgressEvent[] = [];
const session = createExtractSession({ workers: 2, onProgress: (e) => events.push(e) });
afterAll(() => session.close());

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** How each page of a carrier was read, the first time it was read. */
function sourcesOf(file: string): PageSource[] {
  const first = new Map<number, PageSource>();
  for (const e of events) if (e.file === file && !first.has(e.page)) first.set(e.page, e.source);
  return [...first.entries()].sort((a, b) => a[0] - b[0]).map(([, source]) => source);
}

describe('every generated carrier gets its expected verdict', () => {
  for (const f of fixtures()) {
    it(`${f.file}: ${f.expect.status}${f.expect.level ? ` ${f.expect.level}` : ''} (${f.note})`, async () => {
      const path = join(FIXTURES, f.file);
      const before = sha(path);
      if (f.expect.status === 'error') {
        await expect(readCarrier(path, session)).rejects.toThrow(new RegExp(f.expect.errorMatches ?? '.', 'i'));
      } else {
        const text = await readCarrier(path, session);
        expect(text.pages).toHaveLength(f.pages);
        const v = examine(text);
        expect({ status: v.status, level: v.level }, JSON.stringify(v.notes)).toEqual({ status: f.expect.status, level: f.expect.level });
        for (const s of v.stamps) {
          expect(s.bbox, 'every stamp from a PDF or image has a box').toBeDefined();
        }
      }
      expect(sha(path), 'the input is never modified').toBe(before);
    });
  }
});

describe('where the stamps are', () => {
  // A4 is 595 × 842 pt; the generator sets stamps at the top right, about 60 pt from the top.
  it.each(['scan-ru-secret-300.pdf', 'scan-kk-secret-200.pdf', 'digital-ru-secret.pdf', 'scan-ky-top-secret-300.pdf', 'rotated-90-ru-secret.pdf'])(
    '%s: the stamp box is at the top right, in points from the top left',
    async (name) => {
      const v = examine(await readCarrier(join(FIXTURES, name), session));
      const [x0, y0, x1, y1] = v.stamps[0]!.bbox!;
      expect(x0).toBeGreaterThan(595 / 2);
      expect(x1).toBeLessThanOrEqual(595);
      expect(y0).toBeGreaterThan(20);
      expect(y1).toBeLessThan(842 * 0.15);
    },
  );
  it('an upside-down image is read upright: its stamp is at the top right, with its copy line', async () => {
    const text = await readCarrier(join(FIXTURES, 'rotated-180-ru-secret.png'), session);
    const v = examine(text);
    const page = text.pages[0]!;
    const [x0, , , y1] = v.stamps[0]!.bbox!;
    expect(x0).toBeGreaterThan(page.width! / 2);
    expect(y1).toBeLessThan(page.height! * 0.15);
    expect(v.stamps[0]!.copy).toBe('2');
  });
  it('a stamp at the foot of a scan is found at the foot', async () => {
    const v = examine(await readCarrier(join(FIXTURES, 'stamp-bottom-kk-secret.pdf'), session));
    expect(v.stamps[0]!.bbox![1]).toBeGreaterThan(842 * 0.8);
  });
});

describe('how pages were read', () => {
  it('a born-digital page is read from its text layer, never OCR\'d', () => {
    const digital = fixtures().filter((f) => f.file.startsWith('digital-') && f.expect.status !== 'error');
    expect(digital.length).toBeGreaterThan(0);
    for (const f of digital) expect(sourcesOf(join(FIXTURES, f.file))).toEqual(Array(f.pages).fill('text'));
  });
  it('a scan stamped at the top is decided from its stamp areas alone', () => {
    expect(sourcesOf(join(FIXTURES, 'scan-ru-secret-300.pdf'))).toEqual(['ocr-stamp-areas']);
  });
  it('a scan stamped mid-page falls back to the full page', () => {
    expect(sourcesOf(join(FIXTURES, 'stamp-middle-ru-secret.pdf'))).toEqual(['ocr-full-page']);
  });
  it('a mixed PDF reads its text page from the text layer and its scanned page by OCR', () => {
    const [first, second] = sourcesOf(join(FIXTURES, 'mixed-ru-top-secret.pdf'));
    expect(first).toBe('text');
    expect(second).toMatch(/^ocr-/);
  });
});
