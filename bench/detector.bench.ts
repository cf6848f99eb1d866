/**
 * Detector throughput benchmark: pages of carrier text per second through `examine`, on one core.
 *
 * The corpus is built in memory, deterministically (seeded PRNG), from the real agreement text
 * (samples/seeds/agreement-kz-kg-2006.kk.txt in the repository):
 *   prose   40-line slices of the seed (some hold its Article 3 table of markings), no stamp;
 *   stamped the same with a stamp block in the top lines (Russian, Kazakh, Kyrgyz, letter-spaced,
 *           Latin look-alikes, national labels, garbled or crowded stamps, and a few carriers whose
 *           pages carry two different levels);
 *   lists   pages of short lines (numbered items), some of them stamped.
 *
 * Usage: node dist/bench/detector.bench.js [--json] [--min PAGES_PER_SEC] [--pages N] [--runs N]
 *                                          [--warmup PAGES] [--seed N] [--seed-file PATH] [--digest]
 *                                          [--ocr-noise P]
 * --ocr-noise P gives each word of the body text (not the stamps) probability P of one letter
 * replaced by another, as OCR does. The seed has only a few thousand distinct words, so without
 * noise every word repeats and any per-word cache in the detector is always warm; with noise the
 * vocabulary grows to hundreds of thousands of word forms, as in a large real archive.
 * --digest adds (untimed) a SHA-256 of every verdict, to check that a speed-up changed no verdict.
 * Exits 1 when --min is given and the median pages/second is below it. Not a unit test.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { examine, type CarrierText, type Status } from '../src/core/index.js';
import { textToCarrier } from '../src/extract/text-file.js';
import { mulberry32, repoRoot } from '../scripts/dev-support.js';

const LINES_PER_PAGE = 40;
const SEED_NAME = 'agreement-kz-kg-2006.kk.txt';

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    digest: { type: 'boolean', default: false },
    min: { type: 'string' },
    pages: { type: 'string', default: '24000' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20060704' },
    'seed-file': { type: 'string' },
    'ocr-noise': { type: 'string', default: '0' },
  },
  strict: true,
});

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer, got "${value}"\n`);
    process.exit(2);
  }
  return n;
}

const targetPages = positiveInt('pages', opts.pages);
const runs = positiveInt('runs', opts.runs);
const warmupPages = positiveInt('warmup', opts.warmup);
const prngSeed = positiveInt('seed', opts.seed);
const ocrNoise = Number(opts['ocr-noise']);
if (!(ocrNoise >= 0 && ocrNoise <= 1)) {
  process.stderr.write(`--ocr-noise must be a probability in [0, 1], got "${opts['ocr-noise']}"\n`);
  process.exit(2);
}
let minPagesPerSec: number | undefined;
if (opts.min !== undefined) {
  minPagesPerSec = Number(opts.min);
  if (!Number.isFinite(minPagesPerSec) || minPagesPerSec <= 0) {
    process.stderr.write(`--min must be a positive number of pages per second, got "${opts.min}"\n`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// The seed text


const seedFile = opts['seed-file'] !== undefined ? resolve(opts['seed-file']) : join(repoRoot(), 'samples', 'seeds', SEED_NAME);
if (!existsSync(seedFile)) {
  process.stderr.write(`detector.bench: seed text not found at ${seedFile} (give --seed-file PATH)\n`);
  process.exit(2);
}
const seedText = readFileSync(seedFile, 'utf8').replace(/^\uFEFF/, '');
const seedLines = seedText.split(/\r\n|\r|\n/);
while (seedLines.length && seedLines[seedLines.length - 1] === '') seedLines.pop();
const seedWords = seedText.split(/\s+/u).filter((w) => /\p{L}{2,}/u.test(w) && !/^\p{L}$/u.test(w));
if (seedLines.length < LINES_PER_PAGE || seedWords.length < 100) {
  process.stderr.write(`detector.bench: seed text ${seedFile} is too short\n`);
  process.exit(2);
}
/** First seed line of the Article 3 table heading ("3 - б а п"), so some slices are sure to hold it. */
const article3Line = Math.max(0, seedLines.findIndex((l) => /^\s*3 - б а п\s*$/u.test(l)));

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (mulberry32)

const rand = mulberry32(prngSeed);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
function weighted<T>(xs: ReadonlyArray<readonly [T, number]>): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [x, w] of xs) {
    r -= w;
    if (r < 0) return x;
  }
  return xs[xs.length - 1]![0];
}

