/**
 * PDF carriers, read by pdf.js in a thread of their own with a heap cap (pdf-threads.ts, the
 * reading itself in read-pdf.ts); OCR stays in this thread's pool. Callers see the Extractor port.
 */
import type { CarrierText } from '../../core/index.js';
import type { Extractor } from '../extractor.js';
import { pdfThreadsOf } from './pdf-threads.js';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export const pdfExtractor: Extractor = {
  kind: 'PDF',
  extensions: ['.pdf'],
  sniff: (head) => PDF_MAGIC.every((b, i) => head[i] === b),
  extract(file, bytes, ctx): Promise<CarrierText> {
    return pdfThreadsOf(ctx).extract(file, bytes, ctx);
  },
};
