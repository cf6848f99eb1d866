/**
 * OCR benchmark: grif's stamp-first OCR against full-page OCR and against Debian's native
 * tesseract CLI, on the nine one-page 300-dpi scans of scripts/make-fixtures.ts
 * (scan-{kk,ky,ru}-{secret,top-secret,special-importance}-300.pdf, 2480 × 3508 grey pixels).
 *
 * Untimed setup: the fixtures are made (or reused) in --fixtures, each scan's embedded PNG is
 * taken out with poppler's `pdfimages -png` into a temporary folder, decoded once to a raster,
 * and the top 22% band is cropped to a PNG for the native band runs and the model comparison.
 *
 * Measured, in one run:
 *  1. per page, one thread (median s/page over the 9 pages, after one untimed warm-up page):
 *     grif stamp-first   ocrPage(raster, TesseractPool({workers: 1}), {fullPage: false})
 *     grif full page     the same with fullPage: true
 *     native full page   `tesseract PAGE.png - -l kaz+kir+rus --tessdata-dir DIR`, OMP_THREAD_LIMIT=1,
 *                        the process's wall clock (start and model loading included)
 *     native top band    the same on the top 22% band
 *     and whether each mode's text gives the right verdict (examine; native text as lines, no boxes);
 *  2. throughput with both cores busy: grif stamp-first with TesseractPool({workers: 2}) and 2 pages
 *     in flight, and native full page with 2 processes at once (pages/s);
 *  3. peak memory: process.resourceUsage().maxRSS after the throughput run (tesseract.js workers are
 *     worker_threads of this process, so they count), plus the peak RSS sampled during that run;
 *  4. model choice: kaz+kir+rus against Debian's Cyrillic script model on the top band of each page
 *     (stamp line exactly right, verdict right, median s/band);
 *  1b. what finding stamp regions costs per page (findStampRegions, main thread, median of 5);
 *  5. rubber stamps: the colour scans of scripts/make-stamps.ts (framed stamps turned -20°…+20°,
 *     150–300 dpi, an unreadable one, a registration stamp, a seal, a letterhead), read as the CLI
 *     reads them (one worker) against native tesseract on the page image: verdicts and s/page.
 * With --profile, also where the time goes (PNG encoding, tesseract.js per-call cost, its
 * rotateAuto pass and page segmentation mode, image size, native start-up).
 *
 * Usage: node dist/bench/ocr.bench.js [--json] [--profile] [--fixtures DIR] [--tessdata DIR]
 * Not a unit test. Needs poppler-utils, tesseract-ocr and tesseract-ocr-{kaz,kir,rus,script-cyrl}.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

import { examine, levelRow, type Lang, type Level, type TextLine, type TextPage, type Verdict } from '../src/core/index.js';
import { ocrPage, STAMP_BANDS, toTextLine } from '../src/extract/ocr/ocr-page.js';
import { decodeRaster, shrink, toPng, type PageRaster, type Rect } from '../src/extract/ocr/page-image.js';
import type { OcrLine } from '../src/extract/ocr/ocr-service.js';
import { DEFAULT_TESSDATA, OCR_LANGS, TesseractPool } from '../src/extract/ocr/tesseract-pool.js';
import { findStampRegions } from '../src/extract/ocr/stamp-regions.js';
import { createExtractSession } from '../src/extract/context.js';
import { readCarrier } from '../src/extract/read-carrier.js';
import { makeStamps } from '../scripts/make-stamps.js';
import { makeFixtures, scanPageWords, type FixtureLevel } from '../scripts/make-fixtures.js';
import { repoRoot } from '../scripts/dev-support.js';

// ---------------------------------------------------------------------------------------------
// Options


const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    fixtures: { type: 'string' },
    tessdata: { type: 'string', default: DEFAULT_TESSDATA },
  },
  strict: true,
});

const fixturesDir = resolve(opts.fixtures ?? join(repoRoot(), '.tmp', 'fixtures'));
const tessdata = opts.tessdata;
const NATIVE_LANGS = OCR_LANGS.join('+');
const DPI = 300;
const UNITS_PER_PIXEL = 72 / DPI;
const GIB = 1024 ** 3;

const TARGETS = {
  /** native full-page s/page ÷ grif stamp-first s/page must be at least this (issue 10: keep 3.5×, aim for 4×). */
  stampFirstSpeedup: 3.5,
  stampFirstSpeedupAim: 4,
  /** grif full-page s/page ÷ native full-page s/page must be at most this. */
  fullPageRatio: 1.3,
  /** Peak RSS of the 2-worker pool, bytes. */
  maxRssBytes: GIB,
};

