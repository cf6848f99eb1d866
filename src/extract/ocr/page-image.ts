/** A page as a greyscale raster, decoded once, cut and turned with sharp for OCR. */
import sharp, { type OutputInfo, type Sharp } from 'sharp';

export interface PageRaster {
  /** 8-bit greyscale pixels, row by row. */
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  /** Pixels per inch: tesseract sizes its expectations of letters by it. */
  readonly dpi: number;
}

export type Rotation = 0 | 90 | 180 | 270;

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function source(r: PageRaster) {
  return sharp(r.pixels, { raw: { width: r.width, height: r.height, channels: 1 } });
}

/** One channel out, as the raster's row arithmetic assumes. */
async function grey(img: Sharp): Promise<{ data: Buffer; info: OutputInfo }> {
  return img.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
}

/** The whole raster or a part of it as a PNG, as tesseract.js takes it. */
export async function toPng(r: PageRaster, rect?: Rect): Promise<Buffer> {
  const img = rect ? source(r).extract(rect) : source(r);
  // Light compression: tesseract.js decodes every byte of it again.
  return img.withMetadata({ density: r.dpi }).toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer();
}

/**
 * The whole raster or a part of it as a binary PGM: a header and the grey bytes as they are. No
 * compression to make on this side nor to undo inside tesseract's WebAssembly, where a PNG of a
 * full page cost about 0.1 s (bench/ocr.bench.ts). PGM has no resolution field: give the
 * raster's dpi to the OCR call.
 */
export function toPgm(r: PageRaster, rect?: Rect): Buffer {
  const { left, top, width, height } = rect ?? { left: 0, top: 0, width: r.width, height: r.height };
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  const out = Buffer.allocUnsafe(header.length + width * height);
  header.copy(out, 0);
  if (left === 0 && width === r.width) r.pixels.copy(out, header.length, top * r.width, (top + height) * r.width);
  else for (let y = 0; y < height; y++) r.pixels.copy(out, header.length + y * width, (top + y) * r.width + left, (top + y) * r.width + left + width);
  return out;
}

/** The raster turned clockwise by the given angle. */
export async function rotate(r: PageRaster, degrees: Rotation): Promise<PageRaster> {
  if (degrees === 0) return r;
  const { data, info } = await grey(source(r).rotate(degrees));
  return { pixels: data, width: info.width, height: info.height, dpi: r.dpi };
}

/** A part of the raster, as a raster. */
export async function crop(r: PageRaster, rect: Rect): Promise<PageRaster> {
  const { data, info } = await grey(source(r).extract(rect));
  return { pixels: data, width: info.width, height: info.height, dpi: r.dpi };
}

/** The raster scaled down by an integer-ish factor, for a quick look. */
export async function shrink(r: PageRaster, factor: number): Promise<PageRaster> {
  const width = Math.max(1, Math.round(r.width / factor));
  const { data, info } = await grey(source(r).resize({ width }));
  return { pixels: data, width: info.width, height: info.height, dpi: r.dpi / factor };
}

/** Decodes an encoded image (or one frame of a multi-page TIFF) to a greyscale raster. */
export async function decodeRaster(encoded: Uint8Array, page = 0, maxPixels?: number, fallbackDpi = 300): Promise<PageRaster> {
  const img = sharp(encoded, { page, limitInputPixels: maxPixels ?? false });
  const { density } = await img.metadata();
  // Transparent parts read as white paper; exactly one channel, whatever the source had.
  const { data, info } = await img
    .flatten({ background: '#ffffff' })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // A missing or implausible density (72 is many encoders' default) says nothing of the scan.
  const dpi = density && density >= 100 && density <= 1200 ? density : fallbackDpi;
  return { pixels: data, width: info.width, height: info.height, dpi };
}
