/**
 * An image carrier as a PDF, so that it can carry the receiving side's stamp: one page per frame,
 * each the picture itself at its own resolution. JPEG frames are embedded as they are (no
 * recompression); anything else as lossless PNG. The image file itself is never changed.
 */
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';

// A density outside this range (72 is many encoders' default) says nothing of the scan.
const PLAUSIBLE_DPI = [100, 1200] as const;
const FALLBACK_DPI = 300;

export async function imageToPdf(image: Uint8Array): Promise<Uint8Array> {
  const meta = await sharp(image).metadata();
  const frames = meta.pages ?? 1;
  const dpi = meta.density && meta.density >= PLAUSIBLE_DPI[0] && meta.density <= PLAUSIBLE_DPI[1] ? meta.density : FALLBACK_DPI;
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < frames; i++) {
    const embedded =
      meta.format === 'jpeg' && frames === 1
        ? await doc.embedJpg(image)
        : await doc.embedPng(await sharp(image, { page: i }).png().toBuffer());
    const width = (embedded.width * 72) / dpi;
    const height = (embedded.height * 72) / dpi;
    doc.addPage([width, height]).drawImage(embedded, { x: 0, y: 0, width, height });
  }
  return doc.save();
}
