/** The port through which carriers of any kind become text for the marking core. */
import type { CarrierText } from '../core/index.js';
import type { OcrService } from './ocr/ocr-service.js';
import type { PdfThreads } from './pdf/pdf-threads.js';

export interface ExtractLimits {
  /** Refuse carriers larger than this many bytes. */
  readonly maxBytes: number;
  /** Refuse carriers with more pages (or image frames) than this. */
  readonly maxPages: number;
  /** Refuse a page image larger than this many pixels (decompression bombs). */
  readonly maxPixels: number;
  /** Give up on one page's OCR after this many milliseconds. */
  readonly pageTimeoutMs: number;
  /** Refuse a PDF any one of whose streams inflates to more than this many bytes (decompression bombs). */
  readonly maxDecodedBytes: number;
  /**
   * The V8 heap (MiB) of the thread a PDF is read in (pdf-threads.ts): a carrier whose reading
   * needs more is refused (input/too-much-memory), and the next carrier gets a fresh thread.
   */
  readonly maxHeapMb: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxBytes: 512 * 1024 * 1024,
  maxPages: 500,
  // A4 at 600 dpi is 35 Mpx; a poster-sized scan at 300 dpi stays under this.
  maxPixels: 150_000_000,
  pageTimeoutMs: 120_000,
  // A 600 dpi A4 colour scan's image is about 105 MB decoded.
  maxDecodedBytes: 256 * 1024 * 1024,
  // pdf.js's own objects (parsed content, operator lists, fonts) for the pages read at once; decoded
  // images and canvases are buffers outside this heap. A 500-page born-digital PDF with a font per
  // page needs under 128 MiB; a page of 2 million drawn lines (a 57 KB file) is stopped in about
  // 13 s at this cap, 39 s at 1024 MiB (BENCHMARKS.md, "Bombs").
  maxHeapMb: 512,
};

/** How a page's text was obtained, for progress reports and receipts. */
export type PageSource = 'text' | 'ocr-stamp-areas' | 'ocr-full-page' | 'empty';

export interface ProgressEvent {
  readonly file: string;
  /** The page just read, 1-based (pages are read in parallel, so not always in order). */
  readonly page: number;
  /** Pages of this carrier read so far, this one included. */
  readonly done: number;
  readonly pages: number;
  readonly source: PageSource;
}

export interface ExtractContext {
  readonly limits: ExtractLimits;
  /** OCR for pages without a usable text layer; started on first use. */
  readonly ocr: OcrService;
  /** OCR whole pages even when the stamp areas decide (for the register and translation checks). */
  readonly fullPage: boolean;
  /** Resolution at which PDF pages without a text layer are rendered for OCR. */
  readonly dpi: number;
  readonly onProgress?: (e: ProgressEvent) => void;
  /**
   * Read only these pages (1-based) of a PDF; the others come back empty. For checking what was
   * just changed on them (a stamp read back), never for a verdict on a carrier.
   */
  readonly onlyPages?: ReadonlySet<number>;
  /** The threads PDFs are read in (a session's own); without, the process's shared ones. */
  readonly pdfThreads?: PdfThreads;
}

export interface Extractor {
  /** For messages: "plain text", "PDF", ... */
  readonly kind: string;
  /** Lower-case file name endings this extractor takes, with the dot. */
  readonly extensions: readonly string[];
  /** Whether the content's first bytes say it is this kind. */
  sniff(head: Uint8Array): boolean;
  /**
   * Turns the carrier's bytes into pages of lines. Throws InputError for content it cannot read.
   * Never modifies the input.
   */
  extract(file: string, bytes: Uint8Array, ctx: ExtractContext): Promise<CarrierText>;
}
