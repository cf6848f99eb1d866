// Stamping PDFs made by different producers, and a signed PDF: the original bytes first, qpdf and
// poppler without a complaint, and the signature still valid after stamping.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { xrefIsSound } from '../../src/stamp/pdf-stamper.js';
import { stampFile } from '../../src/stamp/stamp-file.js';
import { FIXTURES } from '../helpers/fixtures.js';

const session = createExtractSession({ workers: 2 });
afterAll(() => session.close());
const DIR = mkdtempSync(join(tmpdir(), 'grif-producers-'));

function run(cmd: string, args: string[], cwd = DIR) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(cmd: string, args: string[], cwd = DIR): void {
  const r = run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

// One scanned page (the Kazakh secret fixture's picture) made into PDFs by several producers.
const PRODUCERS: Record<string, string> = {};
beforeAll(() => {
  const png = join(FIXTURES, 'image-kk-secret.png');
  PRODUCERS['img2pdf'] = join(DIR, 'img2pdf.pdf');
  must('img2pdf', [png, '-o', PRODUCERS['img2pdf']]);
  // No /Info in the trailer: the case where pdf-lib once wrote a dangling /Info.
  PRODUCERS['img2pdf, no Info'] = join(DIR, 'img2pdf-noinfo.pdf');
  must('img2pdf', ['-D', '--producer', '', png, '-o', PRODUCERS['img2pdf, no Info']]);
  PRODUCERS['Ghostscript'] = join(DIR, 'gs.pdf');
  must('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-o', PRODUCERS['Ghostscript'], PRODUCERS['img2pdf']]);
  PRODUCERS['qpdf, object streams'] = join(DIR, 'qpdf-objstm.pdf');
  must('qpdf', ['--object-streams=generate', PRODUCERS['img2pdf'], PRODUCERS['qpdf, object streams']]);
  PRODUCERS['pdf-lib'] = join(FIXTURES, 'scan-kk-secret-300.pdf');
}, 60_000);

function checkOutput(input: string, output: string): void {
  const before = readFileSync(input);
  const after = readFileSync(output);
  expect(after.subarray(0, before.length).equals(before), 'the output begins with the input').toBe(true);
  const check = run('qpdf', ['--check', output]);
  expect(check.code, check.stdout + check.stderr).toBe(0);
  for (const tool of [['pdfinfo', output], ['pdftotext', output, '-']]) {
    const r = run(tool[0]!, tool.slice(1));
    expect(r.code).toBe(0);
    expect(r.stderr, `${tool[0]} complained`).toBe('');
  }
}

describe('PDFs from different producers', () => {
  for (const name of ['img2pdf', 'img2pdf, no Info', 'Ghostscript', 'qpdf, object streams', 'pdf-lib']) {
    it(`${name}: stamped incrementally, clean for qpdf and poppler, read back with both stamps`, async () => {
      const input = PRODUCERS[name]!;
      const output = join(DIR, `${name.replace(/\W+/g, '-')}.stamped.pdf`);
      const o = await stampFile(input, { from: 'KZ', to: 'KG', russian: true, pages: 'first', registration: { date: new Date() }, output, force: true }, session);
      expect(o.status, JSON.stringify(o)).toBe('stamped');
      checkOutput(input, output);
      expect(run('pdftotext', [output, '-']).stdout).toContain('ЖАШЫРУУН');
      // The PDF's metadata records the level, both Parties and the input's SHA-256.
      if (o.status === 'stamped') {
        const info = run('pdfinfo', [output]).stdout;
        expect(info).toMatch(/Subject:\s+Art\. 6\.1 receiving-side marking: secret, sent by KZ, received by KG/);
        expect(info).toContain(`grif-input-sha256=${o.inputSha256}`);
      }
      const v = examine(await readCarrier(output, session));
      expect(v).toMatchObject({ status: 'marked', level: 'secret' });
      expect(new Set(v.stamps.map((s) => s.lang))).toEqual(new Set(['kk', 'ky', 'ru']));
    });
  }
});

