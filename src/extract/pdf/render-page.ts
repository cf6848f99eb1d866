/** A PDF page rendered to a greyscale raster with pdf.js on @napi-rs/canvas, for OCR. */
import { createCanvas } from '@napi-rs/canvas';
import { OPS, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { InputError } from '../../errors.js';
import { rasterFromPixels, type PageRaster } from '../ocr/page-image.js';
import { encodingName, imageStreamOf } from './image-stream.js';
import { decodeJpx, type JpxPixels } from './jpx-full.js';
import { sourceBytesOf } from './open-pdf.js';

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

/** A page's pixels as drawn, RGBA on white paper. */
export interface PageRgba {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/** A page drawn at `scale` (pixels per point) onto white paper; its size in pixels rounded up, or by `round`. */
export async function renderRgba(page: PDFPageProxy, scale: number, round: (x: number) => number = Math.ceil): Promise<PageRgba> {
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, round(viewport.width));
  const height = Math.max(1, round(viewport.height));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  await page.render({ canvas: canvas as never, canvasContext: ctx as never, viewport })
    .promise;
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}

export async function renderPage(page: PDFPageProxy, dpi: number): Promise<PageRaster> {
  const { width, height, rgba } = await renderRgba(page, dpi / 72);
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

type Matrix = [number, number, number, number, number, number];

/** The current transformation matrix at operator `at`: every `cm` before it, within its save/restore nesting. */
function transformAt(ops: PageOps, at: number): Matrix {
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  const saved: Matrix[] = [];
  for (let i = 0; i < at; i++) {
    const fn = ops.fnArray[i];
    if (fn === OPS.save) saved.push(m);
    else if (fn === OPS.restore) m = saved.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform) {
      const [a, b, c, d, e, f] = ops.argsArray[i] as Matrix;
      // The new matrix applies first, then the one in force.
      m = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3], e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]];
    }
  }
  return m;
}

/**
 * After a page was rendered: the error for a picture on it that pdf.js could not decode (it
 * leaves such a picture out of the rendering, and a stamp may be that picture), or null.
 */
export async function undecodedImage(file: string, page: PDFPageProxy, ops: PageOps): Promise<InputError | null> {
  for (let i = 0; i < ops.fnArray.length; i++) {
    if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
    const [id, width, height] = ops.argsArray[i] as [string, number, number];
    const objs = id.startsWith('g_') ? page.commonObjs : page.objs;
    if (objs.has(id) && objs.get(id) === null) return undecodable(file, page, width, height);
  }
  return null;
}

// Operators a page that is nothing but one scanned picture consists of.
const SCAN_ONLY_OPS = new Set<number>([OPS.save, OPS.restore, OPS.transform, OPS.dependency, OPS.paintImageXObject]);

interface DecodedImage {
  width: number;
  height: number;
  /** pdf.js ImageKind: 1 = 1 bit grey (bit set = white, rows padded to bytes), 2 = RGB, 3 = RGBA. */
  kind: number;
  data?: Uint8Array | Uint8ClampedArray | null;
}

/** An image pdf.js decoded for a page; null when it could not decode it. */
function decodedImage(page: PDFPageProxy, id: string): Promise<DecodedImage | null> {
  // Images used on several pages are kept with the document's objects ("g_…"), others with the page's.
  const objs = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => objs.get(id, resolve as (img: unknown) => void));
}

