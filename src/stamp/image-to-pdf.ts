/**
 * An image carrier as a PDF, so that it can carry the receiving side's stamp: one page per frame,
 * each the picture itself at its own resolution. JPEG frames are embedded as they are (no
 * recompression); anything else as lossless PNG. The image file itself is never changed.
 */
import { PDFDocument, degrees } from '@cantoo/pdf-lib';
import type { CarrierText } from '../core/index.js';
import sharp from 'sharp';
import { InputError } from '../errors.js';
import { DEFAULT_LIMITS } from '../extract/extractor.js';

// A density outside this range (72 is many encoders' default) says nothing of the scan.
const PLAUSIBLE_DPI = [100, 1200] as const;
const FALLBACK_DPI = 300;

/**
 * The PDF of an image carrier. A frame over `maxPixels` (a decompression bomb) or an image sharp
 * cannot read is the carrier's error, not a crash to retry.
 */
export async function imageToPdf(image: Uint8Array, file = 'the image', maxPixels = DEFAULT_LIMITS.maxPixels): Promise<Uint8Array> {
  let meta;
  try {
    meta = await sharp(image).metadata();
  } catch (err) {
    throw new InputError(file, 'damaged', `${file}: the image cannot be read (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) {
    throw new InputError(file, 'too-many-pixels', `${file}: the image is ${meta.width}×${meta.height} = ${pixels} pixels, over the limit of ${maxPixels} pixels`);
  }
  const frames = meta.pages ?? 1;
  const dpi = meta.density && meta.density >= PLAUSIBLE_DPI[0] && meta.density <= PLAUSIBLE_DPI[1] ? meta.density : FALLBACK_DPI;
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < frames; i++) {
    let embedded;
    try {
      embedded =
        meta.format === 'jpeg' && frames === 1
          ? await doc.embedJpg(image)
          : await doc.embedPng(await sharp(image, { page: i, limitInputPixels: maxPixels }).png().toBuffer());
    } catch (err) {
      throw new InputError(file, 'damaged', `${file}: frame ${i + 1} of the image cannot be read (${err instanceof Error ? err.message : String(err)})`, err);
    }
    const width = (embedded.width * 72) / dpi;
    const height = (embedded.height * 72) / dpi;
    doc.addPage([width, height]).drawImage(embedded, { x: 0, y: 0, width, height });
  }
  return doc.save();
}

/**
 * The PDF made of an image carrier, its pages shown upright: a page whose picture OCR had to turn
 * to read (scanned upside down or sideways) gets that turn as its /Rotate, so that a viewer, the
 * stamp's placement (the upright top right) and a later reading all see the page as it is meant.
 * Only for PDFs grif made itself; a sender's PDF is never changed.
 */
export async function uprightImagePdf(pdf: Uint8Array, text: CarrierText): Promise<Uint8Array> {
  if (!text.pages.some((p) => p.rotation)) return pdf;
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.getPages().forEach((page, i) => {
    const turn = text.pages[i]?.rotation;
    if (turn) page.setRotation(degrees(turn));
  });
  return doc.save();
}
