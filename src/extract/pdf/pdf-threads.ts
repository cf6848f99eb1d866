/**
 * PDF extraction off the main thread: each carrier is read by pdf.js in a node:worker_threads
 * Worker of its own at a time, with a V8 heap cap (ExtractLimits.maxHeapMb). A carrier that takes
 * the thread past its cap is refused (input/too-much-memory) and the thread is replaced; a thread
 * that dies otherwise fails its carrier with extract/crashed (retryable) and is replaced too. The
 * main thread meanwhile keeps its event loop free (a queue job's lock is renewed on time) and runs
 * OCR: the thread sends each page image (its buffers transferred) and the main thread's OCR pool
 * reads it (ocr-page.ts) and answers. Threads are reused across carriers: starting one and loading
 * pdf.js in it cost 0.56–0.85 s a carrier, against 35–52 ms for a born-digital page in a thread
 * already warm (measured by hand on digital-ru-secret.pdf, BENCHMARKS.md "Bombs").
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { CarrierText } from '../../core/index.js';
import { GrifError, InputError } from '../../errors.js';
import { DEFAULT_LIMITS, type ExtractContext } from '../extractor.js';
import { ocrPage } from '../ocr/ocr-page.js';
import type { PageRgba } from './render-page.js';
import type { RenderScale } from './render-pages.js';
import { fromWire, toWire, type FromThread, type ToThread } from './thread-messages.js';

/** The thread's entry: beside this module when built; from the TypeScript sources (tests), the built one (test/helpers/build.ts builds it first). */
function threadEntry(): URL {
  const built = new URL('./pdf-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  const fromSources = new URL('../../../dist/src/extract/pdf/pdf-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(fromSources))) return fromSources;
  throw new GrifError(`the PDF extraction thread's script is missing (${fileURLToPath(built)}); build grif first (npm run build)`, { code: 'internal' });
}

/**
 * V8 lets a heap grow before its next full collection by a factor it scales with the heap's cap:
 * 4 from a 2 GiB cap up (the main thread's case on any machine here), down to 1.3 for small caps.
 * At the thread's 512 MiB that made pdf.js collect so often that drawing a born-digital page cost
 * 2.4 times the CPU it costs on the main thread (34 against 14 ms, by hand), and the service bench
 * lost 10% (BENCHMARKS.md "Stamping service"). The factor the main thread gets is set for every
 * isolate (a process-wide V8 flag; Node gives threads no flags of their own); the cap itself is
 * unchanged and still refuses a bomb.
 */
