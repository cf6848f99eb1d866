/**
 * A PDF's pages read with pdf.js: each page's text layer where it has one; otherwise (a scan) the
 * page is rendered and read by OCR, stamp areas first. A text page that also paints images and
 * does not decide from its text alone has its stamp areas read too: a stamp may be a pasted-in
 * picture. This runs in the PDF extraction thread (pdf-thread.ts); OCR is a function it is given
 * (the thread asks the main thread's OCR pool for it).
 */
import pLimit from 'p-limit';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CarrierText, TextLine, TextPage } from '../../core/index.js';
import { GrifError, InputError } from '../../errors.js';
import { DEFAULT_LIMITS, type ExtractLimits, type PageSource, type ProgressEvent } from '../extractor.js';
import type { OcrPageOptions, OcrPageResult } from '../ocr/ocr-page.js';
import type { PageRaster } from '../ocr/page-image.js';
import { checkPdfBounds } from './bounds.js';
import { openPdf } from './open-pdf.js';
import { embeddedScan, paintsImages, renderDpi, renderPage, undecodedImage } from './render-page.js';
import { horizontalStrokes, markStruck } from './strikes.js';
import { isUsableTextLayer, textLayerLines } from './text-layer.js';

// A page that draws no more than this many operators and shows no text is blank.
const BLANK_PAGE_OPS = 8;

export interface ReadPdfOptions {
  readonly limits: ExtractLimits;
  /** Resolution at which pages without a text layer are rendered for OCR. */
  readonly dpi: number;
  readonly fullPage: boolean;
  /** Pages read at once. */
  readonly concurrency: number;
  /** Read only these pages (1-based); the others come back empty (a stamp read back). */
  readonly onlyPages?: ReadonlySet<number>;
  /** OCR of one page image (ocr-page.ts's ocrPage, wherever it runs). */
  ocr(raster: PageRaster, opts: OcrPageOptions): Promise<OcrPageResult>;
  onProgress?(e: ProgressEvent): void;
}

/** An OCR line reads the same place as a text-layer line: its middle lies in the text line's box. */
function sameLine(text: TextLine, ocr: TextLine): boolean {
  if (!text.bbox || !ocr.bbox) return false;
  const [x0, y0, x1, y1] = text.bbox;
  const slack = (y1 - y0) * 0.5;
  const x = (ocr.bbox[0] + ocr.bbox[2]) / 2;
  const y = (ocr.bbox[1] + ocr.bbox[3]) / 2;
  return x >= x0 - slack && x <= x1 + slack && y >= y0 - slack && y <= y1 + slack;
}

/** A page's lines, those struck through marked so (strikes.ts): a struck marking is no longer in force. */
async function readPage(file: string, page: PDFPageProxy, o: ReadPdfOptions): Promise<{ page: TextPage; source: PageSource }> {
  const read = await readPageLines(file, page, o);
  // A page read turned has its boxes in the turned image; strokes are found in the page as it stands.
  if (read.page.rotation) return read;
  const strokes = horizontalStrokes(await page.getOperatorList(), page.getViewport({ scale: 1 }).transform);
  return strokes.length ? { ...read, page: { ...read.page, lines: markStruck(read.page.lines, strokes) } } : read;
}

async function readPageLines(file: string, page: PDFPageProxy, o: ReadPdfOptions): Promise<{ page: TextPage; source: PageSource }> {
  const text = await textLayerLines(page);
  const textPage: TextPage = { lines: text.lines, width: text.width, height: text.height };
  const usable = isUsableTextLayer(text.lines);
  const ops = await page.getOperatorList();
  const pictures = paintsImages(ops);
  if (!pictures) {
    if (usable) return { page: textPage, source: 'text' };
    if (text.lines.length === 0 && ops.fnArray.length < BLANK_PAGE_OPS) return { page: textPage, source: 'empty' };
  }
  // A scan, a page of vector-drawn text, or text with pictures: a stamp may be a picture (a
  // scanned stamp, or the sender's stamp under a stamp grif added as text), so the pictures are
  // read too, even when the text alone would decide.
  let raster = !usable ? await embeddedScan(file, page, ops, o.limits.maxPixels) : null;
  if (!raster) {
    raster = await renderPage(page, renderDpi(file, page.pageNumber, text.width, text.height, o.dpi, o.limits.maxPixels));
    // A picture pdf.js could not decode is missing from the rendering; it may be the stamp.
    const missing = await undecodedImage(file, page, ops);
    if (missing) throw missing;
  }
  const ocr = await o.ocr(raster, { fullPage: o.fullPage, unitsPerPixel: text.width / raster.width });
  if (!usable || ocr.rotation !== 0) return { page: ocr.page, source: ocr.source };
  // Text layer and pictures: both count. Boxes are in the same units (points, upright page). OCR
  // of the rendered page also reads the text layer's own words (a stamp grif added as text):
  // where a text line stands, its exact text is kept and OCR's reading of it dropped.
  const fresh = ocr.page.lines.filter((l) => !textPage.lines.some((t) => sameLine(t, l)));
  return { page: { ...ocr.page, lines: [...textPage.lines, ...fresh] }, source: ocr.source };
}

/** Reads a PDF's pages. Throws InputError for content it cannot read (and OCR's own errors). */
export async function readPdf(file: string, bytes: Uint8Array, o: ReadPdfOptions): Promise<CarrierText> {
  const pdf = await openPdf(file, bytes);
  try {
    if (pdf.numPages > o.limits.maxPages) {
      throw new InputError(file, 'too-many-pages', `${file}: ${pdf.numPages} pages is over the limit of ${o.limits.maxPages} pages (--max-pages)`);
    }
    // Before any page is decoded (a read-back of grif's own stamped pages was checked as the carrier).
    if (!o.onlyPages) await checkPdfBounds(file, bytes, { maxDecodedBytes: o.limits.maxDecodedBytes ?? DEFAULT_LIMITS.maxDecodedBytes, maxPixels: o.limits.maxPixels });
    const limit = pLimit(Math.max(1, o.concurrency));
    let done = 0;
    const pages = await Promise.all(
      Array.from({ length: pdf.numPages }, (_, i) =>
        limit(async () => {
          if (o.onlyPages && !o.onlyPages.has(i + 1)) return { lines: [] };
          const page = await pdf.getPage(i + 1);
          try {
            const r = await readPage(file, page, o);
            o.onProgress?.({ file, page: i + 1, done: ++done, pages: pdf.numPages, source: r.source });
            return r.page;
          } finally {
            page.cleanup();
          }
        }),
      ),
    );
    return { pages };
  } catch (err) {
    if (err instanceof GrifError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new InputError(file, 'damaged', `${file}: a page of the PDF could not be read (${message})`, err);
  } finally {
    await pdf.destroy();
  }
}