// ---------------------------------------------------------------------------------------------
// Pages

/** Stamp blocks as they stand on carriers: the marking, then usually a copy line. */
const STAMPS: ReadonlyArray<readonly [readonly string[], number]> = [
  [['СЕКРЕТНО', 'Экз. № 2'], 10],
  [['СОВЕРШЕННО СЕКРЕТНО', 'Экз. № 1'], 6],
  [['ОСОБОЙ ВАЖНОСТИ', 'Экз. единственный'], 3],
  [['С Е К Р Е Т Н О', 'Экз. № 3'], 4],
  [['CEKPETHO', 'Экз. № 2'], 4], // Latin look-alikes
  [['COBEPШEHHO CEKPETHO'], 2], // mixed Latin/Cyrillic
  [['ӨТЕ ҚҰПИЯ', 'Дана № 1'], 8],
  [['ҚҰПИЯ', 'Нұсқа № 2'], 6],
  [['Қ Ұ П И Я'], 3],
  [['ОТЕ КУПИЯ', 'Дана № 4'], 3], // Kazakh letters read as Russian look-alikes
  [['АСА МАҢЫЗДЫ'], 2],
  [['АБДАН ЖАШЫРУУН', 'Нуска № 1'], 8],
  [['ЖАШЫРУУН', 'Нуска № 2'], 5],
  [['ӨЗГӨЧӨ МААНИЛҮҮ'], 2],
  [['Для служебного пользования'], 3], // national label, not an Article 3 level
  [['ДСП'], 2],
  [['СЕКРТНО', 'Экз. № 5'], 3], // one letter lost by OCR
  [['СКРТНО'], 2], // two letters lost: too weak to decide
  [['СЕКРЕТНО копия'], 2], // crowded stamp line
];
const CONFLICT_SECOND = ['ӨТЕ ҚҰПИЯ', 'СОВЕРШЕННО СЕКРЕТНО', 'АБДАН ЖАШЫРУУН'] as const;

/** Right-aligns a stamp line at a column between 66 and 78, as stamps stand at the top right. */
function rightAligned(text: string): string {
  const end = int(66, 78);
  return ' '.repeat(Math.max(0, end - text.length)) + text;
}

/** A 40-line slice of the seed, wrapping round its end; every 6th one covers the Article 3 table. */
function proseLines(): string[] {
  const start = rand() < 1 / 6 ? Math.max(0, article3Line - int(0, 20)) : int(0, seedLines.length - 1);
  const out: string[] = [];
  for (let i = 0; i < LINES_PER_PAGE; i++) out.push(seedLines[(start + i) % seedLines.length]!);
  return out;
}

/** A page of short lines: numbered items of 2 to 6 seed words. */
function listLines(): string[] {
  const out: string[] = [];
  let w = int(0, seedWords.length - 1);
  let n = 1;
  while (out.length < LINES_PER_PAGE) {
    if (rand() < 0.08) {
      out.push('');
      continue;
    }
    const words: string[] = [];
    const k = int(2, 6);
    for (let i = 0; i < k; i++) words.push(seedWords[w++ % seedWords.length]!);
    const bullet = weighted<string>([[`${n})`, 3], [`${n}.`, 2], ['-', 2], ['•', 1]]);
    out.push(`${' '.repeat(int(0, 8))}${bullet} ${words.join(' ')};`);
    n++;
  }
  return out;
}

const NOISE_LETTERS = [...'абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя'];

/** OCR-like noise on body text: with probability ocrNoise a word gets one letter replaced. */
function noisy(lines: string[]): string[] {
  if (ocrNoise === 0) return lines;
  return lines.map((line) =>
    line.replace(/\p{L}{2,}/gu, (word) => {
      if (rand() >= ocrNoise) return word;
      const chars = [...word];
      const at = int(0, chars.length - 1);
      const old = chars[at]!;
      const next = pick(NOISE_LETTERS);
      chars[at] = old === old.toLowerCase() ? next : next.toUpperCase();
      return chars.join('');
    }),
  );
}

/** Puts the stamp block in the top lines (a blank line after it) and keeps the page at 40 lines. */
function withStamp(lines: readonly string[], block: readonly string[]): string[] {
  const top = block.map(rightAligned);
  top.push('');
  return [...top, ...lines].slice(0, LINES_PER_PAGE);
}