const log = (s: string): void => {
  process.stderr.write(`ocr.bench: ${s}\n`);
};

// ---------------------------------------------------------------------------------------------
// Helpers

function median(xs: readonly number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const now = (): number => performance.now();
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; seconds: number }> {
  return new Promise((resolvePromise, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`ocr.bench: ${cmd} not found (install poppler-utils / tesseract-ocr)`) : e),
    );
    child.on('close', (code) => {
      const seconds = (now() - t0) / 1000;
      if (code === 0) resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), seconds });
      else reject(new Error(`ocr.bench: ${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`));
    });
  });
}

const NATIVE_ENV: NodeJS.ProcessEnv = { ...process.env, OMP_THREAD_LIMIT: '1' };

/** The tesseract CLI as it is used: one process per image, one OpenMP thread. */
function native(png: string, langs = NATIVE_LANGS, extra: readonly string[] = []): Promise<{ stdout: string; seconds: number }> {
  return run('tesseract', [png, '-', '-l', langs, '--tessdata-dir', tessdata, ...extra], NATIVE_ENV);
}

/** A page from the CLI's plain text: its lines, no boxes. */
function textPage(text: string): TextPage {
  return { lines: text.split('\n').map((s) => s.trim()).filter(Boolean).map((s): TextLine => ({ text: s })) };
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Words as compared for recall: capitals, letters and digits only. */
function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .map((w) => w.toUpperCase().replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w.length >= 2);
}

/** Share of the page's printed words that the text read contains (each occurrence counted once). */
function wordRecall(s: { readonly words: readonly string[] }, text: string): number {
  const got = new Map<string, number>();
  for (const w of wordsOf(text)) got.set(w, (got.get(w) ?? 0) + 1);
  const truth = wordsOf(s.words.join(' '));
  let found = 0;
  for (const w of truth) {
    const n = got.get(w) ?? 0;
    if (n > 0) {
      found++;
      got.set(w, n - 1);
    }
  }
  return truth.length ? found / truth.length : 1;
}

/** Runs `fn` over `items` with at most `n` at once, in order of the items. */
async function inFlight<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  return out;
}

function band(r: PageRaster, from: number, to: number): Rect {
  // As ocr-page.ts cuts its stamp areas.
  const top = Math.max(0, Math.floor(r.height * from));
  const bottom = Math.min(r.height, Math.ceil(r.height * to));
  return { left: 0, top, width: r.width, height: Math.max(1, bottom - top) };
}

function levenshtein(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[B.length]!;
}

/**
 * The OCR'd stamp line of a band: of every line and every column part of a line (parts split at
 * wide gaps, as grif rejoins them), upper-cased and with runs of spaces collapsed, the one
 * nearest the expected marking.
 */
