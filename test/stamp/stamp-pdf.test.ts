// grif stamp end to end on real PDFs: every level in both directions, read back by grif and by
// poppler, byte-for-byte original, qpdf and poppler clean, no overlap on the rendered page.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTICLE_3, examine, type PartyId } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { inkMap } from '../../src/stamp/ink-map.js';
import { overlaps, type Box } from '../../src/stamp/layout.js';
import { stampFile, type StampOptions, type StampOutcome } from '../../src/stamp/stamp-file.js';
import { FIXTURES } from '../helpers/fixtures.js';

const session = createExtractSession({ workers: 2 });
afterAll(() => session.close());
const OUT = mkdtempSync(join(tmpdir(), 'grif-stamp-'));
const date = new Date(Date.UTC(2026, 10, 25));

function options(from: PartyId, to: PartyId, output: string, extra: Partial<StampOptions> = {}): StampOptions {
  return { from, to, russian: false, pages: 'first', registration: { date, authority: 'Test', number: '1/1', copy: '1' }, output, force: false, ...extra };
}

function run(cmd: string, ...args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stamped(o: StampOutcome): Extract<StampOutcome, { status: 'stamped' }> {
  if (o.status !== 'stamped') throw new Error(`expected stamped, got ${JSON.stringify(o)}`);
  return o;
}

/** The box (points, upright page) of the stamp ink, found on a rendering: dark blue pixels. */
async function inkBox(pdf: string, page = 1): Promise<Box | null> {
  const prefix = join(OUT, `render-${Math.random().toString(36).slice(2)}`);
  expect(run('pdftoppm', '-r', '72', '-cropbox', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix).code).toBe(0);
  const { data, info } = await sharp(`${prefix}.png`).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (b > 90 && b > r + 50 && b > g + 30) {
        box = box ? { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x + 1), y1: Math.max(box.y1, y + 1) } : { x0: x, y0: y, x1: x + 1, y1: y + 1 };
      }
    }
  }
  return box;
}

/** Whether the input page, rendered by poppler at 1 px per point, has ink inside the box. */
async function inputInkUnder(pdf: string, box: Box): Promise<boolean> {
  const prefix = join(OUT, `in-${Math.random().toString(36).slice(2)}`);
  expect(run('pdftoppm', '-r', '72', '-cropbox', '-gray', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, prefix).code).toBe(0);
  const { data, info } = await sharp(`${prefix}.png`).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return inkMap(data, info.width, info.height).hasInk(box);
}

const directions = [
  { from: 'KZ', to: 'KG', lang: 'kk', receiving: 'ky' },
  { from: 'KG', to: 'KZ', lang: 'ky', receiving: 'kk' },
] as const;

describe('every level, both directions: the original and the added marking, both read back', () => {
  for (const row of ARTICLE_3) {
    for (const d of directions) {
      it(`${row.id} ${d.from} → ${d.to} on a scan`, async () => {
        const input = join(FIXTURES, `scan-${d.lang}-${row.id}-300.pdf`);
        const output = join(OUT, `${row.id}-${d.from}-${d.to}.pdf`);
        const o = stamped(await stampFile(input, options(d.from, d.to, output), session));

        // The output begins with the input, byte for byte.
        const before = readFileSync(input);
        const after = readFileSync(output);
        expect(after.length).toBeGreaterThan(before.length);
        expect(after.subarray(0, before.length).equals(before)).toBe(true);
        expect(after.length - before.length).toBeLessThan(30 * 1024);

        // qpdf and poppler read it without a single complaint.
        const check = run('qpdf', '--check', output);
        expect(check.code, check.stdout + check.stderr).toBe(0);
        const info = run('pdfinfo', output);
        expect(info.code).toBe(0);
        expect(info.stderr).toBe('');
        const text = run('pdftotext', output, '-');
        expect(text.stderr).toBe('');
        expect(text.stdout).toContain(row.spelling[d.receiving].toUpperCase());

        // grif reads both: the sender's (in the scan) and the receiver's (as text), equivalents.
        const v = examine(await readCarrier(output, session));
        expect(v.status).toBe('marked');
        expect(v.level).toBe(row.id);
        expect(new Set(v.stamps.map((s) => s.lang))).toEqual(new Set([d.lang, d.receiving]));

        // The new stamp does not touch the original, on the rendered page either.
        const original = o.verdict.stamps[0]!.bbox!;
        const originalBox: Box = { x0: original[0], y0: original[1], x1: original[2], y1: original[3] };
        const placed = o.placements[0]!.box;
        expect(overlaps(placed, originalBox)).toBe(false);
        const ink = await inkBox(output);
        expect(ink).not.toBeNull();
        expect(overlaps(ink!, originalBox)).toBe(false);
        expect(ink!.x0).toBeGreaterThanOrEqual(placed.x0 - 2);
        expect(ink!.x1).toBeLessThanOrEqual(placed.x1 + 2);

        // Nothing on the received page lies under the new stamp: text, stamp, specks of ink.
        expect(await inputInkUnder(input, placed)).toBe(false);
      });
    }
  }
  it('a born-digital carrier: pdftotext shows the original and the added marking', async () => {
    const input = join(FIXTURES, 'digital-kk-top-secret.pdf');
    const output = join(OUT, 'digital-kk-top-secret.stamped.pdf');
    stamped(await stampFile(input, options('KZ', 'KG', output, { russian: true }), session));
    const text = run('pdftotext', output, '-').stdout;
    expect(text).toContain('ӨТЕ ҚҰПИЯ');
    expect(text).toContain('АБДАН ЖАШЫРУУН');
    expect(text).toContain('СОВЕРШЕННО СЕКРЕТНО');
    const v = examine(await readCarrier(output, session));
    expect(v).toMatchObject({ status: 'marked', level: 'top-secret' });
  });
});

