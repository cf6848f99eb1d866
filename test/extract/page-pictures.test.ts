// Pictures on PDF pages: a scan placed with several transforms (as pdf-lib's drawImage writes
// it) is still read at its own resolution, and a picture pdf.js cannot decode on a page with
// text is an error naming it, never a page read without it (the picture may be the stamp).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { createExtractSession } from '../../src/extract/context.js';
import { extractCarrier } from '../../src/extract/read-carrier.js';
import { openPdf } from '../../src/extract/pdf/open-pdf.js';
import { embeddedScan } from '../../src/extract/pdf/render-page.js';
import { FIXTURES } from '../helpers/fixtures.js';

const session = createExtractSession({ workers: 1 });
afterAll(() => session.close());

describe('pictures on PDF pages', () => {
  it('a scan placed by drawImage (translate, rotate, scale, skew) is taken at its own resolution', async () => {
    const png = readFileSync(join(FIXTURES, 'image-kk-secret.png'));
    const doc = await PDFDocument.create();
    const img = await doc.embedPng(png);
    const w = (img.width * 72) / 300;
    const h = (img.height * 72) / 300;
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
    const bytes = await doc.save();
    const pdf = await openPdf('drawn.pdf', bytes);
    try {
      const page = await pdf.getPage(1);
      const r = await embeddedScan('drawn.pdf', page, await page.getOperatorList(), 2e8);
      expect(r).not.toBeNull();
      expect({ width: r!.width, dpi: r!.dpi }).toEqual({ width: img.width, dpi: 300 });
    } finally {
      await pdf.destroy();
    }
  });

  it('an undecodable JPEG 2000 picture beside text is an error naming it', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('Delivery schedule for the second quarter', { x: 70, y: 700, size: 11, font });
    const dict = doc.context.obj({ Type: 'XObject', Subtype: 'Image', Width: 400, Height: 120, ColorSpace: 'DeviceRGB', BitsPerComponent: 8, Filter: 'JPXDecode' });
    const garbage = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
    const ref = doc.context.register(PDFRawStream.of(dict, garbage));
    page.node.setXObject(PDFName.of('Stamp'), ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(160, 0, 0, 48, 400, 760), drawObject('Stamp'), popGraphicsState());
    const bytes = await doc.save();
    await expect(extractCarrier('stamp-picture.pdf', bytes, session)).rejects.toThrow(/page 1: its JPEG 2000 image \(400×120\) could not be decoded/);
  });
});
