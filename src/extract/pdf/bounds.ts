/**
 * What a PDF would cost to read, checked before pdf.js decodes anything: a 2 MB file whose content
 * stream inflates to gigabytes, or an image declared 40000×40000, is refused in seconds, in bounded
 * memory, with a message a clerk can pass on, instead of taking the machine's memory first. The
 * file is parsed (pdf-lib, which decodes no stream but object streams) and every Flate stream is
 * inflated once through a counter that stops at the limit, keeping nothing; every image's declared
 * size is checked against the pixel limit; and what each page's tiling patterns would take to draw
 * is added up against its own limit.
 */
import { createInflate } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFPageLeaf, PDFRawStream } from 'pdf-lib';
import { InputError } from '../../errors.js';

export interface PdfBounds {
  /** The most any one stream may inflate to. */
  readonly maxDecodedBytes: number;
  /** The most pixels any one image may have. */
  readonly maxPixels: number;
  /**
   * The most memory one page's tiling patterns may take when drawn at 300 dpi: pdf.js paints each
   * pattern's cell into a canvas of its own, so a page with dozens of full-page patterns needs
   * gigabytes to render (default 1 GiB).
   */
  readonly maxPatternBytes?: number;
}

const RENDER_DPI = 300;
const DEFAULT_PATTERN_BYTES = 2 ** 30;

/** The area, in square points of the page, of one tiling pattern's cell. */
function cellArea(p: PDFRawStream | PDFDict): number {
  const dict = p instanceof PDFRawStream ? p.dict : p;
  const box = dict.lookup(PDFName.of('BBox'));
  if (!(box instanceof PDFArray) || box.size() !== 4) return 0;
  const [x0, y0, x1, y1] = box.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) as [number, number, number, number];
  const m = dict.lookup(PDFName.of('Matrix'));
  const [a, b, c, d] = m instanceof PDFArray ? m.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) : [1, 0, 0, 1];
  const scale = Math.abs((a ?? 1) * (d ?? 1) - (b ?? 0) * (c ?? 0)) || 1;
  return Math.abs((x1 - x0) * (y1 - y0)) * scale;
}

/** What drawing a page's tiling patterns takes at 300 dpi, in bytes (4 per pixel). */
function patternBytes(page: PDFPageLeaf): number {
  const resources = page.lookup(PDFName.of('Resources'));
  if (!(resources instanceof PDFDict)) return 0;
  const patterns = resources.lookup(PDFName.of('Pattern'));
  if (!(patterns instanceof PDFDict)) return 0;
  let area = 0;
  for (const [, ref] of patterns.entries()) {
    const p = page.context.lookup(ref);
    const dict = p instanceof PDFRawStream ? p.dict : p instanceof PDFDict ? p : undefined;
    if (!dict || !(p instanceof PDFRawStream || p instanceof PDFDict)) continue;
    const type = dict.lookup(PDFName.of('PatternType'));
    if (type instanceof PDFNumber && type.asNumber() === 1) area += cellArea(p);
  }
  return area * (RENDER_DPI / 72) ** 2 * 4;
}

const mib = (n: number): string => `${Math.round(n / 2 ** 20)} MiB`;

/** How many bytes `data` inflates to, counting up to `limit` + 1 at most (then it stops); undefined when it does not inflate. */
function inflatedSize(data: Uint8Array, limit: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const inflater = createInflate({ chunkSize: 64 * 1024 });
    let total = 0;
    let done = false;
    const finish = (v: number | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
    };
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        finish(total);
        inflater.destroy();
      }
    });
    inflater.on('end', () => finish(total));
    // A damaged or encrypted stream: pdf.js says what is wrong with the file, not this check.
    inflater.on('error', () => finish(total > 0 ? total : undefined));
    inflater.end(data);
  });
}

function filtersOf(s: PDFRawStream): string[] {
  const f = s.dict.lookup(PDFName.of('Filter'));
  if (f instanceof PDFName) return [f.decodeText()];
  if (f instanceof PDFArray) return f.asArray().flatMap((x) => (x instanceof PDFName ? [x.decodeText()] : []));
  return [];
}

const numberOf = (s: PDFRawStream, key: string): number | undefined => {
  const v = s.dict.lookup(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : undefined;
};

export async function checkPdfBounds(file: string, bytes: Uint8Array, bounds: PdfBounds): Promise<void> {
  let doc: PDFDocument;
  // pdf-lib says on the console what it skips in a damaged file: that is pdf.js's to report, once.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return; // pdf.js reports a file it cannot parse, in its own words
  } finally {
    console.warn = warn;
  }
  // A damaged page tree (pdf-lib cannot list the pages) leaves the patterns unchecked; pdf.js says
  // what is wrong with the file.
  let pages: PDFPageLeaf[] = [];
  try {
    pages = doc.getPages().map((p) => p.node);
  } catch {
    pages = [];
  }
  for (let i = 0; i < pages.length; i++) {
    let bytes = 0;
    try {
      bytes = patternBytes(pages[i]!);
    } catch {
      continue;
    }
    const limit = bounds.maxPatternBytes ?? DEFAULT_PATTERN_BYTES;
    if (bytes > limit) {
      throw new InputError(
        file,
        'too-large',
        `${file}: page ${i + 1}'s tiling patterns would take ${mib(bytes)} to draw, over the limit of ${mib(limit)}; refused before rendering it`,
      );
    }
  }
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    try {
      await checkStream(file, ref.objectNumber, obj, bounds);
    } catch (err) {
      if (err instanceof InputError) throw err;
      // A malformed dictionary: nothing this check can measure; pdf.js reads the file or says why not.
    }
  }
}

async function checkStream(file: string, objectNumber: number, obj: PDFRawStream, bounds: PdfBounds): Promise<void> {
  if (obj.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Image')) {
    const w = numberOf(obj, 'Width') ?? 0;
    const h = numberOf(obj, 'Height') ?? 0;
    if (w * h > bounds.maxPixels) {
      throw new InputError(
        file,
        'too-many-pixels',
        `${file}: an image in it (object ${objectNumber}) is ${w}×${h} pixels, over the limit of ${Math.round(bounds.maxPixels / 1e6)} megapixels; refused before decoding it`,
      );
    }
  }
  if (filtersOf(obj)[0] !== 'FlateDecode') return;
  const size = await inflatedSize(obj.contents, bounds.maxDecodedBytes);
  if (size !== undefined && size > bounds.maxDecodedBytes) {
    throw new InputError(
      file,
      'too-large',
      `${file}: a stream in it (object ${objectNumber}, ${obj.contents.length} bytes) inflates to more than ${mib(bounds.maxDecodedBytes)}: refused as a decompression bomb before reading it`,
    );
  }
}