describe('the rules', () => {
  it('stamping the output again changes nothing: the equivalent is already there', async () => {
    const first = join(OUT, 'again-1.pdf');
    stamped(await stampFile(join(FIXTURES, 'scan-ru-secret-300.pdf'), options('KZ', 'KG', first), session));
    const second = join(OUT, 'again-2.pdf');
    const o = await stampFile(first, options('KZ', 'KG', second), session);
    expect(o.status).toBe('unchanged');
    expect(existsSync(second)).toBe(false);
  });
  it.each([
    ['conflict-kk-ru.pdf', 'review', /not Article 3 equivalents/],
    ['digital-unmarked-ru.pdf', 'unchanged', /unmarked/],
  ] as const)('%s is not stamped and nothing is written (%s, as the service routes it)', async (name, status, reason) => {
    const output = join(OUT, `not-${name}`);
    const o = await stampFile(join(FIXTURES, name), options('KZ', 'KG', output), session);
    expect(o.status).toBe(status);
    if (o.status === 'unchanged') expect(o.reason).toMatch(reason);
    if (o.status === 'review') expect(o.reasons.join('; ')).toMatch(reason);
    expect(existsSync(output)).toBe(false);
  });
  it('a translation marked lower than its source is not stamped; one marked as its source is', async () => {
    const source = examine(await readCarrier(join(FIXTURES, 'digital-kk-top-secret.pdf'), session));
    const lower = join(OUT, 'translation-lower.pdf');
    const o = await stampFile(join(FIXTURES, 'digital-ru-secret.pdf'), options('KZ', 'KG', lower, { source }), session);
    expect(o.status).toBe('review');
    if (o.status === 'review') expect(o.reasons.join('; ')).toMatch(/lower than its source's top-secret/);
    expect(existsSync(lower)).toBe(false);
    const same = join(OUT, 'translation-same.pdf');
    const equal = examine(await readCarrier(join(FIXTURES, 'digital-ru-secret.pdf'), session));
    stamped(await stampFile(join(FIXTURES, 'digital-ru-secret.pdf'), options('KZ', 'KG', same, { source: equal }), session));
  });
  it('never writes over its input', async () => {
    const input = join(FIXTURES, 'digital-ru-secret.pdf');
    const before = readFileSync(input);
    const o = await stampFile(input, options('KZ', 'KG', input), session);
    expect(o.status).toBe('error');
    if (o.status === 'error') expect(o.error).toMatch(/refusing to write over the input/);
    expect(readFileSync(input).equals(before)).toBe(true);
  });
  it('never replaces an existing output unless told to, and leaves no temporary file', async () => {
    const output = join(OUT, 'exists.pdf');
    stamped(await stampFile(join(FIXTURES, 'digital-ru-secret.pdf'), options('KZ', 'KG', output), session));
    const o = await stampFile(join(FIXTURES, 'digital-ru-secret.pdf'), options('KZ', 'KG', output), session);
    expect(o.status).toBe('error');
    if (o.status === 'error') expect(o.error).toMatch(/already exists; give --force/);
    stamped(await stampFile(join(FIXTURES, 'digital-ru-secret.pdf'), options('KZ', 'KG', output, { force: true }), session));
    expect(readdirSync(OUT).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
  it('stamps every page when asked', async () => {
    const output = join(OUT, 'two-pages.pdf');
    const o = stamped(await stampFile(join(FIXTURES, 'digital-two-pages-ru.pdf'), options('KZ', 'KG', output, { pages: 'all' }), session));
    expect(o.placements.map((p) => p.page)).toEqual([1, 2]);
    const v = examine(await readCarrier(output, session));
    expect(v.stamps.filter((s) => s.lang === 'ky').map((s) => s.page)).toEqual([1, 2]);
  });
});
