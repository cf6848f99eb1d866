// The OCR pool on the real engine: missing data, time limits, recycling, a crashing engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExtractSession } from '../../src/extract/context.js';
import type { OcrService } from '../../src/extract/ocr/ocr-service.js';
import { OcrTimeoutError, OcrUnavailableError, TesseractPool } from '../../src/extract/ocr/tesseract-pool.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { FIXTURES } from '../helpers/fixtures.js';

const png = () => readFileSync(join(FIXTURES, 'image-kk-secret.png'));

describe('the tesseract.js pool', () => {
  it('names the Debian packages when the language data is missing', async () => {
    const pool = new TesseractPool({ tessdata: '/nonexistent/tessdata', workers: 1 });
    await expect(pool.recognize(png())).rejects.toThrow(OcrUnavailableError);
    await expect(pool.recognize(png())).rejects.toThrow(/tesseract-ocr-kaz tesseract-ocr-kir tesseract-ocr-rus/);
    await pool.close();
  });

  it('stops a page that overruns its time limit, and reads the next one with a fresh worker', async () => {
    const pool = new TesseractPool({ workers: 1, timeoutMs: 1 });
    await expect(pool.recognize(png())).rejects.toThrow(OcrTimeoutError);
    expect(pool.started).toBe(1);
    await pool.close();
  });

  it('recycles a worker after its page budget and keeps reading', async () => {
    const pool = new TesseractPool({ workers: 1, recycleAfter: 1 });
    const image = png();
    for (let i = 0; i < 3; i++) {
      const lines = await pool.recognize(image);
      expect(lines.some((l) => /ҚҰПИЯ|КУПИЯ/i.test(l.text))).toBe(true);
    }
    expect(pool.started).toBe(3);
    await pool.close();
  });
});

describe('a crashing OCR engine fails that carrier only, with a clear error', () => {
  const crashing: OcrService = {
    concurrency: 1,
    recognize: async () => {
      throw new Error('engine crashed');
    },
    close: async () => undefined,
  };
  it('the scanned carrier gets the error; a born-digital one is still read', async () => {
    const session = createExtractSession({ ocr: crashing });
    await expect(readCarrier(join(FIXTURES, 'scan-ru-secret-300.pdf'), session)).rejects.toThrow(/engine crashed/);
    const text = await readCarrier(join(FIXTURES, 'digital-ru-secret.pdf'), session);
    expect(text.pages.length).toBe(1);
  });
});