const HEAP_GROWING_PERCENT = 300;
let growingSet = false;
function growHeapsAsTheMainThread(): void {
  if (growingSet) return;
  growingSet = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** A thread died with a carrier in hand, not by running out of memory: a second try in a fresh thread may succeed. */
export class ExtractCrashedError extends GrifError {
  constructor(file: string, reason: string) {
    super(`${file}: the PDF extraction thread stopped while reading it (${reason}); it was replaced`, { code: 'extract/crashed', retryable: true });
  }
}

/** Pages drawn in a thread (render()), with the PDF's page count. */
export interface DrawnPages {
  readonly numPages: number;
  readonly pages: ReadonlyArray<PageRgba & { readonly page: number }>;
}

interface Job {
  readonly id: number;
  readonly file: string;
  /** For a reading: the context whose OCR and progress it uses. */
  readonly ctx?: ExtractContext;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  /** The main thread's OCR errors by request, thrown as they were when the thread gives up on one. */
  readonly ocrErrors: Map<number, unknown>;
}

interface Thread {
  readonly worker: Worker;
  job?: Job;
  /** Why it died, once it has. */
  dead?: unknown;
}

export interface PdfThreadsOptions {
  /** The V8 heap (old generation) of each thread, MiB. */
  readonly maxHeapMb: number;
  /** Threads kept for the next carriers once idle (more are ended as they finish). */
  readonly keepIdle?: number;
}

export class PdfThreads {
  private readonly maxHeapMb: number;
  private readonly keepIdle: number;
  private readonly idle: Thread[] = [];
  private readonly busy = new Set<Thread>();
  private nextJob = 1;
  private closed = false;
  /** Threads started so far (a dead one is replaced by a new one). */
  started = 0;

  constructor(opts: PdfThreadsOptions) {
    this.maxHeapMb = opts.maxHeapMb;
    this.keepIdle = Math.max(0, opts.keepIdle ?? 2);
  }

  private start(): Thread {
    this.started++;
    growHeapsAsTheMainThread();
    const worker = new Worker(threadEntry(), {
      name: 'grif-pdf',
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    const thread: Thread = { worker };
    worker.on('message', (m: FromThread) => this.onMessage(thread, m));
    worker.on('error', (err) => {
      thread.dead ??= err;
    });
    worker.on('exit', (code) => {
      thread.dead ??= new Error(`exit code ${code}`);
      this.onDeath(thread);
    });
    return thread;
  }

  private onDeath(thread: Thread): void {
    const i = this.idle.indexOf(thread);
    if (i >= 0) this.idle.splice(i, 1);
    this.busy.delete(thread);
    const job = thread.job;
    thread.job = undefined;
    if (!job) return;
    const err = thread.dead as { code?: string; message?: string } | undefined;
    if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      job.reject(
        new InputError(
          job.file,
          'too-much-memory',
          `${job.file}: reading the PDF took more than the ${this.maxHeapMb} MiB of memory one carrier may use, and was stopped; ask the sender for a simpler or smaller copy (an operator may allow more: --max-memory-mb, GRIF_MAX_MEMORY_MB)`,
        ),
      );
    } else if (this.closed) {
      job.reject(new GrifError(`${job.file}: not read: the extraction was closed`, { code: 'internal', retryable: true }));
    } else {
      job.reject(new ExtractCrashedError(job.file, err?.message ?? String(err)));
    }
  }

  private onMessage(thread: Thread, m: FromThread): void {
    const job = thread.job;
    if (m.t === 'ocr') {
      const answer = (reply: ToThread): void => {
        if (!thread.dead) thread.worker.postMessage(reply);
      };
      // A request of a carrier already given up (a page still under way when another failed).
      if (!job?.ctx || job.id !== m.job) {
        answer({ t: 'ocr-failed', job: m.job, req: m.req, error: { kind: 'other', name: 'Error', message: 'the carrier was given up' } });
        return;
      }
      const r = m.raster;
      const raster = { width: r.width, height: r.height, dpi: r.dpi, pixels: Buffer.from(r.pixels), ...(r.chroma ? { chroma: Buffer.from(r.chroma) } : {}) };
      ocrPage(raster, job.ctx.ocr, m.opts).then(
        (result) => answer({ t: 'ocr-done', job: m.job, req: m.req, result }),
        (err: unknown) => {
          job.ocrErrors.set(m.req, err);
          answer({ t: 'ocr-failed', job: m.job, req: m.req, error: toWire(err) });
        },
      );
      return;
    }
    if (!job || job.id !== m.job) return;
    if (m.t === 'progress') {
      job.ctx?.onProgress?.(m.event);
      return;
    }
    this.release(thread);
    if (m.t === 'done') job.resolve(m.text);
    else if (m.t === 'rendered') {
      const drawn: DrawnPages = { numPages: m.numPages, pages: m.pages.map((p) => ({ page: p.page, width: p.width, height: p.height, rgba: new Uint8ClampedArray(p.rgba) })) };
      job.resolve(drawn);
    } else if (m.error.kind === 'ocr') job.reject(job.ocrErrors.get(m.error.req) ?? new GrifError(`${job.file}: OCR failed`, { code: 'ocr/failed', retryable: true }));
    else job.reject(fromWire(m.error));
  }

  private acquire(): Thread {
    let thread = this.idle.pop();
    while (thread?.dead) thread = this.idle.pop();
    thread ??= this.start();
    this.busy.add(thread);
    // Busy, the thread keeps the process alive; idle, it does not.
    thread.worker.ref();
    return thread;
  }

  private release(thread: Thread): void {
    thread.job = undefined;
    this.busy.delete(thread);
    if (thread.dead) return;
    if (this.closed || this.idle.length >= this.keepIdle) {
      void thread.worker.terminate();
      return;
    }
    thread.worker.unref();
    this.idle.push(thread);
  }

  /** Runs one job in a thread of its own: `message` is what the thread is told, given the job's number. */
  private run<T>(file: string, ctx: ExtractContext | undefined, message: (job: number) => ToThread): Promise<T> {
    if (this.closed) return Promise.reject(new GrifError('the PDF extraction threads were closed', { code: 'internal' }));
    const thread = this.acquire();
    return new Promise<T>((resolve, reject) => {
      const job: Job = { id: this.nextJob++, file, ...(ctx ? { ctx } : {}), resolve: resolve as (value: unknown) => void, reject, ocrErrors: new Map() };
      thread.job = job;
      // The bytes are copied to the thread (structured clone): the caller's buffer stays its own.
      thread.worker.postMessage(message(job.id));
    });
  }

  /** Reads a PDF carrier in a thread; the context's OCR, progress and onlyPages as ever. */
  extract(file: string, bytes: Uint8Array, ctx: ExtractContext): Promise<CarrierText> {
    return this.run<CarrierText>(file, ctx, (job) => ({
      t: 'extract',
      job,
      file,
      bytes,
      limits: { ...DEFAULT_LIMITS, ...ctx.limits },
      dpi: ctx.dpi,
      fullPage: ctx.fullPage,
      concurrency: ctx.ocr.concurrency,
      ...(ctx.onlyPages ? { onlyPages: [...ctx.onlyPages] } : {}),
    }));
  }

  /** Draws pages of a PDF (1-based; those it does not have are left out) in a thread, RGBA on white. */
  render(file: string, bytes: Uint8Array, pages: readonly number[], scale: RenderScale): Promise<DrawnPages> {
    return this.run<DrawnPages>(file, undefined, (job) => ({ t: 'render', job, file, bytes, pages, scale }));
  }

  /** Ends every thread; a carrier in hand fails. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}

const shared = new Map<number, PdfThreads>();

/**
 * The context's threads; for a context that brings none of its own (or none at all), the process's
 * shared threads for its heap cap, which keep no process alive when idle.
 */
export function pdfThreadsOf(ctx?: Pick<ExtractContext, 'pdfThreads' | 'limits'>): PdfThreads {
  if (ctx?.pdfThreads) return ctx.pdfThreads;
  const maxHeapMb = ctx?.limits.maxHeapMb ?? DEFAULT_LIMITS.maxHeapMb;
  let threads = shared.get(maxHeapMb);
  if (!threads) shared.set(maxHeapMb, (threads = new PdfThreads({ maxHeapMb })));
  return threads;
}
