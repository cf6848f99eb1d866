/**
 * Stamping benchmark: grif's whole stamping stage (stampFile) and its stamp-only part (stampPdf)
 * against `qpdf --overlay`, on multi-page scanned PDFs.
 *
 * Untimed setup, in a temporary folder:
 *  - the fixtures of scripts/make-fixtures.ts are made (or reused) in --fixtures; the embedded
 *    page image of each of the nine one-page 300-dpi scans scan-{kk,ky,ru}-{level}-300.pdf is
 *    taken out with poppler's `pdfimages -png`;
 *  - page N of a document is scan (N − 1) mod 9 (kk-secret first) with, on every page, the top
 *    region of the kk-secret scan (the stamp "ҚҰПИЯ / Дана № 2") pasted over its own top region,
 *    so the whole document is one consistent Kazakh "secret" carrier; each page gets its number
 *    at the foot and seeded specks, so every page image is distinct;
 *  - doc-10.pdf and doc-100.pdf are assembled with @cantoo/pdf-lib, each page one 8-bit grey PNG
 *    embedded unchanged (FlateDecode, PNG predictors) covering an A4 page; batch/copy-NN.pdf are
 *    10 byte-identical copies of doc-10.pdf;
 *  - stamp.pdf: one A4 page with only "ЖАШЫРУУН" in a frame at the top right (Noto Sans Bold,
 *    @cantoo/pdf-lib + @cantoo/fontkit), the overlay for qpdf.
 *
 * Measured, in one run:
 *  1. qpdf: `qpdf --overlay stamp.pdf --to=1 -- IN OUT`, spawned, wall clock from spawn to exit,
 *     median of --qpdf-runs runs (after one untimed run) per document, output bytes − input bytes,
 *     and whether OUT begins with IN's bytes;
 *  2. grif, one process, one createExtractSession({workers}) for everything: stampFile on the 10
 *     batch copies in turn (the first is reported apart: it starts the OCR workers), then on
 *     doc-100.pdf; then the same stage split into its phases (detection = extractCarrier, ink map,
 *     stampPdf, read-back = extractCarrier of the output, atomic write) on doc-10 and doc-100;
 *     then stampPdf alone (given the text already extracted) repeated --stamp-runs times, and
 *     inside it @cantoo/pdf-lib's load / embedFont+draw / commit;
 *  3. for every output: size growth and whether it begins with the input's bytes.
 *
 * Usage: node dist/bench/stamp.bench.js [--json] [--workers N] [--qpdf-runs N] [--stamp-runs N]
 *        [--fixtures DIR] [--keep]
 * Not a unit test. Needs qpdf and poppler-utils.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

import fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { PDFDocument as PlainPdf } from 'pdf-lib';
import sharp from 'sharp';

import { examine, planReceivingStamp, type CarrierText } from '../src/core/index.js';
import { createExtractSession, type ExtractSession } from '../src/extract/context.js';
import { openPdf } from '../src/extract/pdf/open-pdf.js';
import { renderPage } from '../src/extract/pdf/render-page.js';
import { extractCarrier, readInput } from '../src/extract/read-carrier.js';
import { inkMap, type InkMap } from '../src/stamp/ink-map.js';
import { stampFontkit, stampPdf, type StampPdfRequest } from '../src/stamp/pdf-stamper.js';
import { stampLines } from '../src/stamp/stamp-content.js';
import { stampFile, type StampOptions } from '../src/stamp/stamp-file.js';
import { writeAtomically } from '../src/stamp/write-output.js';
import { addScanPage, makeFixtures } from '../scripts/make-fixtures.js';
import { mulberry32, repoRoot } from '../scripts/dev-support.js';

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    workers: { type: 'string' },
    'qpdf-runs': { type: 'string', default: '9' },
    'stamp-runs': { type: 'string', default: '9' },
    fixtures: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});

const fixturesDir = resolve(opts.fixtures ?? join(repoRoot(), '.tmp', 'fixtures'));
const WORKERS = opts.workers ? Number(opts.workers) : availableParallelism();
const QPDF_RUNS = Number(opts['qpdf-runs']);
const STAMP_RUNS = Number(opts['stamp-runs']);
const BATCH = 10;
const DPI = 300;
const A4: [number, number] = [595.28, 841.89];

const TARGETS = {
  /** grif's time per document ÷ qpdf's must be at most this. */
  timeRatio: 1.5,
  /** Output bytes − input bytes per document must be under this. */
  growthBytes: 30 * 1024,
};

