/**
 * PDF carriers, read by pdf.js in a thread of their own with a heap cap (pdf-threads.ts, the
 * reading itself in read-pdf.ts); OCR stays in this thread's pool. Callers see the Extractor port.
 */
import type { CarrierText } from '../../core/index.js';
import { DEFAULT_LIMITS, type Extractor } from '../extractor.js';
import { sharedPdfThreads } from './pdf-threads.js';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export const pdfExtractor: Extractor = {
  kind: 'PDF',
  extensions: ['.pdf'],
  sniff: (head) => PDF_MAGIC.every((b, i) => head[i] === b),
  extract(file, bytes, ctx): Promise<CarrierText> {
    const threads = ctx.pdfThreads ?? sharedPdfThreads(ctx.limits.maxHeapMb ?? DEFAULT_LIMITS.maxHeapMb);
    return threads.extract(file, bytes, ctx);
  },
};
