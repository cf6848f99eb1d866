/**
 * The PDF extraction thread's entry (started by pdf-threads.ts as a node:worker_threads Worker with
 * a heap cap): pdf.js opens the carrier, reads its text layer and operator lists, renders pages and
 * decodes embedded scans here, off the main thread. A page image for OCR is sent to the main thread
 * (its buffers transferred), whose OCR pool reads it and answers. Pages are also drawn here for the
 * stamper's ink map (render-pages.ts). One carrier at a time; the thread is reused for the next.
 */
import { parentPort } from 'node:worker_threads';
import type { OcrPageOptions, OcrPageResult } from '../ocr/ocr-page.js';
import type { PageRaster } from '../ocr/page-image.js';
import { readPdf } from './read-pdf.js';
import { renderPdfPages } from './render-pages.js';
import { RelayedOcrError, toWire, type FromThread, type ToThread, type WireRaster, type WireRgba } from './thread-messages.js';

const port = parentPort;
if (!port) throw new Error('pdf-thread.js is the PDF extraction thread: started by pdf-threads.ts, never run by itself');

const send = (m: FromThread, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

/** The buffer's bytes as an ArrayBuffer of their own, to transfer (the buffer itself when it owns one). */
function ownBuffer(b: Uint8Array | Uint8ClampedArray): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return copy;
}

// OCR requests waiting for the main thread's answer, by request number.
const waiting = new Map<number, { resolve: (r: OcrPageResult) => void; reject: (e: unknown) => void }>();
let nextReq = 1;

function ocrOnMain(job: number, raster: PageRaster, opts: OcrPageOptions): Promise<OcrPageResult> {
  const req = nextReq++;
  const pixels = ownBuffer(raster.pixels);
  const chroma = raster.chroma ? ownBuffer(raster.chroma) : undefined;
  const wire: WireRaster = { width: raster.width, height: raster.height, dpi: raster.dpi, pixels, ...(chroma ? { chroma } : {}) };
  return new Promise((resolve, reject) => {
    waiting.set(req, { resolve, reject });
    send({ t: 'ocr', job, req, raster: wire, opts }, chroma ? [pixels, chroma] : [pixels]);
  });
}

port.on('message', (m: ToThread) => {
  switch (m.t) {
    case 'extract': {
      const { job, file } = m;
      // Failpoint (src/crash-points.ts): the thread dies of an uncaught error with a carrier in hand.
      if (process.env['GRIF_CRASH_AT'] === 'pdf-thread') {
        setImmediate(() => {
          throw new Error('failpoint pdf-thread');
        });
        return;
      }
      readPdf(file, m.bytes, {
        limits: m.limits,
        dpi: m.dpi,
        fullPage: m.fullPage,
        concurrency: m.concurrency,
        ...(m.onlyPages ? { onlyPages: new Set(m.onlyPages) } : {}),
        ocr: (raster, opts) => ocrOnMain(job, raster, opts),
        onProgress: (event) => send({ t: 'progress', job, event }),
      }).then(
        (text) => send({ t: 'done', job, text }),
        (err: unknown) => send({ t: 'failed', job, error: toWire(err) }),
      );
      return;
    }
    case 'render': {
      const { job } = m;
      renderPdfPages(m.file, m.bytes, m.pages, m.scale).then(
        ({ numPages, pages }) => {
          const wire: WireRgba[] = pages.map((p) => ({ page: p.page, width: p.width, height: p.height, rgba: ownBuffer(p.rgba) }));
          send({ t: 'rendered', job, numPages, pages: wire }, wire.map((p) => p.rgba));
        },
        (err: unknown) => send({ t: 'failed', job, error: toWire(err) }),
      );
      return;
    }
    case 'ocr-done':
    case 'ocr-failed': {
      const w = waiting.get(m.req);
      if (!w) return;
      waiting.delete(m.req);
      if (m.t === 'ocr-done') w.resolve(m.result);
      else w.reject(new RelayedOcrError(m.req, m.error));
      return;
    }
  }
});
