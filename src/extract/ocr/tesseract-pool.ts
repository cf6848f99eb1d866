/**
 * OCR with tesseract.js on Debian's traineddata (tesseract-ocr-kaz, -kir, -rus), read from disk:
 * nothing is downloaded. A small pool of workers, created on first use and reused across carriers.
 * tesseract.js's own scheduler has no time limit per job and never replaces a worker, and its
 * WASM memory only grows, so the pool recycles each worker after a bounded number of pages and
 * terminates one that overruns its time limit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { GrifError } from '../../errors.js';
import { OcrFailedError, OcrTimeoutError, OcrUnavailableError } from './ocr-errors.js';

export { OcrFailedError, OcrTimeoutError, OcrUnavailableError };
import type { OcrLine, OcrService, OcrWord, RecognizeOptions } from './ocr-service.js';

export const DEFAULT_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';
export const OCR_LANGS = ['kaz', 'kir', 'rus'] as const;
const DEBIAN_PACKAGE: Record<string, string> = {
  kaz: 'tesseract-ocr-kaz',
  kir: 'tesseract-ocr-kir',
  rus: 'tesseract-ocr-rus',
  Cyrillic: 'tesseract-ocr-script-cyrl',
};

export interface TesseractPoolOptions {
  /** Workers (pages read at once); defaults to the machine's cores. */
  readonly workers?: number;
  /** Folder with kaz/kir/rus.traineddata; default Debian's folder (the CLI resolves GRIF_TESSDATA: cli/settings.ts). */
  readonly tessdata?: string;
  /** Pages a worker reads before it is replaced. */
  readonly recycleAfter?: number;
  /** Milliseconds one recognition may take. */
  readonly timeoutMs?: number;
  /** Traineddata names; kaz+kir+rus unless measuring another model (e.g. Debian's "Cyrillic"). */
  readonly langs?: readonly string[];
}

interface Slot {
  worker: Promise<Worker>;
  pages: number;
  /** The resolution last set on this worker (user_defined_dpi), to set it only when it changes. */
  dpi?: number;
  /** The layout last set on this worker (tessedit_pageseg_mode). */
  layout: 'page' | 'block';
}

interface TesseractBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TesseractWord {
  text: string;
  confidence: number;
  bbox: TesseractBbox;
}
interface TesseractLine {
  text: string;
  confidence: number;
  bbox: TesseractBbox;
  words: TesseractWord[];
}
interface TesseractBlock {
  paragraphs: Array<{ lines: TesseractLine[] }>;
}

const box = (b: TesseractBbox) => [b.x0, b.y0, b.x1, b.y1] as const;

// The compiled quiet worker; absent when running from TypeScript sources (tests), where the
// stock worker script is used.
const QUIET_WORKER = fileURLToPath(new URL('./quiet-worker.js', import.meta.url));
const WORKER_PATH = existsSync(QUIET_WORKER) ? { workerPath: QUIET_WORKER } : {};

export function checkTessdata(dir: string, langs: readonly string[] = OCR_LANGS): void {
  const missing = langs.filter((l) => !existsSync(join(dir, `${l}.traineddata`)));
  if (missing.length) {
    throw new OcrUnavailableError(
      `OCR language data is missing in ${dir}: ${missing.map((l) => `${l}.traineddata`).join(', ')}; ` +
        `install the Debian packages ${missing.map((l) => DEBIAN_PACKAGE[l] ?? `tesseract-ocr-${l.toLowerCase()}`).join(' ')} (bash scripts/setup.sh does), ` +
        'or point GRIF_TESSDATA at a folder that has them',
    );
  }
}

export class TesseractPool implements OcrService {
  readonly concurrency: number;
  private readonly tessdata: string;
  private readonly recycleAfter: number;
  private readonly timeoutMs: number;
  private readonly langs: readonly string[];
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private created = 0;
  private checked = false;
  /** Workers started so far (recycling and failures start new ones). */
  started = 0;

  constructor(opts: TesseractPoolOptions = {}) {
    this.concurrency = Math.max(1, opts.workers ?? availableParallelism());
    this.tessdata = opts.tessdata ?? DEFAULT_TESSDATA;
    this.recycleAfter = Math.max(1, opts.recycleAfter ?? 200);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.langs = opts.langs ?? OCR_LANGS;
  }

