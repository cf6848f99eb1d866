/**
 * Bombs bench: how fast, and in how much memory, `grif detect` refuses a decompression bomb and an
 * image bomb, and how much memory it takes on a batch of 200 ordinary PDFs.
 *
 * Untimed setup in a temporary folder: scripts/make-bombs.ts makes
 *  - flate-bomb-2GiB.pdf: one page whose content stream inflates to 2 GiB of spaces (about 2 MB);
 *  - image-bomb-40000.pdf: one page with a 40000×40000 grey image, its samples really there;
 *  - pattern-bomb-64.pdf: one page filled 64 times, each with a page-sized tiling pattern;
 *  - operator-bomb-2M.pdf: one page stroking 2 million short lines (53 KB, 27 MiB inflated: under
 *    every check made before decoding; stopped by the PDF thread's heap cap, ExtractLimits.maxHeapMb);
 *  - batch/: 200 copies of the born-digital and scanned fixtures (scripts/make-fixtures.ts),
 *    taking turns among 6 templates, each given its own /Subject so the bytes differ.
 * Measured: `node --import <reporter> dist/src/cli/main.js detect --json FILE…` spawned per case;
 * wall time from spawn to exit, and the process's peak RSS (process.resourceUsage().maxRSS, which
 * the reporter prints at exit; OCR and the PDF extraction thread run in the same process).
 *
 *   npm run build && node dist/bench/bombs.bench.js [--fixtures .tmp/fixtures]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { repoRoot } from '../scripts/dev-support.js';
import { flateBombPdf, imageBombPdf, operatorBombPdf, patternBombPdf } from '../scripts/make-bombs.js';
import { makeFixtures } from '../scripts/make-fixtures.js';

const ROOT = repoRoot();
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const REPORTER = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss-kb="+process.resourceUsage().maxRSS+"\\n"))`;
const TEMPLATES = ['digital-kk-top-secret.pdf', 'digital-ru-secret.pdf', 'digital-two-pages-ru.pdf', 'scan-kk-secret-300.pdf', 'scan-ru-top-secret-300.pdf', 'scan-ru-secret-200.pdf'];

interface Run {
  readonly what: string;
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly exit: number | null;
  readonly statuses: string;
}

function detect(what: string, files: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', REPORTER, CLI, 'detect', '--json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      const kb = Number(/maxrss-kb=(\d+)/.exec(err)?.[1] ?? NaN);
      const counts = new Map<string, number>();
      for (const line of out.trim().split('\n').filter(Boolean)) {
        const s = (JSON.parse(line) as { status: string }).status;
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      resolve({ what, ms, maxRssMiB: kb / 1024, exit: code, statuses: [...counts].map(([s, n]) => `${n} ${s}`).join(', ') });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fixtures: { type: 'string', default: join(ROOT, '.tmp', 'fixtures') } } });
  await makeFixtures(values.fixtures!);
  const dir = await mkdtemp(join(tmpdir(), 'grif-bombs-bench-'));
  try {
    const flate = join(dir, 'flate-bomb-2GiB.pdf');
    const image = join(dir, 'image-bomb-40000.pdf');
    await writeFile(flate, await flateBombPdf(2 * 2 ** 30));
    await writeFile(image, await imageBombPdf(40_000, 40_000));
    const pattern = join(dir, 'pattern-bomb-64.pdf');
    await writeFile(pattern, await patternBombPdf(64));
    const operators = join(dir, 'operator-bomb-2M.pdf');
    await writeFile(operators, await operatorBombPdf(2_000_000));
    const batch: string[] = [];
    await mkdir(join(dir, 'batch'));
    for (let i = 0; i < 200; i++) {
      const template = TEMPLATES[i % TEMPLATES.length]!;
      const doc = await PDFDocument.load(await readFile(join(values.fixtures!, template)));
      doc.setSubject(`grif bombs bench carrier ${i}`);
      const path = join(dir, 'batch', `c${String(i).padStart(3, '0')}-${template}`);
      await writeFile(path, await doc.save({ useObjectStreams: false }));
      batch.push(path);
    }
    const sizes = { flate: (await readFile(flate)).length, image: (await readFile(image)).length };
    console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const runs = [
      await detect(`flate bomb (${(sizes.flate / 2 ** 20).toFixed(1)} MiB file, 2 GiB inflated)`, [flate]),
      await detect(`image bomb (${(sizes.image / 2 ** 20).toFixed(1)} MiB file, 40000×40000)`, [image]),
      await detect('tiling-pattern bomb (64 page-sized patterns on one page)', [pattern]),
      await detect(`operator bomb (${((await readFile(operators)).length / 1024).toFixed(0)} KiB file, 2 million stroked lines)`, [operators]),
      await detect('200 ordinary PDFs (6 templates: 3 born-digital, 3 scans)', batch),
    ];
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('\n| case | wall (s) | peak RSS (MiB) | exit | verdicts |\n|---|---|---|---|---|');
    for (const r of runs) console.log(`| ${r.what} | ${(r.ms / 1000).toFixed(1)} | ${r.maxRssMiB.toFixed(0)} | ${r.exit} | ${r.statuses} |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
