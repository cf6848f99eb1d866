/** A PDF page rendered to a greyscale raster with pdf.js on @napi-rs/canvas, for OCR. */
import { createCanvas } from '@napi-rs/canvas';
import { OPS, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { InputError } from '../../errors.js';
import type { PageRaster } from '../ocr/page-image.js';

// Below this a page's small print is no longer readable by OCR.
const MIN_DPI = 100;

/** The resolution a page can be rendered at within the pixel limit, or an error for a huge page. */
export function renderDpi(file: string, pageNo: number, widthPt: number, heightPt: number, dpi: number, maxPixels: number): number {
  const fit = Math.sqrt(maxPixels / Math.max(1, widthPt * heightPt)) * 72;
  const chosen = Math.min(dpi, fit);
  if (chosen < MIN_DPI) {
    throw new InputError(
      file,
      'too-many-pixels',
      `${file}: page ${pageNo} is ${Math.round(widthPt / 72)}×${Math.round(heightPt / 72)} inches, too large to render for OCR within ${maxPixels} pixels`,
    );
  }
  return chosen;
}

export async function renderPage(page: PDFPageProxy, dpi: number): Promise<PageRaster> {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  await page.render({ canvas: canvas as never, canvasContext: ctx as never, viewport })
    .promise;
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const pixels = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { pixels, width, height, dpi };
}

/** Whether the page paints any raster image (a scan, or a stamp pasted in as a picture). */
export async function paintsImages(page: PDFPageProxy): Promise<boolean> {
  const ops = await page.getOperatorList();
  return ops.fnArray.some((fn) => fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject);
}
