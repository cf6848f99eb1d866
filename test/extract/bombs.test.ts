// Decompression and image bombs are refused before anything is decoded (src/extract/pdf/bounds.ts),
// with a message that says what and why, and the rest of the batch goes on. How fast and in how
// little memory is the bench's to say (bench/bombs.bench.ts), not this test's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flateBombPdf, imageBombPdf, operatorBombPdf, patternBombPdf } from '../../scripts/make-bombs.js';
import { ROOT } from '../helpers/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';

const GRIF = join(ROOT, 'bin', 'grif');
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grif-bombs-'));
  // Past the 256 MiB limit (the bench uses the 2 GiB one); the image: 40000×40000 = 1600 megapixels.
  writeFileSync(join(dir, 'flate-bomb.pdf'), await flateBombPdf(300 * 2 ** 20));
  writeFileSync(join(dir, 'image-bomb.pdf'), await imageBombPdf(40_000, 40_000));
  // 64 page-sized tiling patterns on one page: unchecked, `grif detect` took 36.6 s and 5.5 GB on it.
  writeFileSync(join(dir, 'pattern-bomb.pdf'), await patternBombPdf(64));
  // Past every check made before decoding; stopped only by the memory its thread may take.
  writeFileSync(join(dir, 'operator-bomb.pdf'), await operatorBombPdf(400_000));
}, 120_000);

const jsonLines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('bombs', () => {
  it('grif detect refuses all three, saying what, and reads the carrier after them', () => {
    const files = ['flate-bomb.pdf', 'image-bomb.pdf', 'pattern-bomb.pdf'].map((f) => join(dir, f));
    const r = spawnSync(GRIF, ['detect', '--json', ...files, join(FIXTURES, 'digital-ru-secret.pdf')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['error', 'error', 'error', 'marked']);
    expect((lines[2]!.notes as string[])[0]).toMatch(/page 1's tiling patterns would take 2\d{3} MiB to draw, over the limit of 1024 MiB; refused before rendering it/);
    expect((lines[0]!.notes as string[])[0]).toMatch(/inflates to more than 256 MiB: refused as a decompression bomb/);
    expect((lines[1]!.notes as string[])[0]).toMatch(/40000×40000 pixels, over the limit of 150 megapixels; refused before decoding it/);
  }, 150_000);

  it('grif stamp refuses them the same way and writes nothing for them', () => {
    const out = mkdtempSync(join(tmpdir(), 'grif-bombs-out-'));
    const r = spawnSync(GRIF, ['stamp', '--json', '--from', 'KZ', '--to', 'KG', '--out', out, join(dir, 'flate-bomb.pdf'), join(FIXTURES, 'digital-ru-secret.pdf')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['error', 'stamped']);
    expect(lines[0]!.error).toMatch(/decompression bomb/);
  }, 150_000);

  it('the memory one PDF may take is the operator\'s to set: --max-memory-mb, else GRIF_MAX_MEMORY_MB; a bad value is refused naming it', () => {
    const files = [join(dir, 'operator-bomb.pdf'), join(FIXTURES, 'digital-ru-secret.pdf')];
    for (const [args, env] of [[['--max-memory-mb', '64'], {}], [[], { GRIF_MAX_MEMORY_MB: '64' }]] as const) {
      const r = spawnSync(GRIF, ['detect', '--json', ...args, ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
      const lines = jsonLines(r.stdout);
      expect(lines.map((l) => l.status), JSON.stringify(env)).toEqual(['error', 'marked']);
      expect((lines[0]!.notes as string[])[0]).toMatch(/took more than the 64 MiB of memory one carrier may use, and was stopped; .*--max-memory-mb, GRIF_MAX_MEMORY_MB/);
    }
    const flag = spawnSync(GRIF, ['detect', '--max-memory-mb', '10', ...files], { cwd: ROOT, encoding: 'utf8' });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--max-memory-mb.*a whole number of MiB from 64 to 65536/);
    const env = spawnSync(GRIF, ['detect', ...files], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GRIF_MAX_MEMORY_MB: 'lots' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/GRIF_MAX_MEMORY_MB must be a whole number of MiB from 64 to 65536 \(got "lots"\)/);
  }, 150_000);
});