function stampLine(lines: readonly OcrLine[], expected: string): string {
  let best = '';
  let bestD = Infinity;
  for (const l of lines) {
    const joined = toTextLine(l, 1)?.text ?? l.text;
    for (const cand of [joined, ...joined.split(/\s{3,}/)]) {
      const c = cand.trim().replace(/\s+/g, ' ').toUpperCase();
      if (!c) continue;
      const d = levenshtein(c, expected);
      if (d < bestD) [best, bestD] = [c, d];
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Setup (untimed)

interface Scan {
  readonly name: string;
  readonly lang: Lang;
  readonly level: Level;
  /** The stamp as printed: the treaty spelling in capitals. */
  readonly marking: string;
  readonly pngPath: string;
  readonly bandPath: string;
  /** The page shrunk to 200 dpi (sharp), for native tesseract at grif's body resolution. */
  readonly png200Path: string;
  /** The words printed on the page (ground truth). */
  readonly words: readonly string[];
  readonly raster: PageRaster;
  /** The top band as grif encodes it for tesseract.js. */
  readonly bandPng: Buffer;
}

const right = (v: Verdict, s: Scan): boolean => v.status === 'marked' && v.level === s.level;

const loadBefore = loadavg().map((x) => round(x, 2));
const manifest = await makeFixtures(fixturesDir);
const work = await mkdtemp(join(tmpdir(), 'grif-ocr-bench-'));
const scans: Scan[] = [];
try {
  for (const f of manifest.fixtures) {
    const m = /^scan-(kk|ky|ru)-(special-importance|top-secret|secret)-300\.pdf$/.exec(f.file);
    if (!m) continue;
    const lang = m[1] as Lang;
    const level = m[2] as Level;
    const stem = f.file.replace(/\.pdf$/, '');
    const prefix = join(work, stem);
    await run('pdfimages', ['-png', join(fixturesDir, f.file), prefix]);
    const images = (await readdir(work)).filter((n) => n.startsWith(stem + '-') && n.endsWith('.png'));
    if (images.length !== 1) throw new Error(`ocr.bench: ${f.file} gave ${images.length} images, not 1`);
    const pngPath = join(work, images[0]!);
    const raster = await decodeRaster(await readFile(pngPath));
    const top = band(raster, 0, STAMP_BANDS.top);
    const bandPng = await toPng(raster, top);
    const bandPath = join(work, `${stem}-top.png`);
    await writeFile(bandPath, bandPng);
    const png200Path = join(work, `${stem}-200.png`);
    await writeFile(png200Path, await toPng(await shrink(raster, raster.dpi / 200)));
    const words = scanPageWords(lang, level as FixtureLevel);
    scans.push({ name: stem, lang, level, marking: levelRow(level).spelling[lang].toUpperCase(), pngPath, bandPath, png200Path, raster, bandPng, words });
  }
  if (scans.length !== 9) throw new Error(`ocr.bench: found ${scans.length} 300-dpi scans in ${fixturesDir}, not 9`);
  scans.sort((a, b) => a.name.localeCompare(b.name));
  const first = scans[0]!.raster;
  log(`${scans.length} pages, ${first.width}×${first.height} px at ${first.dpi} dpi, in ${work}`);

  // -------------------------------------------------------------------------------------------
  // 1. Per page, one thread

  interface ModeResult {
    readonly seconds: number[];
    readonly correct: number;
    readonly detail: string[];
    /** grif only: pages the stamp areas decided (no full-page read). */
    readonly stampAreas?: number;
    /** Share of the printed words (ground truth) found in the text read, per page. */
    readonly recall: number[];
  }
  const summary = (r: ModeResult) => ({
    medianSeconds: round(median(r.seconds)),
    minSeconds: round(Math.min(...r.seconds)),
    maxSeconds: round(Math.max(...r.seconds)),
    correct: r.correct,
    pages: r.seconds.length,
    ...(r.stampAreas === undefined ? {} : { stampAreasDecided: r.stampAreas }),
    wordRecall: round(mean(r.recall), 3),
  });

  async function grifMode(pool: TesseractPool, fullPage: boolean): Promise<ModeResult> {
    await ocrPage(scans[0]!.raster, pool, { fullPage, unitsPerPixel: UNITS_PER_PIXEL }); // warm-up
    const seconds: number[] = [];
    const detail: string[] = [];
    let correct = 0;
    let stampAreas = 0;
    const recall: number[] = [];
    for (const s of scans) {
      const t0 = now();
      const res = await ocrPage(s.raster, pool, { fullPage, unitsPerPixel: UNITS_PER_PIXEL });
      seconds.push((now() - t0) / 1000);
      const v = examine({ pages: [res.page] });
      recall.push(wordRecall(s, res.page.lines.map((l) => l.text).join('\n')));
      if (right(v, s)) correct++;
      else detail.push(`${fullPage ? 'grif full page' : 'grif stamp-first'} ${s.name}: ${v.status}${v.level ? ' ' + v.level : ''} via ${res.source}`);
      if (res.source === 'ocr-stamp-areas') stampAreas++;
    }
    return { seconds, correct, detail, stampAreas, recall };
  }

  async function nativeMode(which: 'page' | 'band' | 'page-200'): Promise<ModeResult> {
    const input = (s: Scan): string => (which === 'page' ? s.pngPath : which === 'band' ? s.bandPath : s.png200Path);
    await native(input(scans[0]!)); // warm-up (page cache)
    const seconds: number[] = [];
    const detail: string[] = [];
    const recall: number[] = [];
    let correct = 0;
    for (const s of scans) {
      const r = await native(input(s));
      seconds.push(r.seconds);
      recall.push(wordRecall(s, r.stdout));
      const v = examine({ pages: [textPage(r.stdout)] });
      if (right(v, s)) correct++;
      else detail.push(`native ${which} ${s.name}: ${v.status}${v.level ? ' ' + v.level : ''}`);
    }
    return { seconds, correct, detail, recall };
  }

  log('1. per page, one thread');
  const pool1 = new TesseractPool({ workers: 1, tessdata });
  const stampFirst = await grifMode(pool1, false);
  log(`   grif stamp-first: median ${median(stampFirst.seconds).toFixed(2)} s`);
  const grifFull = await grifMode(pool1, true);
  log(`   grif full page: median ${median(grifFull.seconds).toFixed(2)} s`);
  await pool1.close();
  const nativeFull = await nativeMode('page');
  log(`   native full page: median ${median(nativeFull.seconds).toFixed(2)} s`);
  const nativeBand = await nativeMode('band');
  log('   native full page at 200 dpi (shrunk with sharp), for comparison at grif\'s body resolution');
  const native200 = await nativeMode('page-200');
  log(`   native top band: median ${median(nativeBand.seconds).toFixed(2)} s`);
  // 1b. What finding stamp regions costs: pixel work on the main thread, no OCR (these pages of
  //     upright black print have none, so stamp-first reads nothing more for it).
  log('1b. stamp-region finding');
  const regionMs: number[] = [];
  let regionsFound = 0;
  for (const s of scans) {
    findStampRegions(s.raster); // warm-up
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = now();
      regionsFound += i === 0 ? findStampRegions(s.raster).length : (findStampRegions(s.raster), 0);
      runs.push(now() - t);
    }
    regionMs.push(median(runs));
  }
  log(`   median ${median(regionMs).toFixed(1)} ms/page, ${regionsFound} regions on ${scans.length} pages`);
  const maxRssBeforePoolKiB = process.resourceUsage().maxRSS;

  // -------------------------------------------------------------------------------------------
  // 2. Throughput with both cores busy, 3. peak memory of the 2-worker pool

  log('2. throughput, 2 in flight');
  const pool2 = new TesseractPool({ workers: 2, tessdata });
  // Warm-up: two pages at once start both workers and load their models.
  await Promise.all(scans.slice(0, 2).map((s) => ocrPage(s.raster, pool2, { fullPage: false, unitsPerPixel: UNITS_PER_PIXEL })));
  let sampledPeakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
  }, 50);
  let t0 = now();
  const tpGrif = await inFlight(scans, 2, async (s) => {
    const res = await ocrPage(s.raster, pool2, { fullPage: false, unitsPerPixel: UNITS_PER_PIXEL });
    return right(examine({ pages: [res.page] }), s);
  });
  const tpGrifSeconds = (now() - t0) / 1000;
  clearInterval(sampler);
  const maxRssKiB = process.resourceUsage().maxRSS;
  await pool2.close();
  log(`   grif stamp-first: ${(scans.length / tpGrifSeconds).toFixed(2)} pages/s`);

  t0 = now();
  const tpNative = await inFlight(scans, 2, async (s) => right(examine({ pages: [textPage((await native(s.pngPath)).stdout)] }), s));
  const tpNativeSeconds = (now() - t0) / 1000;
  log(`   native full page: ${(scans.length / tpNativeSeconds).toFixed(2)} pages/s`);

  // -------------------------------------------------------------------------------------------
  // 4. Model choice on the top band

  log('4. model choice on the top band');
  interface ModelResult {
    readonly model: string;
    readonly seconds: number[];
    readonly exact: number;
    readonly specialExact: number;
    /** kk/ky stamps whose letters are all right once anything but letters and spaces is dropped. */
    readonly specialLetters: number;
    readonly special: number;
    readonly correct: number;
    readonly got: string[];
    readonly wrong: string[];
  }
  const SPECIAL = /[ҚҰӨҢҮ]/u;
  const lettersOf = (t: string): string => t.replace(/[^\p{L} ]/gu, '').trim();
  async function model(langs: readonly string[]): Promise<ModelResult> {
    const pool = new TesseractPool({ workers: 1, tessdata, langs });
    try {
      await pool.recognize(scans[0]!.bandPng); // warm-up
      const seconds: number[] = [];
      const got: string[] = [];
      let exact = 0;
      let specialExact = 0;
      let specialLetters = 0;
      let special = 0;
      let correct = 0;
      const wrong: string[] = [];
      for (const s of scans) {
        const t = now();
        const lines = await pool.recognize(s.bandPng);
        seconds.push((now() - t) / 1000);
        const line = stampLine(lines, s.marking);
        got.push(line);
        const ok = line === s.marking;
        if (ok) exact++;
        if (SPECIAL.test(s.marking)) {
          special++;
          if (ok) specialExact++;
          if (lettersOf(line) === lettersOf(s.marking)) specialLetters++;
        }
        const page: TextPage = {
          lines: lines.map((l) => toTextLine(l, UNITS_PER_PIXEL)).filter((l): l is TextLine => l !== null),
          width: s.raster.width * UNITS_PER_PIXEL,
          height: s.raster.height * UNITS_PER_PIXEL,
        };
        const v = examine({ pages: [page] });
        if (right(v, s)) correct++;
        else wrong.push(`${langs.join('+')} top band ${s.name}: ${v.status}${v.level ? ' ' + v.level : ''} (stamp line read "${line}")`);
      }
      return { model: langs.join('+'), seconds, exact, specialExact, specialLetters, special, correct, got, wrong };
    } finally {
      await pool.close();
    }
  }
  const models = [await model(OCR_LANGS), await model(['Cyrillic'])];

  // -------------------------------------------------------------------------------------------
  // 5. Rubber stamps: colour scans with framed stamps turned -20°…+20° (scripts/make-stamps.ts),
  //    read as the CLI reads them (readCarrier, one worker) against native tesseract on the page

  log('5. rubber stamps');
  const stampDir = join(fixturesDir, 'stamps');
  const stampFixtures = (await makeStamps(stampDir)).fixtures;
  const session1 = createExtractSession({ workers: 1 });
  interface StampRun {
    readonly file: string;
    readonly expected: string;
    readonly grif: string;
    readonly grifSeconds: number;
    readonly native: string;
    readonly nativeSeconds: number;
    readonly regionMs: number;
  }
  const verdictOf = (v: Verdict): string => `${v.status}${v.level ? ' ' + v.level : ''}`;
  const stampRuns: StampRun[] = [];
  try {
    await readCarrier(join(stampDir, stampFixtures[0]!.file), session1); // warm-up
    for (const f of stampFixtures) {
      const path = join(stampDir, f.file);
      let t = now();
      const v = examine(await readCarrier(path, session1));
      const grifSeconds = (now() - t) / 1000;
      // The page image for native tesseract and for timing the region finding alone.
      let image = path;
      if (f.file.endsWith('.pdf')) {
        const prefix = join(work, `stamp-${f.file.replace(/\.pdf$/, '')}`);
        await run('pdfimages', ['-png', path, prefix]);
        image = `${prefix}-000.png`;
      }
      const raster = await decodeRaster(await readFile(image));
      t = now();
      findStampRegions(raster);
      const regionMs = now() - t;
      const n = await native(image);
      stampRuns.push({
        file: f.file,
        expected: `${f.expect.status}${f.expect.level ? ' ' + f.expect.level : ''}`,
        grif: verdictOf(v),
        grifSeconds,
        native: verdictOf(examine({ pages: [textPage(n.stdout)] })),
        nativeSeconds: n.seconds,
        regionMs,
      });
      log(`   ${f.file}: grif ${verdictOf(v)} ${grifSeconds.toFixed(2)} s, native ${stampRuns.at(-1)!.native} ${n.seconds.toFixed(2)} s`);
    }
  } finally {
    await session1.close();
  }

  // -------------------------------------------------------------------------------------------
  // Profile (optional): where the time goes

  let profile: Record<string, unknown> | null = null;
  if (opts.profile) {
    log('profile');
    const ms = (s: number): number => round(s * 1000, 1);
    const rect = (r: PageRaster) => ({ top: band(r, 0, STAMP_BANDS.top), bottom: band(r, 1 - STAMP_BANDS.bottom, 1) });
    async function timeOf<T>(fn: () => Promise<T>): Promise<[number, T]> {
      const t = now();
      const v = await fn();
      return [(now() - t) / 1000, v];
    }
    // PNG encoding on the main thread (sharp), as ocr-page.ts does it.
    const enc = { full: [] as number[], top: [] as number[], bottom: [] as number[], fullBytes: [] as number[], topBytes: [] as number[], bottomBytes: [] as number[] };
    const fullPngs: Buffer[] = [];
    const halfPngs: Buffer[] = [];
    await toPng(scans[0]!.raster);
    for (const s of scans) {
      const [a, full] = await timeOf(() => toPng(s.raster));
      const [b, top] = await timeOf(() => toPng(s.raster, rect(s.raster).top));
      const [c, bottom] = await timeOf(() => toPng(s.raster, rect(s.raster).bottom));
      enc.full.push(a);
      enc.top.push(b);
      enc.bottom.push(c);
      enc.fullBytes.push(full.length);
      enc.topBytes.push(top.length);
      enc.bottomBytes.push(bottom.length);
      fullPngs.push(full);
      halfPngs.push(await toPng(await shrink(s.raster, 2)));
    }
    const decode: number[] = [];
    for (const s of scans) decode.push((await timeOf(async () => decodeRaster(await readFile(s.pngPath))))[0]);

    // tesseract.js directly, set up as the pool sets it up, with one option changed at a time.
    const worker: Worker = await createWorker([...OCR_LANGS], OEM.LSTM_ONLY, { langPath: tessdata, gzip: false, cacheMethod: 'none' });
    await worker.setParameters({ preserve_interword_spaces: '1', debug_file: '/dev/null' });
    // A blank 64 × 64 corner of a page: the fixed cost of one call.
    const tiny = await toPng(scans[0]!.raster, { left: 0, top: 0, width: 64, height: 64 });
    type Out = { blocks?: boolean; text?: boolean; layoutBlocks?: boolean };
    const blocks: Out = { blocks: true, text: false };
    const variants: Array<{ name: string; psm: PSM; rotateAuto: boolean; out: Out; images: Buffer[] }> = [
      { name: 'as the pool: rotateAuto, PSM 6 (tesseract.js default), blocks', psm: PSM.SINGLE_BLOCK, rotateAuto: true, out: blocks, images: fullPngs },
      { name: 'rotateAuto, PSM 3 (as the CLI), blocks', psm: PSM.AUTO, rotateAuto: true, out: blocks, images: fullPngs },
      { name: 'no rotateAuto, PSM 6, blocks', psm: PSM.SINGLE_BLOCK, rotateAuto: false, out: blocks, images: fullPngs },
      { name: 'rotateAuto, PSM 6, text only (no blocks JSON)', psm: PSM.SINGLE_BLOCK, rotateAuto: true, out: { text: true, blocks: false }, images: fullPngs },
      { name: 'layout only, PSM 3 (no recognition)', psm: PSM.AUTO, rotateAuto: false, out: { layoutBlocks: true, text: false, blocks: false }, images: fullPngs },
      { name: 'rotateAuto, PSM 3, blocks, page at 150 dpi', psm: PSM.AUTO, rotateAuto: true, out: blocks, images: halfPngs },
    ];
    const jsVariants: Array<{ name: string; medianMs: number; correct: number }> = [];
    for (const v of variants) {
      await worker.setParameters({ tessedit_pageseg_mode: v.psm });
      const out = v.out;
      await worker.recognize(v.images[0]!, { rotateAuto: v.rotateAuto }, out); // warm-up
      const secs: number[] = [];
      let correct = 0;
      for (const [i, img] of v.images.entries()) {
        const [t, res] = await timeOf(() => worker.recognize(img, { rotateAuto: v.rotateAuto }, out));
        secs.push(t);
        const s = scans[i]!;
        const text = out.text
          ? (res.data.text ?? '')
          : ((res.data.blocks ?? []) as Array<{ paragraphs: Array<{ lines: Array<{ text: string }> }> }>)
              .flatMap((b) => b.paragraphs.flatMap((p) => p.lines.map((l) => l.text)))
              .join('\n');
        if (!out.layoutBlocks && right(examine({ pages: [textPage(text)] }), s)) correct++;
      }
      jsVariants.push({ name: v.name, medianMs: ms(median(secs)), correct });
      log(`   tesseract.js ${v.name}: ${ms(median(secs))} ms`);
    }
    await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK });
    const tinyJs: number[] = [];
    for (let i = 0; i < 10; i++) tinyJs.push((await timeOf(() => worker.recognize(tiny, { rotateAuto: true }, { blocks: true, text: false })))[0]);
    await worker.terminate();

    // Native: start-up and model loading alone, the band pair stamp-first reads, and PSM 6.
    const tinyPath = join(work, 'tiny.png');
    await writeFile(tinyPath, tiny);
    const tinyNative: number[] = [];
    for (let i = 0; i < 5; i++) tinyNative.push((await native(tinyPath)).seconds);
    const bottomPaths: string[] = [];
    for (const s of scans) {
      const p = join(work, `${s.name}-bottom.png`);
      await writeFile(p, await toPng(s.raster, rect(s.raster).bottom));
      bottomPaths.push(p);
    }
    const nativeBands: number[] = [];
    for (const [i, s] of scans.entries()) nativeBands.push((await native(s.bandPath)).seconds + (await native(bottomPaths[i]!)).seconds);
    const nativePsm6: number[] = [];
    let nativePsm6Correct = 0;
    for (const s of scans) {
      const r = await native(s.pngPath, NATIVE_LANGS, ['--psm', '6']);
      nativePsm6.push(r.seconds);
      if (right(examine({ pages: [textPage(r.stdout)] }), s)) nativePsm6Correct++;
    }

    profile = {
      encodePngMs: { fullPage: ms(median(enc.full)), topBand: ms(median(enc.top)), bottomBand: ms(median(enc.bottom)) },
      pngKiB: { fullPage: round(median(enc.fullBytes) / 1024, 0), topBand: round(median(enc.topBytes) / 1024, 0), bottomBand: round(median(enc.bottomBytes) / 1024, 0) },
      decodeRasterMs: ms(median(decode)),
      tesseractJsFullPage: jsVariants,
      tesseractJsTinyImageMs: ms(median(tinyJs)),
      nativeTinyImageMs: ms(median(tinyNative)),
      nativeTopPlusBottomBandMs: ms(median(nativeBands)),
      nativeFullPagePsm6: { medianMs: ms(median(nativePsm6)), correct: nativePsm6Correct },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Report

  const sf = median(stampFirst.seconds);
  const gf = median(grifFull.seconds);
  const nf = median(nativeFull.seconds);
  const speedup = nf / sf;
  const fullRatio = gf / nf;
  const maxRssBytes = maxRssKiB * 1024;
  const met = {
    stampFirstSpeedup: speedup >= TARGETS.stampFirstSpeedup,
    fullPageRatio: fullRatio <= TARGETS.fullPageRatio,
    maxRss: maxRssBytes < TARGETS.maxRssBytes,
  };
  const mib = (bytes: number): number => round(bytes / 1024 ** 2, 0);

  const result = {
    bench: 'ocr',
    node: process.version,
    cpus: cpus().length,
    loadavg: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
    pages: scans.length,
    pixels: `${first.width}x${first.height}`,
    dpi: first.dpi,
    perPageOneThread: {
      wrongVerdicts: [...stampFirst.detail, ...grifFull.detail, ...nativeFull.detail, ...nativeBand.detail, ...native200.detail],
      grifStampFirst: summary(stampFirst),
      grifFullPage: summary(grifFull),
      nativeFullPage: summary(nativeFull),
      nativeTopBand: summary(nativeBand),
      nativeFullPage200Dpi: summary(native200),
    },
    throughputTwoCores: {
      grifStampFirst2Workers: { pagesPerSec: round(scans.length / tpGrifSeconds, 2), seconds: round(tpGrifSeconds, 2), correct: tpGrif.filter(Boolean).length },
      nativeFullPage2Processes: { pagesPerSec: round(scans.length / tpNativeSeconds, 2), seconds: round(tpNativeSeconds, 2), correct: tpNative.filter(Boolean).length },
    },
    memory: {
      maxRssMiB: mib(maxRssBytes),
      maxRssBeforePoolMiB: mib(maxRssBeforePoolKiB * 1024),
      sampledPeakRssDuringThroughputMiB: mib(sampledPeakRss),
    },
    models: models.map((m) => ({
      model: m.model,
      stampExact: m.exact,
      kkKyStampExact: m.specialExact,
      kkKyStampLettersRight: m.specialLetters,
      kkKyStamps: m.special,
      verdictCorrect: m.correct,
      medianSecondsPerBand: round(median(m.seconds)),
      got: m.got,
      wrongVerdicts: m.wrong,
    })),
    regionFinding: { medianMsPerPage: round(median(regionMs), 1), regionsOnCleanPages: regionsFound },
    rubberStamps: {
      pages: stampRuns.length,
      grifRight: stampRuns.filter((r) => r.grif === r.expected).length,
      nativeRight: stampRuns.filter((r) => r.native === r.expected).length,
      grifMedianSeconds: round(median(stampRuns.map((r) => r.grifSeconds))),
      nativeMedianSeconds: round(median(stampRuns.map((r) => r.nativeSeconds))),
      regionFindingMedianMs: round(median(stampRuns.map((r) => r.regionMs)), 1),
      runs: stampRuns,
    },
    targets: {
      stampFirstSpeedup: { value: round(speedup, 2), target: `>= ${TARGETS.stampFirstSpeedup} (aim ${TARGETS.stampFirstSpeedupAim})`, met: met.stampFirstSpeedup },
      fullPageRatio: { value: round(fullRatio, 2), target: `<= ${TARGETS.fullPageRatio}`, met: met.fullPageRatio },
      maxRss: { valueMiB: mib(maxRssBytes), target: '< 1024 MiB', met: met.maxRss },
    },
    ...(profile ? { profile } : {}),
  };

  if (opts.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const out: string[] = [];
    const p = (s = ''): void => void out.push(s);
    const sec = (x: number): string => x.toFixed(2).padStart(6);
    const row = (name: string, r: ModeResult, extra = ''): void =>
      p(`  ${name.padEnd(24)} ${sec(median(r.seconds))} ${sec(Math.min(...r.seconds))} ${sec(Math.max(...r.seconds))}   ${(mean(r.recall) * 100).toFixed(1).padStart(5)}%   ${r.correct}/${r.seconds.length}${extra}`);
    p(`OCR benchmark: ${scans.length} scanned pages (kk, ky, ru × 3 levels), ${first.width}×${first.height} px at ${first.dpi} dpi; node ${process.version}, ${cpus().length} CPUs`);
    p(`load average (1/5/15 min) before ${result.loadavg.before.join(' ')}, after ${result.loadavg.after.join(' ')}`);
    p();
    p('1. Per page, one thread (seconds per page, after one warm-up page)');
    p(`  ${'mode'.padEnd(24)} ${'median'.padStart(6)} ${'min'.padStart(6)} ${'max'.padStart(6)}   words read   verdict right`);
    row('grif stamp-first', stampFirst, `   (stamp areas decided ${stampFirst.stampAreas}/${scans.length})`);
    row('grif full page', grifFull);
    row('native full page', nativeFull);
    row('native top band', nativeBand);
    row('native full, 200 dpi', native200);
    p();
    p('2. Throughput, both cores busy (9 pages, 2 in flight)');
    p(`  grif stamp-first, pool of 2 workers   ${result.throughputTwoCores.grifStampFirst2Workers.pagesPerSec.toFixed(2)} pages/s  (${tpGrifSeconds.toFixed(1)} s, right ${result.throughputTwoCores.grifStampFirst2Workers.correct}/9)`);
    p(`  native full page, 2 processes         ${result.throughputTwoCores.nativeFullPage2Processes.pagesPerSec.toFixed(2)} pages/s  (${tpNativeSeconds.toFixed(1)} s, right ${result.throughputTwoCores.nativeFullPage2Processes.correct}/9)`);
    p();
    p('3. Peak memory of the 2-worker pool (this process, worker_threads included)');
    p(`  maxRSS after the throughput run   ${result.memory.maxRssMiB} MiB   (before the pool: ${result.memory.maxRssBeforePoolMiB} MiB; sampled peak RSS during the run: ${result.memory.sampledPeakRssDuringThroughputMiB} MiB)`);
    p();
    p('4. Model choice, tesseract.js on the top 22% band (stamp line exactly right; verdict right; median s/band)');
    for (const m of models) {
      p(`  ${m.model.padEnd(12)} stamp exact ${m.exact}/9 (kk/ky stamps with ҚҰӨҢҮ: ${m.specialExact}/${m.special} exact, ${m.specialLetters}/${m.special} letters right)   verdict ${m.correct}/9   ${median(m.seconds).toFixed(2)} s/band`);
    }
    p(`  ${'expected'.padEnd(24)} ${models.map((m) => m.model.padEnd(24)).join(' ')}`);
    for (const [i, s] of scans.entries()) p(`  ${s.marking.padEnd(24)} ${models.map((m) => (m.got[i] === s.marking ? 'ok' : m.got[i] || '—').padEnd(24)).join(' ')}`);
    p();
    p(`1b. Stamp-region finding (main thread, no OCR): median ${result.regionFinding.medianMsPerPage} ms/page; regions on these ${scans.length} clean pages: ${regionsFound}`);
    p();
    const rs = result.rubberStamps;
    p(`5. Rubber stamps (${rs.pages} colour scans, stamps turned -20°…+20°, 150–300 dpi): verdict right, grif ${rs.grifRight}/${rs.pages}, native full page ${rs.nativeRight}/${rs.pages}`);
    p(`  median s/page: grif (as the CLI, one worker) ${rs.grifMedianSeconds}, native ${rs.nativeMedianSeconds}; region finding ${rs.regionFindingMedianMs} ms/page`);
    for (const r of stampRuns) p(`  ${r.file.padEnd(50)} expected ${r.expected.padEnd(28)} grif ${(r.grif === r.expected ? 'ok' : r.grif).padEnd(26)} ${r.grifSeconds.toFixed(2)} s   native ${(r.native === r.expected ? 'ok' : r.native).padEnd(26)} ${r.nativeSeconds.toFixed(2)} s`);
    p();
    p('Targets');
    p(`  stamp-first ≥ ${TARGETS.stampFirstSpeedup}× faster than native full page (aim ${TARGETS.stampFirstSpeedupAim}×): ${speedup.toFixed(2)}×   ${met.stampFirstSpeedup ? 'MET' : 'MISSED'}`);
    p(`  grif full page within ${TARGETS.fullPageRatio}× of native:            ${fullRatio.toFixed(2)}×   ${met.fullPageRatio ? 'MET' : 'MISSED'}`);
    p(`  peak memory of the 2-worker pool < 1 GiB:     ${result.memory.maxRssMiB} MiB   ${met.maxRss ? 'MET' : 'MISSED'}`);
    if (profile) {
      p();
      p('Profile');
      for (const [k, v] of Object.entries(profile)) p(`  ${k}: ${JSON.stringify(v)}`);
    }
    const wrong = [...stampFirst.detail, ...grifFull.detail, ...nativeFull.detail, ...nativeBand.detail, ...native200.detail, ...models.flatMap((m) => m.wrong)];
    if (wrong.length) {
      p();
      p('Wrong verdicts:');
      for (const d of wrong) p(`  ${d}`);
    }
    process.stdout.write(out.join('\n') + '\n');
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
