/** A page as a greyscale raster, decoded once, cut and turned with sharp for OCR. */
import sharp, { type OutputInfo, type Sharp } from 'sharp';

export interface PageRaster {
  /**
   * 8-bit greyscale pixels, row by row. From a colour source this is the darkest of R, G and B
   * (not the luma): ink of any colour reads dark. A red or violet rubber stamp's luma is a mid
   * grey that binarisation can lose; its darkest channel is near black.
   */
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  /** Pixels per inch: tesseract sizes its expectations of letters by it. */
  readonly dpi: number;
  /**
   * How colourful each pixel is (max − min of R, G and B, 0–255), same layout as `pixels`; only
   * when the source has colour. Coloured ink (a stamp) shows here; black ink and paper do not.
   */
  readonly chroma?: Buffer;
}

// A source stored as RGB whose pixels never differ by more than this between channels is grey.
const GREY_CHROMA = 24;

/**
 * A raster from decoded pixels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; alpha is laid on white
 * paper): grey = the darkest channel, and `chroma` when the picture has colour.
 */
export function rasterFromPixels(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 2 | 3 | 4, dpi: number): PageRaster {
  const n = width * height;
  if (data.length < n * channels) throw new Error(`raster data holds ${data.length} bytes, not ${width}×${height}×${channels}`);
  if (channels === 1) return { pixels: Buffer.from(data.buffer, data.byteOffset, n), width, height, dpi };
  const pixels = Buffer.allocUnsafe(n);
  if (channels === 2) {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const a = data[j + 1]!;
      pixels[i] = 255 - (((255 - data[j]!) * a + 127) / 255) | 0;
    }
    return { pixels, width, height, dpi };
  }
  const chroma = Buffer.allocUnsafe(n);
  let colourful = false;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    let r = data[j]!;
    let g = data[j + 1]!;
    let b = data[j + 2]!;
    if (channels === 4) {
      const a = data[j + 3]!;
      if (a !== 255) {
        r = 255 - (((255 - r) * a + 127) / 255) | 0;
        g = 255 - (((255 - g) * a + 127) / 255) | 0;
        b = 255 - (((255 - b) * a + 127) / 255) | 0;
      }
    }
    const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
    const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
    pixels[i] = lo;
    chroma[i] = hi - lo;
    if (hi - lo > GREY_CHROMA) colourful = true;
  }
  return colourful ? { pixels, width, height, dpi, chroma } : { pixels, width, height, dpi };
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

function chromaSource(r: PageRaster) {
  return r.chroma ? sharp(r.chroma, { raw: { width: r.width, height: r.height, channels: 1 } }) : null;
}

/** The same operation on the grey pixels and, when there is one, the chroma map. */
async function both(r: PageRaster, op: (img: Sharp) => Sharp, dpi = r.dpi): Promise<PageRaster> {
  const [{ data, info }, chroma] = await Promise.all([grey(op(source(r))), r.chroma ? grey(op(chromaSource(r)!)) : null]);
  return { pixels: data, width: info.width, height: info.height, dpi, ...(chroma ? { chroma: chroma.data } : {}) };
}

/** The raster turned clockwise by the given angle. */
export async function rotate(r: PageRaster, degrees: Rotation): Promise<PageRaster> {
  if (degrees === 0) return r;
  return both(r, (img) => img.rotate(degrees));
}

/** A part of the raster, as a raster. */
export async function crop(r: PageRaster, rect: Rect): Promise<PageRaster> {
  return both(r, (img) => img.extract(rect));
}

/** The raster scaled down by an integer-ish factor, for a quick look. */
export async function shrink(r: PageRaster, factor: number): Promise<PageRaster> {
  const width = Math.max(1, Math.round(r.width / factor));
  return both(r, (img) => img.resize({ width }), r.dpi / factor);
}

/** Decodes an encoded image (or one frame of a multi-page TIFF) to a greyscale raster. */
export async function decodeRaster(encoded: Uint8Array, page = 0, maxPixels?: number, fallbackDpi = 300): Promise<PageRaster> {
  const img = sharp(encoded, { page, limitInputPixels: maxPixels ?? false });
  const { density, channels: sourceChannels, space } = await img.metadata();
  // A missing or implausible density (72 is many encoders' default) says nothing of the scan.
  const dpi = density && density >= 100 && density <= 1200 ? density : fallbackDpi;
  // Transparent parts read as white paper.
  const flat = img.flatten({ background: '#ffffff' });
  if (sourceChannels !== undefined && sourceChannels <= 2 && space !== 'cmyk') {
    const { data, info } = await flat.greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, dpi };
  }
  const { data, info } = await flat.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return rasterFromPixels(data, info.width, info.height, info.channels as 3, dpi);
}