const log = (s: string): void => {
  process.stderr.write(`stamp.bench: ${s}\n`);
};

// ---------------------------------------------------------------------------------------------
// Helpers

const now = (): number => performance.now();
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const kb = (b: number): string => (b / 1024).toFixed(1);

function run(cmd: string, args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stderr }));
  });
}

async function startsWith(outFile: string, inFile: string): Promise<boolean> {
  const [o, i] = await Promise.all([readFile(outFile), readFile(inFile)]);
  return o.length >= i.length && o.subarray(0, i.length).equals(i);
}

const size = async (f: string): Promise<number> => (await stat(f)).size;

// ---------------------------------------------------------------------------------------------
// Carriers (untimed)

const SCANS = ['kk-secret', 'kk-top-secret', 'kk-special-importance', 'ky-secret', 'ky-top-secret', 'ky-special-importance', 'ru-secret', 'ru-top-secret', 'ru-special-importance'];
/** Share of the page height copied from the kk-secret scan onto every page: its stamp and copy line. */
const STAMP_REGION = 0.16;

interface Raster {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
}

async function scanRasters(dir: string): Promise<Raster[]> {
  const out: Raster[] = [];
  for (const name of SCANS) {
    const prefix = join(dir, name);
    const r = await run('pdfimages', ['-png', join(fixturesDir, `scan-${name}-300.pdf`), prefix]);
    if (r.code !== 0) throw new Error(`pdfimages failed on scan-${name}-300.pdf: ${r.stderr}`);
    const { data, info } = await sharp(`${prefix}-000.png`).greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    out.push({ pixels: data, width: info.width, height: info.height });
  }
  return out;
}

/** Page n (1-based) as a grey PNG: a base scan, the kk-secret stamp region on top, specks, its number. */
async function pageImage(n: number, total: number, scans: readonly Raster[]): Promise<Buffer> {
  const base = scans[(n - 1) % scans.length]!;
  const stampSrc = scans[0]!;
  const { width, height } = base;
  const px = Buffer.from(base.pixels);
  const rows = Math.round(STAMP_REGION * height);
  stampSrc.pixels.copy(px, 0, 0, rows * width);
  // Seeded specks in the body (not in the stamp region), 2–4 px, mid to dark grey.
  const rand = mulberry32(20060704 + n);
  for (let k = 0; k < 60; k++) {
    const s = 2 + Math.floor(rand() * 3);
    const x = Math.floor(rand() * (width - s));
    const y = Math.floor((0.25 + rand() * 0.6) * height);
    const v = Math.floor(40 + rand() * 120);
    for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) px[(y + dy) * width + x + dx] = v;
  }
  const label = `${n} / ${total}`;
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="120"><text x="${width / 2}" y="80" font-family="DejaVu Sans" font-size="42" text-anchor="middle" fill="#000">${label}</text></svg>`,
  );
  const withLabel = await sharp(px, { raw: { width, height, channels: 1 } })
    .composite([{ input: svg, top: Math.round(0.93 * height), left: 0 }])
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = await sharp(withLabel.data, { raw: { width, height, channels: withLabel.info.channels } })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return sharp(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
}

async function scannedPdf(pages: readonly Buffer[]): Promise<Uint8Array> {
  const doc = await PlainPdf.create({ updateMetadata: false });
  for (const image of pages) addScanPage(doc, image, DPI);
  return doc.save();
}

const FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf');

/** The overlay for qpdf: an A4 page with only "ЖАШЫРУУН" in a frame at the top right. */
async function stampPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(FONT_FILE), { subset: true });
  const page = doc.addPage(A4);
  const text = 'ЖАШЫРУУН';
  const sizePt = 13;
  const pad = 5;
  const w = font.widthOfTextAtSize(text, sizePt) + 2 * pad;
  const h = sizePt * 1.25 + 2 * pad;
  const x = A4[0] - 36 - w;
  const y = A4[1] - 104 - h; // under the sender's stamp (which ends about 95 pt from the top), above the letterhead (about 155 pt)
  const ink = rgb(0.08, 0.16, 0.55);
  page.drawRectangle({ x, y, width: w, height: h, borderColor: ink, borderWidth: 1.2 });
  page.drawText(text, { x: x + pad, y: y + pad + sizePt * 0.3, size: sizePt, font, color: ink });
  return doc.save();
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface QpdfResult {
  readonly doc: string;
  readonly pages: number;
  readonly inputBytes: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly growthBytes: number;
  readonly prefixKept: boolean;
}

async function measureQpdf(doc: string, pages: number, input: string, stamp: string, outDir: string): Promise<QpdfResult> {
  const out = join(outDir, `qpdf-${doc}.pdf`);
  const once = async (): Promise<number> => {
    const t = now();
    const r = await run('qpdf', ['--overlay', stamp, '--to=1', '--', input, out]);
    const dt = now() - t;
    if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf exited ${r.code}: ${r.stderr}`);
    return dt;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < QPDF_RUNS; i++) times.push(await once());
  return {
    doc,
    pages,
    inputBytes: await size(input),
    medianMs: median(times),
    minMs: Math.min(...times),
    growthBytes: (await size(out)) - (await size(input)),
    prefixKept: await startsWith(out, input),
  };
}

