// Scanned pages in every image encoding and colour space pdf.js decodes (scripts/make-encodings.ts),
// each read through the real extractor and OCR: marked at the level stamped on it. An image that
// cannot be decoded is an error naming the page and the encoding, and the rest of a batch goes on.
// An owner-password-only PDF is refused alike by detect and stamp. One OCR pool for the file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { openPdf } from '../../src/extract/pdf/open-pdf.js';
import { embeddedScan } from '../../src/extract/pdf/render-page.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import type { EncodingsManifest } from '../../scripts/make-encodings.js';
import { ROOT } from '../helpers/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DIR = join(FIXTURES, 'encodings');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as EncodingsManifest;
const session = createExtractSession({ workers: 2 });
afterAll(() => session.close());

const GRIF = join(ROOT, 'bin', 'grif');
const grif = (...args: string[]) => spawnSync(GRIF, args, { cwd: ROOT, encoding: 'utf8' });

describe('every encoding and colour space is read by OCR like any scan', () => {
  for (const f of manifest.fixtures) {
    const label = `${f.file}: ${f.encoding}, ${f.colorSpace}, ${f.bits} bit, ${f.dpi} dpi`;
    if (f.expect.status === 'error') {
      it(`${label}: a clear error naming the page and encoding`, async () => {
        const err = await readCarrier(join(DIR, f.file), session).then(() => null, (e: unknown) => e as Error);
        expect(err?.name).toBe('InputError');
        expect(err?.message).toMatch(new RegExp(f.expect.errorMatches!, 'i'));
        expect(err?.message).toMatch(/ask the sender for the scan in another format/);
        expect(err?.message).not.toMatch(/Cannot read properties/);
      });
      continue;
    }
    it(`${label}: marked ${f.expect.level}`, async () => {
      const v = examine(await readCarrier(join(DIR, f.file), session));
      expect({ status: v.status, level: v.level }, JSON.stringify(v.notes)).toEqual({ status: 'marked', level: f.expect.level });
    });
  }
});

describe('a scan is read at its own resolution', () => {
  it.each(manifest.fixtures.filter((f) => f.expect.status === 'marked' && !f.encoding.startsWith('ImageMask')).map((f) => [f.file, f.width, f.dpi] as const))(
    '%s: the raster OCR gets is %i pixels wide (%i dpi)',
    async (file, width, dpi) => {
      const path = join(DIR, file);
      const pdf = await openPdf(path, new Uint8Array(readFileSync(path)));
      try {
        const page = await pdf.getPage(1);
        const t0 = performance.now();
        const raster = await embeddedScan(path, page, await page.getOperatorList(), 150_000_000);
        const ms = performance.now() - t0;
        expect(raster, 'a one-image page is taken as a scan').not.toBeNull();
        expect({ width: raster!.width, dpi: raster!.dpi }).toEqual({ width, dpi });
        if (width > 4000) console.log(`${file}: ${raster!.width}×${raster!.height} at ${raster!.dpi} dpi, decoded in ${Math.round(ms)} ms`);
      } finally {
        await pdf.destroy();
      }
    },
  );
});

describe('a batch goes on past an undecodable image', () => {
  it('grif detect --json: the broken file has its error, the others their verdicts', () => {
    const bad = manifest.fixtures.filter((f) => f.expect.status === 'error').map((f) => join(DIR, f.file));
    const good = join(DIR, 'ccitt-g4-200.pdf');
    const r = grif('detect', '--json', bad[0]!, good, ...bad.slice(1));
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string; level: string | null; error?: string });
    expect(lines).toHaveLength(bad.length + 1);
    expect(lines.find((l) => l.file === good)).toMatchObject({ status: 'marked', level: 'secret' });
    for (const l of lines.filter((l) => l.file !== good)) expect(l.error ?? JSON.stringify(l)).toMatch(/could not be decoded/);
  });
});

describe('an encrypted PDF with only an owner password: detect and stamp agree', () => {
  const file = join(DIR, manifest.ownerPasswordOnly);
  const message = /the PDF is encrypted \(an owner password restricts it\); grif neither reads nor changes encrypted PDFs; ask the sender for an unprotected copy/;
  it('grif detect refuses it with the clerk\'s message', () => {
    const r = grif('detect', '--json', file);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(message);
  });
  it('grif stamp refuses it with the same message and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'grif-encrypted-')), 'out.pdf');
    const r = grif('stamp', '--from', 'KZ', '--to', 'KG', '--out', out, file);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/pdf-lib|ignoreEncryption/);
    expect(existsSync(out)).toBe(false);
  });
});