type Kind = 'prose' | 'stamped' | 'lists';

interface Doc {
  readonly kind: Kind;
  readonly carrier: CarrierText;
  readonly pages: number;
  readonly chars: number;
}

function makeDoc(): Doc {
  const kind = weighted<Kind>([['prose', 40], ['stamped', 45], ['lists', 15]]);
  const pageCount = weighted<number>([[1, 30], [2, 20], [3, 15], [4, 10], [5, 10], [6, 8], [8, 5], [12, 2]]);
  const stamped = kind === 'stamped' || (kind === 'lists' && rand() < 0.4);
  const block = stamped ? weighted(STAMPS) : [];
  // A few stamped carriers get a different level on one page: a conflict for a person.
  const conflictPage = stamped && pageCount > 1 && rand() < 0.05 ? int(2, pageCount) : 0;
  const pages: string[] = [];
  for (let p = 1; p <= pageCount; p++) {
    let lines = noisy(kind === 'lists' ? listLines() : proseLines());
    if (stamped) lines = withStamp(lines, p === conflictPage ? [pick(CONFLICT_SECOND)] : block);
    pages.push(lines.join('\n'));
  }
  const carrier = textToCarrier(pages.join('\f'));
  let chars = 0;
  for (const page of carrier.pages) for (const line of page.lines) chars += line.text.length;
  return { kind, carrier, pages: carrier.pages.length, chars };
}

const corpus: Doc[] = [];
let corpusPages = 0;
let corpusChars = 0;
let corpusLines = 0;
const pagesByKind: Record<Kind, number> = { prose: 0, stamped: 0, lists: 0 };
const docsByKind: Record<Kind, number> = { prose: 0, stamped: 0, lists: 0 };
while (corpusPages < targetPages) {
  const d = makeDoc();
  corpus.push(d);
  corpusPages += d.pages;
  corpusChars += d.chars;
  for (const page of d.carrier.pages) corpusLines += page.lines.length;
  pagesByKind[d.kind] += d.pages;
  docsByKind[d.kind]++;
}

// Peak RSS with the corpus built, before the detector has run: the corpus's own share.
const corpusMaxRssKiB = process.resourceUsage().maxRSS;

// ---------------------------------------------------------------------------------------------
// Measurement

const STATUSES: readonly Status[] = ['marked', 'unmarked', 'review', 'conflict'];
type StatusCount = Record<Status, number>;
const noStatuses = (): StatusCount => ({ marked: 0, unmarked: 0, review: 0, conflict: 0 });

function runOnce(docs: readonly Doc[]): { ms: number; statuses: StatusCount; stamps: number } {
  const statuses = noStatuses();
  let stamps = 0;
  const t0 = performance.now();
  for (const d of docs) {
    const v = examine(d.carrier);
    statuses[v.status]++;
    stamps += v.stamps.length;
  }
  return { ms: performance.now() - t0, statuses, stamps };
}

// Warm-up: the first documents of the corpus, up to `warmupPages` pages (repeating if needed).
const warmupDocs: Doc[] = [];
for (let p = 0, i = 0; p < warmupPages; i++) {
  const d = corpus[i % corpus.length]!;
  warmupDocs.push(d);
  p += d.pages;
}
const warmup = runOnce(warmupDocs);