async function measureQpdfBatch(inputs: readonly string[], stamp: string, outDir: string): Promise<{ perDocMs: number; totalMs: number }> {
  const times: number[] = [];
  const t0 = now();
  for (const [i, input] of inputs.entries()) {
    const t = now();
    const r = await run('qpdf', ['--overlay', stamp, '--to=1', '--', input, join(outDir, `qpdf-batch-${i}.pdf`)]);
    if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf exited ${r.code}: ${r.stderr}`);
    times.push(now() - t);
  }
  return { perDocMs: median(times), totalMs: now() - t0 };
}

const STAMP_OPTIONS = (output: string): StampOptions => ({
  from: 'KZ',
  to: 'KG',
  russian: false,
  pages: 'first',
  registration: { date: new Date(Date.UTC(2025, 0, 15)) },
  output,
  force: true,
});

interface WholeRun {
  readonly file: string;
  readonly ms: number;
  readonly growthBytes: number;
  readonly prefixKept: boolean;
  readonly status: string;
}

async function stampWhole(input: string, output: string, session: ExtractSession): Promise<WholeRun> {
  const t = now();
  const r = await stampFile(input, STAMP_OPTIONS(output), session);
  const dt = now() - t;
  if (r.status !== 'stamped') throw new Error(`stampFile on ${input}: ${r.status === 'error' ? r.error : r.status === 'review' ? r.reasons.join('; ') : r.reason}`);
  return { file: input, ms: dt, growthBytes: (await size(output)) - (await size(input)), prefixKept: await startsWith(output, input), status: r.status };
}

/** stampFile's ink map, as stamp-file.ts makes it (first page, 1 px/pt). */
async function inkOfFirst(file: string, input: Uint8Array): Promise<Map<number, InkMap>> {
  const pdf = await openPdf(file, input);
  try {
    const page = await pdf.getPage(1);
    const r = await renderPage(page, 72);
    page.cleanup();
    return new Map([[1, inkMap(r.pixels, r.width, r.height)]]);
  } finally {
    await pdf.destroy();
  }
}

interface Phases {
  readonly doc: string;
  readonly readMs: number;
  readonly detectMs: number;
  readonly inkMs: number;
  readonly stampMs: number;
  readonly readBackMs: number;
  readonly writeMs: number;
  readonly totalMs: number;
  readonly request: StampPdfRequest;
}

/** stampFile's steps one by one, with the same functions, timed apart. */
async function phases(doc: string, file: string, output: string, session: ExtractSession): Promise<Phases> {
  const t0 = now();
  const input = await readInput(file, session);
  const t1 = now();
  const text: CarrierText = await extractCarrier(file, input, session);
  const verdict = examine(text);
  const plan = planReceivingStamp(verdict, { from: 'KZ', to: 'KG', russian: false });
  if (plan.action !== 'add') throw new Error(`${file}: plan ${plan.action}`);
  const t2 = now();
  const ink = await inkOfFirst(file, input);
  const t3 = now();
  const { createHash } = await import('node:crypto');
  const request: StampPdfRequest = {
    input,
    text,
    lines: stampLines(plan, STAMP_OPTIONS(output).registration),
    ink,
    stamps: verdict.stamps.flatMap((s) => (s.bbox ? [{ page: s.page, box: { x0: s.bbox[0], y0: s.bbox[1], x1: s.bbox[2], y1: s.bbox[3] } }] : [])),
    pages: 'first',
    record: { level: plan.level, from: 'KZ', to: 'KG', inputSha256: createHash('sha256').update(input).digest('hex') },
  };
  const { output: bytes } = await stampPdf(request);
  const t4 = now();
  const back = examine(await extractCarrier(file, bytes, session));
  if (back.status !== 'marked') throw new Error(`${file}: read-back ${back.status}`);
  const t5 = now();
  await writeAtomically(output, bytes, { inputs: [file], force: true });
  const t6 = now();
  return { doc, readMs: t1 - t0, detectMs: t2 - t1, inkMs: t3 - t2, stampMs: t4 - t3, readBackMs: t5 - t4, writeMs: t6 - t5, totalMs: t6 - t0, request };
}

interface StampOnly {
  readonly doc: string;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly loadMs: number;
  readonly fontDrawMs: number;
  readonly commitMs: number;
  readonly growthBytes: number;
}

let FONT: Uint8Array | undefined;

/** stampPdf alone, repeated; and a replica of its three @cantoo/pdf-lib steps, timed apart. */
async function stampOnly(doc: string, req: StampPdfRequest, first: number): Promise<StampOnly> {
  const times: number[] = [];
  let growth = 0;
  for (let i = 0; i < STAMP_RUNS; i++) {
    const t = now();
    const { output } = await stampPdf(req);
    times.push(now() - t);
    growth = output.length - req.input.length;
  }
  FONT ??= await readFile(FONT_FILE);
  const load: number[] = [];
  const fontDraw: number[] = [];
  const commit: number[] = [];
  for (let i = 0; i < STAMP_RUNS; i++) {
    const t0 = now();
    const d = await PDFDocument.load(req.input, { forIncrementalUpdate: true, updateMetadata: false });
    const t1 = now();
    d.registerFontkit(stampFontkit); // as stampPdf does: the font parsed once per process
    const font = await d.embedFont(FONT, { subset: true });
    d.getPages()[0]!.drawText('ЖАШЫРУУН', { x: 400, y: 700, size: 13, font, color: rgb(0.08, 0.16, 0.55) });
    const t2 = now();
    await d.commit();
    const t3 = now();
    load.push(t1 - t0);
    fontDraw.push(t2 - t1);
    commit.push(t3 - t2);
  }
  return { doc, firstMs: first, medianMs: median(times), loadMs: median(load), fontDrawMs: median(fontDraw), commitMs: median(commit), growthBytes: growth };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  log(`fixtures in ${fixturesDir}`);
  await makeFixtures(fixturesDir);
  const dir = await mkdtemp(join(tmpdir(), 'grif-stamp-bench-'));
  try {
    // --- untimed setup
    const scans = await scanRasters(dir);
    log('making 100 distinct page images');
    const images: Buffer[] = [];
    for (let n = 1; n <= 100; n++) images.push(await pageImage(n, 100, scans));
    // doc-10 has its own numbering ("n / 10"), so its pages are not doc-100's.
    const images10: Buffer[] = [];
    for (let n = 1; n <= 10; n++) images10.push(await pageImage(n, 10, scans));
    const doc10 = join(dir, 'doc-10.pdf');
    const doc100 = join(dir, 'doc-100.pdf');
    await writeFile(doc10, await scannedPdf(images10));
    await writeFile(doc100, await scannedPdf(images));
    await writeFile(join(dir, 'page-1.png'), images10[0]!);
    const batchDir = join(dir, 'batch');
    await mkdir(batchDir);
    const batch: string[] = [];
    for (let i = 1; i <= BATCH; i++) {
      const f = join(batchDir, `copy-${String(i).padStart(2, '0')}.pdf`);
      await copyFile(doc10, f);
      batch.push(f);
    }
    const stamp = join(dir, 'stamp.pdf');
    await writeFile(stamp, await stampPagePdf());
    const outDir = join(dir, 'out');
    await mkdir(outDir);
    log(`doc-10 ${kb(await size(doc10))} KiB, doc-100 ${kb(await size(doc100))} KiB, stamp.pdf ${kb(await size(stamp))} KiB, in ${dir}`);

    // --- 1. qpdf
    log('qpdf');
    const qpdf10 = await measureQpdf('doc-10', 10, doc10, stamp, outDir);
    const qpdf100 = await measureQpdf('doc-100', 100, doc100, stamp, outDir);
    const qpdfBatch = await measureQpdfBatch(batch, stamp, outDir);

    // --- 2. grif: one process, one session
    // How each page was read (stamp areas only, or stamp areas then the full page), over the whole run.
    const sources = new Map<string, number>();
    const session = createExtractSession({ workers: WORKERS, onProgress: (e) => sources.set(e.source, (sources.get(e.source) ?? 0) + 1) });
    try {
      log(`grif stampFile, batch of ${BATCH} × doc-10 (${WORKERS} OCR workers)`);
      const tb = now();
      const batchRuns: WholeRun[] = [];
      for (const [i, f] of batch.entries()) {
        batchRuns.push(await stampWhole(f, join(outDir, `grif-batch-${i}.pdf`), session));
        log(`  copy ${i + 1}: ${ms(batchRuns[i]!.ms)} ms`);
      }
      const batchTotal = now() - tb;
      log('grif stampFile, doc-100');
      const whole100 = await stampWhole(doc100, join(outDir, 'grif-doc-100.pdf'), session);
      log(`  ${ms(whole100.ms)} ms`);

      log('grif phases');
      const ph10 = await phases('doc-10', doc10, join(outDir, 'grif-ph-doc-10.pdf'), session);
      const ph100 = await phases('doc-100', doc100, join(outDir, 'grif-ph-doc-100.pdf'), session);

      log('grif stamp-only');
      // The first stampPdf of this process ran inside the batch; report the phase runs' figures
      // as "first after detection" and the repeated ones as warm.
      const so10 = await stampOnly('doc-10', ph10.request, ph10.stampMs);
      const so100 = await stampOnly('doc-100', ph100.request, ph100.stampMs);

      const warm = batchRuns.slice(1);
      const result = {
        when: new Date().toISOString(),
        workers: WORKERS,
        pageSources: Object.fromEntries(sources),
        inputs: { doc10Bytes: await size(doc10), doc100Bytes: await size(doc100), stampPdfBytes: await size(stamp) },
        qpdf: { doc10: qpdf10, doc100: qpdf100, batchPerDocMs: qpdfBatch.perDocMs, batchTotalMs: qpdfBatch.totalMs },
        grif: {
          batch: {
            firstMs: batchRuns[0]!.ms,
            warmMedianMs: median(warm.map((r) => r.ms)),
            warmMinMs: Math.min(...warm.map((r) => r.ms)),
            warmMaxMs: Math.max(...warm.map((r) => r.ms)),
            totalMs: batchTotal,
            growthBytes: [...new Set(batchRuns.map((r) => r.growthBytes))],
            prefixKept: batchRuns.every((r) => r.prefixKept),
          },
          doc100: { ms: whole100.ms, growthBytes: whole100.growthBytes, prefixKept: whole100.prefixKept },
          phases: [ph10, ph100].map(({ request: _r, ...p }) => p),
          stampOnly: [so10, so100],
        },
      };
      const r10 = result.grif.batch.warmMedianMs / qpdf10.medianMs;
      const r100 = whole100.ms / qpdf100.medianMs;
      const s10 = so10.medianMs / qpdf10.medianMs;
      const s100 = so100.medianMs / qpdf100.medianMs;
      const verdicts = {
        wholeStageTime10: r10 <= TARGETS.timeRatio,
        wholeStageTime100: r100 <= TARGETS.timeRatio,
        stampOnlyTime10: s10 <= TARGETS.timeRatio,
        stampOnlyTime100: s100 <= TARGETS.timeRatio,
        growth: batchRuns.every((r) => r.growthBytes < TARGETS.growthBytes) && whole100.growthBytes < TARGETS.growthBytes,
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...result, ratios: { r10, r100, s10, s100 }, targets: TARGETS, verdicts }, null, 2) + '\n');
        return;
      }
      const p = (s: string): void => {
        process.stdout.write(s + '\n');
      };
      p(`run ${result.when}, ${WORKERS} OCR workers; pages read, by source: ${[...sources].map(([k, v]) => `${k} ${v}`).join(', ')}`);
      p(`inputs: doc-10 ${result.inputs.doc10Bytes} B, doc-100 ${result.inputs.doc100Bytes} B, stamp.pdf ${result.inputs.stampPdfBytes} B`);
      p('');
      p('| | qpdf --overlay (median ms) | grif stampFile (ms) | grif stampPdf only (median ms) | whole ÷ qpdf | stamp-only ÷ qpdf | growth qpdf | growth grif | prefix qpdf / grif |');
      p('|---|---|---|---|---|---|---|---|---|');
      p(
        `| doc-10 (batch: 1st ${ms(batchRuns[0]!.ms)}, warm median of ${warm.length}) | ${ms(qpdf10.medianMs)} | ${ms(result.grif.batch.warmMedianMs)} | ${ms(so10.medianMs)} | ${r10.toFixed(1)}× | ${s10.toFixed(2)}× | ${qpdf10.growthBytes} B | ${result.grif.batch.growthBytes.join(', ')} B | ${qpdf10.prefixKept ? 'yes' : 'no'} / ${result.grif.batch.prefixKept ? 'yes' : 'no'} |`,
      );
      p(
        `| doc-100 | ${ms(qpdf100.medianMs)} | ${ms(whole100.ms)} | ${ms(so100.medianMs)} | ${r100.toFixed(1)}× | ${s100.toFixed(2)}× | ${qpdf100.growthBytes} B | ${whole100.growthBytes} B | ${qpdf100.prefixKept ? 'yes' : 'no'} / ${whole100.prefixKept ? 'yes' : 'no'} |`,
      );
      p('');
      p(`qpdf batch of ${BATCH} × doc-10: ${ms(qpdfBatch.perDocMs)} ms/doc median, ${ms(qpdfBatch.totalMs)} ms in all`);
      p(`grif batch of ${BATCH} × doc-10: first ${ms(batchRuns[0]!.ms)} ms, warm ${ms(result.grif.batch.warmMinMs)}–${ms(result.grif.batch.warmMaxMs)} ms (median ${ms(result.grif.batch.warmMedianMs)}), ${ms(batchTotal)} ms in all`);
      p('');
      p('| phases (ms) | read | detection (OCR) | ink map | stampPdf | read-back (OCR) | write | total |');
      p('|---|---|---|---|---|---|---|---|');
      for (const x of result.grif.phases) {
        p(`| ${x.doc} | ${ms(x.readMs)} | ${ms(x.detectMs)} | ${ms(x.inkMs)} | ${ms(x.stampMs)} | ${ms(x.readBackMs)} | ${ms(x.writeMs)} | ${ms(x.totalMs)} |`);
      }
      p('');
      p(`| stamp-only (median of ${STAMP_RUNS}, ms) | stampPdf | pdf-lib load | embedFont + draw | commit | growth |`);
      p('|---|---|---|---|---|---|');
      for (const x of [so10, so100]) p(`| ${x.doc} | ${ms(x.medianMs)} | ${ms(x.loadMs)} | ${ms(x.fontDrawMs)} | ${ms(x.commitMs)} | ${x.growthBytes} B |`);
      p('');
      p(`targets: time ≤ ${TARGETS.timeRatio}× qpdf, growth < ${TARGETS.growthBytes} B`);
      for (const [k, v] of Object.entries(verdicts)) p(`  ${k}: ${v ? 'met' : 'missed'}`);
    } finally {
      await session.close();
    }
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
