/**
 * JPEG 2000 at its own resolution. In Node pdf.js decodes every JPEG 2000 image wider or taller
 * than 2048 pixels at a half or a quarter of its resolution (its ImageResizer guesses the largest
 * canvas with OffscreenCanvas, which Node lacks, and settles on 2048; the getDocument option
 * canvasMaxAreaInBytes bounds the area but not that side length): a 200 dpi A4 scan would be read
 * at 100 dpi. This decodes the stream again with the same OpenJPEG build, unreduced.
 */
import { readFile } from 'node:fs/promises';
import { JpxImage } from 'pdfjs-dist/legacy/image_decoders/pdf.image_decoders.mjs';
import { PDFJS_WASM } from './open-pdf.js';

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  // The decoder asks its "handler" for openjpeg.wasm (fetch() cannot read a file path).
  JpxImage.setOptions({
    useWasm: true,
    useWorkerFetch: false,
    wasmUrl: PDFJS_WASM,
    handler: { sendWithPromise: async (_kind, { filename }) => new Uint8Array(await readFile(PDFJS_WASM + filename)) },
  });
}

/** Width, height and component count from the codestream's SIZ marker; null when there is none. */
export function jpxSize(data: Uint8Array): { width: number; height: number; components: number } | null {
  for (let i = 0; i + 40 < data.length; i++) {
    if (data[i] !== 0xff || data[i + 1] !== 0x51) continue;
    const v = new DataView(data.buffer, data.byteOffset + i + 2);
    const width = v.getUint32(4) - v.getUint32(12);
    const height = v.getUint32(8) - v.getUint32(16);
    return { width, height, components: v.getUint16(36) };
  }
  return null;
}

export interface JpxPixels {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** 1 grey, 3 RGB, 4 CMYK (or RGBA with smaskInData). */
  readonly channels: number;
}

/**
 * Decodes a JPEG 2000 stream at full resolution, or halved as often as needed to keep
 * OpenJPEG's working memory (4 bytes a sample) within 1 GiB, as pdf.js does.
 */
export async function decodeJpx(data: Uint8Array, components: number | undefined, smaskInData: boolean): Promise<JpxPixels> {
  configure();
  const size = jpxSize(data);
  if (!size) throw new Error('no size marker in the JPEG 2000 stream');
  const comps = components ?? size.components;
  const area = size.width * size.height;
  const maxArea = 2 ** 30 / (Math.max(1, size.components) * 4);
  const reducePower = area > maxArea ? Math.ceil(Math.log2(area / maxArea)) : 0;
  const out = await JpxImage.decode(data, { numComponents: comps, isIndexedColormap: false, smaskInData, reducePower });
  const width = Math.ceil(size.width / 2 ** reducePower);
  const height = Math.ceil(size.height / 2 ** reducePower);
  const channels = out.length / (width * height);
  if (![1, 3, 4].includes(channels)) throw new Error(`OpenJPEG gave ${out.length} bytes for ${width}×${height} pixels`);
  return { data: out, width, height, channels };
}
