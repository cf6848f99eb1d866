/** Image carriers: PNG, JPEG and TIFF (every frame of a multi-page TIFF is a page), read by OCR. */
import pLimit from 'p-limit';
import sharp, { type Metadata } from 'sharp';
import type { CarrierText } from '../../core/index.js';
import { InputError } from '../../errors.js';
import type { ExtractLimits, Extractor } from '../extractor.js';
import { ocrPage } from '../ocr/ocr-page.js';
import { decodeRaster } from '../ocr/page-image.js';

const SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
];

/**
 * The number of frames (pages) of an image carrier, checked against the limits before anything is
 * decoded: frames against --max-pages, the first frame's size against the pixel limit (each frame
 * is checked again when it is decoded). For the extractor, and for stamping, which makes a PDF of
 * every frame before reading it.
 */
export async function imageFrames(file: string, bytes: Uint8Array, limits: Pick<ExtractLimits, 'maxPages' | 'maxPixels'>): Promise<number> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new InputError(file, 'damaged', `${file}: the image is damaged or not an image sharp can read (${(err as Error).message})`, err);
  }
  const frames = meta.pages ?? 1;
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > limits.maxPixels) {
    throw new InputError(
      file,
      'too-many-pixels',
      `${file}: the image is ${meta.width}×${meta.height} = ${pixels} pixels, over the limit of ${limits.maxPixels} pixels`,
    );
  }
  if (frames > limits.maxPages) {
    throw new InputError(file, 'too-many-pages', `${file}: ${frames} pages is over the limit of ${limits.maxPages} pages (--max-pages)`);
  }
  return frames;
}

export const imageExtractor: Extractor = {
  kind: 'image',
  extensions: ['.png', '.jpg', '.jpeg', '.tif', '.tiff'],
  sniff: (head) => SIGNATURES.some((sig) => sig.every((b, i) => head[i] === b)),
  async extract(file, bytes, ctx): Promise<CarrierText> {
    const frames = await imageFrames(file, bytes, ctx.limits);
    const limit = pLimit(Math.max(1, ctx.ocr.concurrency));
    let done = 0;
    const pages = await Promise.all(
      Array.from({ length: frames }, (_, i) =>
        limit(async () => {
          let raster;
          try {
            raster = await decodeRaster(bytes, i, ctx.limits.maxPixels);
          } catch (err) {
            throw new InputError(file, 'damaged', `${file}: page ${i + 1} of the image cannot be decoded (${(err as Error).message})`, err);
          }
          const r = await ocrPage(raster, ctx.ocr, { fullPage: ctx.fullPage, unitsPerPixel: 1 });
          ctx.onProgress?.({ file, page: i + 1, done: ++done, pages: frames, source: r.source });
          return r.page;
        }),
      ),
    );
    return { pages };
  },
};