const results: Array<{ ms: number; pagesPerSec: number; charsPerSec: number }> = [];
let statuses: StatusCount | null = null;
let stampsFound = 0;
for (let r = 0; r < runs; r++) {
  const res = runOnce(corpus);
  // The detector is pure: every run must give the same verdicts.
  if (statuses && STATUSES.some((s) => statuses![s] !== res.statuses[s])) {
    process.stderr.write('detector.bench: verdicts differ between runs; the detector is not deterministic\n');
    process.exit(3);
  }
  statuses = res.statuses;
  stampsFound = res.stamps;
  results.push({ ms: res.ms, pagesPerSec: (corpusPages * 1000) / res.ms, charsPerSec: (corpusChars * 1000) / res.ms });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const medianPagesPerSec = median(results.map((r) => r.pagesPerSec));
const medianCharsPerSec = median(results.map((r) => r.charsPerSec));
// Peak RSS of the measurement itself, before the (optional) digest pass.
const maxRssKiB = process.resourceUsage().maxRSS;

// Untimed, after the RSS reading: how many distinct word forms the corpus holds (cache pressure).
const wordForms = new Set<string>();
let wordCount = 0;
for (const d of corpus) {
  for (const page of d.carrier.pages) {
    for (const line of page.lines) {
      for (const w of line.text.match(/[\p{L}\p{N}]+/gu) ?? []) {
        wordForms.add(w.toLowerCase());
        wordCount++;
      }
    }
  }
}

// Untimed: a digest of every verdict, so that a faster detector can be shown to decide the same.
let verdictDigest: string | null = null;
if (opts.digest) {
  const h = createHash('sha256');
  for (const d of corpus) h.update(JSON.stringify(examine(d.carrier)) + '\n');
  verdictDigest = h.digest('hex').slice(0, 16);
}
const pass = minPagesPerSec === undefined ? null : medianPagesPerSec >= minPagesPerSec;

const round = (x: number, d = 0): number => Math.round(x * 10 ** d) / 10 ** d;

if (opts.json) {
  process.stdout.write(
    JSON.stringify({
      bench: 'detector',
      node: process.version,
      seed: prngSeed,
      ocrNoise,
      corpus: {
        documents: corpus.length,
        pages: corpusPages,
        lines: corpusLines,
        chars: corpusChars,
        words: wordCount,
        distinctWordForms: wordForms.size,
        pagesByKind,
        documentsByKind: docsByKind,
      },
      warmupPages: warmupDocs.reduce((s, d) => s + d.pages, 0),
      warmupMs: round(warmup.ms, 1),
      runs: results.map((r) => ({ ms: round(r.ms, 1), pagesPerSec: round(r.pagesPerSec), charsPerSec: round(r.charsPerSec) })),
      medianPagesPerSec: round(medianPagesPerSec),
      medianCharsPerSec: round(medianCharsPerSec),
      maxRssKiB,
      corpusMaxRssKiB,
      statuses,
      stampsFound,
      verdictDigest,
      minPagesPerSec: minPagesPerSec ?? null,
      pass,
    }) + '\n',
  );
} else {
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  const out: string[] = [];
  out.push(`grif detector benchmark (node ${process.version}, one thread, seed ${prngSeed}, OCR noise ${ocrNoise})`);
  out.push(`seed text: ${seedFile}`);
  out.push(
    `corpus: ${fmt(corpus.length)} carriers, ${fmt(corpusPages)} pages, ${fmt(corpusLines)} lines, ${fmt(corpusChars)} chars` +
      ` (${round(corpusChars / corpusLines, 1)} chars/line)`,
  );
  out.push(`  words: ${fmt(wordCount)}, distinct word forms (lower-cased): ${fmt(wordForms.size)}`);
  out.push(
    `  pages by kind: prose ${fmt(pagesByKind.prose)}, stamped ${fmt(pagesByKind.stamped)}, lists ${fmt(pagesByKind.lists)}` +
      `; carriers: prose ${fmt(docsByKind.prose)}, stamped ${fmt(docsByKind.stamped)}, lists ${fmt(docsByKind.lists)}`,
  );
  out.push(`  verdicts: ${STATUSES.map((s) => `${s} ${fmt(statuses![s])}`).join(', ')}; stamps found ${fmt(stampsFound)}`);
  if (verdictDigest) out.push(`  verdict digest (sha256 of all verdicts): ${verdictDigest}`);
  out.push(`warm-up: ${fmt(warmupDocs.reduce((s, d) => s + d.pages, 0))} pages in ${round(warmup.ms, 1)} ms`);
  results.forEach((r, i) => {
    out.push(`run ${i + 1}: ${round(r.ms, 1)} ms  ${fmt(r.pagesPerSec)} pages/s  ${fmt(r.charsPerSec)} chars/s`);
  });
  out.push(`median: ${fmt(medianPagesPerSec)} pages/s, ${fmt(medianCharsPerSec)} chars/s`);
  out.push(
    `peak RSS: ${fmt(maxRssKiB)} KiB (${round(maxRssKiB / 1024, 1)} MiB); ` +
      `of which before the first examine, with the corpus in memory: ${fmt(corpusMaxRssKiB)} KiB`,
  );
  if (minPagesPerSec !== undefined) {
    out.push(`guard: median ${fmt(medianPagesPerSec)} ${pass ? '>=' : '<'} --min ${fmt(minPagesPerSec)} pages/s: ${pass ? 'PASS' : 'FAIL'}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (pass === false) process.exitCode = 1;