/** 1-bit pixels as pdf.js gives them (a set bit is white) to 8-bit grey. */
function unpackBits(data: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  const rowBytes = (width + 7) >> 3;
  if (data.length < rowBytes * height) throw new Error(`1-bit image data holds ${data.length} bytes, not ${rowBytes}×${height}`);
  const grey = Buffer.allocUnsafe(width * height);
  for (let y = 0, o = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++, o++) grey[o] = (data[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return grey;
}

/** A raster from what pdf.js decoded, or null for a kind it does not give for page images. */
function rasterOfDecoded(img: DecodedImage, dpi: number): PageRaster | null {
  const { data, width, height, kind } = img;
  if (!data) return null;
  if (kind === 1) return rasterFromPixels(unpackBits(data, width, height), width, height, 1, dpi);
  const channels = kind === 2 ? 3 : kind === 3 ? 4 : 0;
  if (channels === 0 || data.length !== width * height * channels) return null;
  return rasterFromPixels(data, width, height, channels as 3 | 4, dpi);
}

/** OpenJPEG's samples (grey, RGB, CMYK or RGBA) as a raster. */
function rasterOfJpx(jpx: JpxPixels, smaskInData: boolean, dpi: number): PageRaster {
  const { data, width, height, channels } = jpx;
  if (channels !== 4 || smaskInData) return rasterFromPixels(data, width, height, channels as 1 | 3 | 4, dpi);
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 3, j += 4) {
    const k = 255 - data[j + 3]!;
    rgb[i] = ((255 - data[j]!) * k) / 255;
    rgb[i + 1] = ((255 - data[j + 1]!) * k) / 255;
    rgb[i + 2] = ((255 - data[j + 2]!) * k) / 255;
  }
  return rasterFromPixels(rgb, width, height, 3, dpi);
}

/** The error for a page image that pdf.js could not decode, naming its encoding where the PDF says it. */
async function undecodable(file: string, page: PDFPageProxy, width: number, height: number): Promise<InputError> {
  const bytes = sourceBytesOf(page);
  const stream = bytes ? await imageStreamOf(bytes, page.pageNumber, width, height) : null;
  const encoding = stream ? encodingName(stream.filters) : null;
  let reason = 'its data is damaged or uses a feature the decoder does not support';
  if (stream && encoding === 'JPEG 2000') {
    const data = stream.codecData();
    if (data) await decodeJpx(data, stream.components, stream.smaskInData).catch((e: unknown) => (reason = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim()));
  }
  const what = encoding ? `its ${encoding} image` : 'its image';
  return new InputError(
    file,
    'unreadable',
    `${file}: page ${page.pageNumber}: ${what} (${width}×${height}) could not be decoded (${reason}); ask the sender for the scan in another format`,
  );
}

/**
 * A JPEG 2000 page image at its own resolution, when pdf.js decoded it reduced (see jpx-full.ts);
 * null when the image is not JPEG 2000 or cannot be decoded again.
 */
async function fullJpx(page: PDFPageProxy, width: number, height: number, dpi: number): Promise<PageRaster | null> {
  const bytes = sourceBytesOf(page);
  const stream = bytes ? await imageStreamOf(bytes, page.pageNumber, width, height) : null;
  if (!stream || encodingName(stream.filters) !== 'JPEG 2000') return null;
  // Indexed, Lab, Separation and DeviceN JPEG 2000 need pdf.js's colour handling: keep its reduced image.
  if (stream.colorSpace && !['DeviceGray', 'DeviceRGB', 'DeviceCMYK', 'CalGray', 'CalRGB', 'ICCBased', 'G', 'RGB', 'CMYK'].includes(stream.colorSpace)) return null;
  const data = stream.codecData();
  if (!data) return null;
  try {
    return rasterOfJpx(await decodeJpx(data, stream.components, stream.smaskInData), stream.smaskInData, dpi);
  } catch {
    return null;
  }
}

/**
 * When a page is one embedded picture covering the page (a scan), its pixels as they are, at
 * the scanner's resolution: no rendering, no resampling. Null for any other page. Every encoding
 * pdf.js decodes is taken (1-bit JBIG2 and CCITT, 8- and 16-bit grey and colour in any colour
 * space, JPEG, JPEG 2000); an image it cannot decode is an error naming the page and encoding.
 */
export async function embeddedScan(file: string, page: PDFPageProxy, ops: PageOps, maxPixels: number): Promise<PageRaster | null> {
  if (page.rotate % 360 !== 0) return null;
  if (!ops.fnArray.every((fn) => SCAN_ONLY_OPS.has(fn))) return null;
  const paints = ops.fnArray.flatMap((fn, i) => (fn === OPS.paintImageXObject ? [i] : []));
  if (paints.length !== 1) return null;
  const [x0, y0, x1, y1] = page.view as [number, number, number, number];
  const pageW = x1 - x0;
  const pageH = y1 - y0;
  // The picture must fill the page: the transforms in force where it is painted (producers write
  // one `cm`, or several: pdf-lib a translation, a turn, a scale and a skew) scale the unit square to it.
  const m = transformAt(ops, paints[0]!);
  if (Math.abs(m[1]) > 1e-6 || Math.abs(m[2]) > 1e-6 || m[0] < 0.95 * pageW || m[3] < 0.95 * pageH) return null;
  const [id, width, height] = ops.argsArray[paints[0]!] as [string, number, number];
  if (width * height > maxPixels) {
    throw new InputError(file, 'too-many-pixels', `${file}: page ${page.pageNumber} holds a ${width}×${height} image, over the limit of ${maxPixels} pixels`);
  }
  const img = await decodedImage(page, id);
  if (!img) throw await undecodable(file, page, width, height);
  if (img.width < width || img.height < height) {
    const full = await fullJpx(page, width, height, Math.round((width / pageW) * 72));
    if (full) return full;
  }
  return rasterOfDecoded(img, Math.round((img.width / pageW) * 72));
}
