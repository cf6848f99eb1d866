/** A PDF page rendered to a greyscale raster with pdf.js on @napi-rs/canvas, for OCR. */
import { createCanvas } from '@napi-rs/canvas';
import { OPS, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { InputError } from '../../errors.js';
import { rasterFromPixels, type PageRaster } from '../ocr/page-image.js';

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
  return rasterFromPixels(rgba, width, height, 4, dpi);
}

/** A page's drawing operators, as pdf.js lists them. */
export interface PageOps {
  readonly fnArray: readonly number[];
  readonly argsArray: readonly unknown[];
}

/** Whether the page paints any raster image (a scan, or a stamp pasted in as a picture). */
export function paintsImages(ops: PageOps): boolean {
  return ops.fnArray.some((fn) => fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject);
}

// Operators a page that is nothing but one scanned picture consists of.
const SCAN_ONLY_OPS = new Set<number>([OPS.save, OPS.restore, OPS.transform, OPS.dependency, OPS.paintImageXObject]);

interface DecodedImage {
  width: number;
  height: number;
  /** pdf.js ImageKind: 1 = 1 bit grey, 2 = RGB, 3 = RGBA. */
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/**
 * When a page is one embedded picture covering the page (a scan), its pixels as they are, at
 * the scanner's resolution: no rendering, no resampling. Null for any other page.
 */
export async function embeddedScan(file: string, page: PDFPageProxy, ops: PageOps, maxPixels: number): Promise<PageRaster | null> {
  if (page.rotate % 360 !== 0) return null;
  if (!ops.fnArray.every((fn) => SCAN_ONLY_OPS.has(fn))) return null;
  const paints = ops.fnArray.flatMap((fn, i) => (fn === OPS.paintImageXObject ? [i] : []));
  if (paints.length !== 1) return null;
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const pageW = x1 - x0;
  const pageH = y1 - y0;
  // The picture must fill the page: the last transform before it scales the unit square to it.
  const transforms = ops.fnArray.flatMap((fn, i) => (fn === OPS.transform && i < paints[0]! ? [ops.argsArray[i] as number[]] : []));
  const m = transforms[transforms.length - 1];
  if (!m || Math.abs(m[1]!) > 1e-6 || Math.abs(m[2]!) > 1e-6 || m[0]! < 0.95 * pageW || m[3]! < 0.95 * pageH) return null;
  const [id, width, height] = ops.argsArray[paints[0]!] as [string, number, number];
  if (width * height > maxPixels) {
    throw new InputError(file, 'too-many-pixels', `${file}: page ${page.pageNumber} holds a ${width}×${height} image, over the limit of ${maxPixels} pixels`);
  }
  const img = await new Promise<DecodedImage>((resolve) => page.objs.get(id, resolve));
  const channels = img.kind === 2 ? 3 : img.kind === 3 ? 4 : 0;
  if (!img.data || channels === 0 || img.data.length !== img.width * img.height * channels) return null;
  return rasterFromPixels(img.data, img.width, img.height, channels as 3 | 4, Math.round((img.width / pageW) * 72));
}