describe('image carriers', () => {
  it.each([
    ['image-kk-secret.png', 'KZ', 'KG', 'ky'],
    ['image-ky-top-secret.jpg', 'KG', 'KZ', 'kk'],
    ['image-ru-special-importance.tif', 'KZ', 'KG', 'ky'],
  ] as const)(
    '%s becomes a PDF, stamped, the image unchanged',
    async (name, from, to, lang) => {
      const input = join(FIXTURES, name);
      const before = readFileSync(input);
      const output = join(DIR, `${name}.stamped.pdf`);
      const o = await stampFile(input, { from, to, russian: false, pages: 'all', registration: { date: new Date() }, output, force: true }, session);
      expect(o.status, JSON.stringify(o)).toBe('stamped');
      if (o.status !== 'stamped') return;
      expect(o.update).toBe('new-pdf');
      expect(o.note).toMatch(/made a PDF of it/);
      expect(readFileSync(input).equals(before)).toBe(true);
      const check = run('qpdf', ['--check', output]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const v = examine(await readCarrier(output, session));
      expect(v.status).toBe('marked');
      expect(v.stamps.some((s) => s.lang === lang)).toBe(true);
      expect(o.placements.length).toBe(name.endsWith('.tif') ? 2 : 1);
    },
  );
});

describe('a PDF whose cross-reference table is broken', () => {
  it.each([
    ['bytes inserted after the header (every offset off)', (b: Buffer) => Buffer.concat([b.subarray(0, 15), Buffer.from('% inserted by a broken tool, 39 bytes\n'), b.subarray(15)])],
    ['a wrong last startxref', (b: Buffer) => {
      const text = b.toString('latin1');
      const at = text.lastIndexOf('startxref');
      return Buffer.from(text.slice(0, at) + text.slice(at).replace(/startxref\s+(\d+)/, (_, n: string) => `startxref\n${Number(n) - 7}`), 'latin1');
    }],
  ])('%s: rewritten whole, said so, and clean', async (_, damage) => {
    const input = join(DIR, `broken-${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(input, damage(readFileSync(PRODUCERS['img2pdf']!)));
    const output = input.replace(/\.pdf$/, '.stamped.pdf');
    const o = await stampFile(input, { from: 'KZ', to: 'KG', russian: false, pages: 'first', registration: { date: new Date() }, output, force: true }, session);
    expect(o.status, JSON.stringify(o)).toBe('stamped');
    if (o.status !== 'stamped') return;
    expect(o.update).toBe('full-rewrite');
    expect(o.note).toMatch(/cross-reference table is broken/);
    const check = run('qpdf', ['--check', output]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    for (const tool of [['pdfinfo', output], ['pdftotext', output, '-']]) expect(run(tool[0]!, tool.slice(1)).stderr).toBe('');
    expect(examine(await readCarrier(output, session))).toMatchObject({ status: 'marked', level: 'secret' });
  });
  it('a sound file is never rewritten', () => {
    for (const name of ['img2pdf', 'Ghostscript', 'qpdf, object streams', 'pdf-lib']) expect(xrefIsSound(readFileSync(PRODUCERS[name]!)), name).toBe(true);
  });
});

describe('a signed PDF', () => {
  it('keeps a valid signature after stamping (pdfsig)', async () => {
    const sig = join(DIR, 'sig');
    mkdirSync(join(sig, 'nss'), { recursive: true });
    must('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30', '-nodes', '-subj', '/CN=grif test signer'], sig);
    must('openssl', ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-out', 'signer.p12', '-name', 'signer', '-passout', 'pass:'], sig);
    must('certutil', ['-N', '-d', 'sql:nss', '--empty-password'], sig);
    must('pk12util', ['-i', 'signer.p12', '-d', 'sql:nss', '-W', ''], sig);
    const signed = join(sig, 'signed.pdf');
    must('pdfsig', ['-nssdir', 'sql:nss', '-nick', 'signer', '-add-signature', join(FIXTURES, 'scan-ru-secret-300.pdf'), signed], sig);
    const before = run('pdfsig', ['-nssdir', 'sql:nss', signed], sig).stdout;
    expect(before).toContain('Signature is Valid.');
    expect(before).toContain('Total document signed');

    const output = join(sig, 'signed.stamped.pdf');
    const o = await stampFile(signed, { from: 'KZ', to: 'KG', russian: false, pages: 'first', registration: { date: new Date() }, output, force: true }, session);
    expect(o.status, JSON.stringify(o)).toBe('stamped');
    checkOutput(signed, output);
    const after = run('pdfsig', ['-nssdir', 'sql:nss', output], sig).stdout;
    // The signature covers the carrier as received, and it still verifies; the stamp came after.
    expect(after).toContain('Signature is Valid.');
    expect(after).toContain('Not total document signed');
  });
});
