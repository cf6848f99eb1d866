/** One extraction context per run: limits, options, and the OCR pool that outlives single files. */
import { DEFAULT_LIMITS, type ExtractContext, type ExtractLimits, type ProgressEvent } from './extractor.js';
import type { OcrService } from './ocr/ocr-service.js';
import { TesseractPool } from './ocr/tesseract-pool.js';
import { PdfThreads } from './pdf/pdf-threads.js';

export interface ContextOptions {
  readonly workers?: number;
  /** The OCR language data folder (default: Debian's). */
  readonly tessdata?: string;
  readonly fullPage?: boolean;
  readonly dpi?: number;
  readonly limits?: Partial<ExtractLimits>;
  readonly ocr?: OcrService;
  readonly onProgress?: (e: ProgressEvent) => void;
}

export const DEFAULT_DPI = 300;

export interface ExtractSession extends ExtractContext {
  readonly pdfThreads: PdfThreads;
  /** Ends the OCR workers and the PDF threads. */
  close(): Promise<void>;
}

export function createExtractSession(opts: ContextOptions = {}): ExtractSession {
  const limits: ExtractLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const ocr =
    opts.ocr ??
    new TesseractPool({ ...(opts.workers !== undefined ? { workers: opts.workers } : {}), ...(opts.tessdata ? { tessdata: opts.tessdata } : {}), timeoutMs: limits.pageTimeoutMs });
  const pdfThreads = new PdfThreads({ maxHeapMb: limits.maxHeapMb });
  return {
    limits,
    ocr,
    pdfThreads,
    fullPage: opts.fullPage ?? false,
    dpi: opts.dpi ?? DEFAULT_DPI,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    close: async () => {
      await Promise.all([ocr.close(), pdfThreads.close()]);
    },
  };
}