  private newSlot(): Slot {
    this.started++;
    const worker = createWorker([...this.langs], OEM.LSTM_ONLY, {
      langPath: this.tessdata,
      gzip: false,
      cacheMethod: 'none',
      ...WORKER_PATH,
    }).catch((err: unknown) => {
      throw new OcrUnavailableError(`the OCR engine could not start (${err instanceof Error ? err.message : String(err)})`, err);
    });
    // Automatic page layout (PSM 3, the tesseract CLI's default): tesseract.js defaults to one
    // uniform block (PSM 6), which loses a stamp line beside the body and, with rotateAuto, lays
    // the page out twice (bench/ocr.bench.ts: 19% of a full page). debug_file keeps the engine's
    // diagnostics off the terminal.
    const ready = worker.then(
      async (w) => (await w.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: '1', debug_file: '/dev/null' }), w),
    );
    return { worker: ready, pages: 0, layout: 'page' };
  }

  private acquire(): Promise<Slot> {
    const slot = this.idle.pop();
    if (slot) return Promise.resolve(slot);
    if (this.created < this.concurrency) {
      this.created++;
      return Promise.resolve(this.newSlot());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot | null): void {
    if (slot === null || slot.pages >= this.recycleAfter) {
      if (slot) void slot.worker.then((w) => w.terminate()).catch(() => undefined);
      this.created--;
      const next = this.waiting.shift();
      if (next) {
        this.created++;
        next(this.newSlot());
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  async recognize(image: Uint8Array, opts: RecognizeOptions = {}): Promise<OcrLine[]> {
    if (!this.checked) {
      checkTessdata(this.tessdata, this.langs);
      this.checked = true;
    }
    const slot = await this.acquire();
    let timer: NodeJS.Timeout | undefined;
    try {
      const worker = await slot.worker;
      // A PGM carries no resolution; tesseract sizes its expectations of letters by it.
      const dpi = opts.dpi ? Math.round(opts.dpi) : 0;
      if (slot.dpi !== dpi) {
        await worker.setParameters({ user_defined_dpi: String(dpi) });
        slot.dpi = dpi;
      }
      // A stamp cut out and turned upright is one block: automatic layout would split its lines
      // from the frame's remains and drop short ones.
      const layout = opts.layout ?? 'page';
      if (slot.layout !== layout) {
        await worker.setParameters({ tessedit_pageseg_mode: layout === 'block' ? PSM.SINGLE_BLOCK : PSM.AUTO });
        slot.layout = layout;
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(this.timeoutMs)), this.timeoutMs);
      });
      // rotateAuto: tesseract straightens a skew of a few degrees before reading.
      const result = await Promise.race([
        worker.recognize(Buffer.from(image), { rotateAuto: layout === 'page' }, { blocks: true, text: false }),
        timeout,
      ]);
      const lines = linesOf((result.data.blocks ?? []) as unknown as TesseractBlock[]);
      slot.pages++;
      this.release(slot);
      return lines;
    } catch (err) {
      // A worker that failed or overran is not trusted again.
      void slot.worker.then((w) => w.terminate()).catch(() => undefined);
      this.release(null);
      if (err instanceof GrifError) throw err;
      throw new OcrFailedError(err instanceof Error ? err.message : String(err), err);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const slots = this.idle.splice(0);
    this.created -= slots.length;
    await Promise.all(slots.map((s) => s.worker.then((w) => w.terminate()).catch(() => undefined)));
  }
}

function linesOf(blocks: readonly TesseractBlock[]): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const b of blocks) {
    for (const p of b.paragraphs) {
      for (const l of p.lines) {
        const words: OcrWord[] = (l.words ?? [])
          .filter((w) => w.text.trim())
          .map((w) => ({ text: w.text.trim(), bbox: box(w.bbox), confidence: w.confidence / 100 }));
        if (!words.length) continue;
        lines.push({ text: l.text.trim(), bbox: box(l.bbox), confidence: l.confidence / 100, words });
      }
    }
  }
  return lines;
}
