// Each PDF carrier is read in a thread of its own with a heap cap (src/extract/pdf/pdf-threads.ts):
// a carrier past every check made before decoding that still takes the thread past its cap is
// refused with input/too-much-memory, the thread is replaced, and the next carrier is read as
// ever, in the same process. Errors raised in the thread cross with their class, code and message.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { GrifError, InputError } from '../../src/errors.js';
import { faultOf } from '../../src/error-codes.js';
import { createExtractSession } from '../../src/extract/context.js';
import type { ProgressEvent } from '../../src/extract/extractor.js';
import { OcrFailedError } from '../../src/extract/ocr/ocr-errors.js';
import type { OcrService } from '../../src/extract/ocr/ocr-service.js';
import { extractCarrier, readCarrier } from '../../src/extract/read-carrier.js';
import { operatorBombPdf } from '../../scripts/make-bombs.js';
import { FIXTURES } from '../helpers/fixtures.js';

const events: ProgressEvent[] = [];
// A small cap: the operator bomb below passes the bounds check (27 MiB inflated at most) and
// needs far more heap than this; every fixture needs less.
const session = createExtractSession({ workers: 1, limits: { maxHeapMb: 64 }, onProgress: (e) => events.push(e) });

afterAll(() => session.close());

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('PDF extraction in a thread with a heap cap', () => {
  it('reuses one thread across carriers, with progress per page', async () => {
    const before = session.pdfThreads.started;
    for (const f of ['digital-ru-secret.pdf', 'digital-two-pages-ru.pdf', 'scan-ru-secret-300.pdf']) {
      const v = examine(await readCarrier(join(FIXTURES, f), session));
      expect(v.status, f).toBe('marked');
    }
    expect(session.pdfThreads.started - before).toBeLessThanOrEqual(1);
    const two = events.filter((e) => e.file.endsWith('digital-two-pages-ru.pdf'));
    expect(two.map((e) => e.page).sort()).toEqual([1, 2]);
    expect(two.map((e) => e.done).sort()).toEqual([1, 2]);
    expect(events.find((e) => e.file.endsWith('scan-ru-secret-300.pdf'))?.source).toMatch(/^ocr-/);
  }, 120_000);

  it('refuses a carrier that takes the thread past its cap, and reads the next one in a fresh thread', async () => {
    const bomb = await operatorBombPdf(400_000);
    const started = session.pdfThreads.started;
    const t0 = Date.now();
    const err = await failure(extractCarrier('operator-bomb.pdf', bomb, session));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('input/too-much-memory');
    expect((err as InputError).message).toBe(
      'operator-bomb.pdf: reading the PDF took more than the 64 MiB of memory one carrier may use, and was stopped; ask the sender for a simpler or smaller copy (an operator may allow more: --max-memory-mb, GRIF_MAX_MEMORY_MB)',
    );
    expect(faultOf(err)).toBe('carrier');
    expect(Date.now() - t0).toBeLessThan(30_000);
    const v = examine(await readCarrier(join(FIXTURES, 'digital-kk-top-secret.pdf'), session));
    expect(v).toMatchObject({ status: 'marked', level: 'top-secret' });
    expect(session.pdfThreads.started).toBe(started + 1);
  }, 120_000);

  it('errors raised in the thread cross with their class, code and message', async () => {
    const encrypted = await failure(readCarrier(join(FIXTURES, 'encrypted.pdf'), session));
    expect(encrypted).toBeInstanceOf(InputError);
    expect(encrypted).toMatchObject({ code: 'input/encrypted', problem: 'encrypted', file: join(FIXTURES, 'encrypted.pdf') });
    expect((encrypted as Error).message).toMatch(/password-protected \(encrypted\); ask the sender for an unprotected copy$/);
    const small = createExtractSession({ workers: 1, limits: { maxPages: 10 } });
    const pages = await failure(extractCarrier('long.pdf', await readFile(join(FIXTURES, 'too-many-pages.pdf')), small));
    await small.close();
    expect(pages).toMatchObject({ code: 'input/too-many-pages', message: 'long.pdf: 600 pages is over the limit of 10 pages (--max-pages)' });
  }, 60_000);

  it("an OCR error of the main thread's pool reaches the caller as it was thrown", async () => {
    const crashing: OcrService = { concurrency: 1, recognize: () => Promise.reject(new Error('engine crashed')), close: () => Promise.resolve() };
    const s = createExtractSession({ ocr: crashing });
    try {
      const err = await failure(readCarrier(join(FIXTURES, 'scan-ru-secret-300.pdf'), s));
      expect(err).toBeInstanceOf(OcrFailedError);
      expect(err).toMatchObject({ code: 'ocr/failed', retryable: true, message: 'OCR failed on a page (engine crashed)' });
      // The thread goes on with the next carrier.
      expect(examine(await readCarrier(join(FIXTURES, 'digital-ru-secret.pdf'), s)).status).toBe('marked');
      expect(s.pdfThreads.started).toBe(1);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('draws pages in the thread: at a resolution, or fitted to a size, RGBA on white; pages the PDF lacks left out', async () => {
    const bytes = await readFile(join(FIXTURES, 'digital-two-pages-ru.pdf'));
    const atDpi = await session.pdfThreads.render('two.pdf', bytes, [1, 2, 3], { dpi: 72 });
    expect(atDpi.numPages).toBe(2);
    expect(atDpi.pages.map((p) => p.page)).toEqual([1, 2]);
    const fitted = await session.pdfThreads.render('two.pdf', bytes, [2], { fitWidth: 1000, fitHeight: 2000 });
    const [p2] = fitted.pages;
    expect(p2!.width).toBe(1000);
    expect(p2!.rgba.length).toBe(p2!.width * p2!.height * 4);
    // White paper, and some ink: the page's text.
    expect(p2!.rgba.subarray(0, 4)).toEqual(new Uint8ClampedArray([255, 255, 255, 255]));
    expect(p2!.rgba.some((v, i) => i % 4 === 0 && v < 128)).toBe(true);
    const err = await failure(session.pdfThreads.render('bad.pdf', new TextEncoder().encode('%PDF-1.4 garbage %%EOF'), [1], { dpi: 72 }));
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'input/damaged' });
  }, 60_000);

  it('a thread that dies otherwise fails its carrier with extract/crashed (retryable), and is replaced', async () => {
    const s = createExtractSession({ workers: 1 });
    try {
      process.env['GRIF_CRASH_AT'] = 'pdf-thread';
      const err = await failure(readCarrier(join(FIXTURES, 'digital-ru-secret.pdf'), s));
      delete process.env['GRIF_CRASH_AT'];
      expect(err).toBeInstanceOf(GrifError);
      expect(err).toMatchObject({ code: 'extract/crashed', retryable: true });
      expect((err as Error).message).toMatch(/digital-ru-secret\.pdf: the PDF extraction thread stopped while reading it \(failpoint pdf-thread\); it was replaced$/);
      expect(faultOf(err)).toBe('service');
      expect(examine(await readCarrier(join(FIXTURES, 'digital-ru-secret.pdf'), s)).status).toBe('marked');
      expect(s.pdfThreads.started).toBe(2);
    } finally {
      delete process.env['GRIF_CRASH_AT'];
      await s.close();
    }
  }, 60_000);
});
