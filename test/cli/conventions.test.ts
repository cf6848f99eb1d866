// Command-line conventions (issue 10): verify's exit status gates a script, stamp refuses its
// outputs before reading a carrier, limits hold for every kind of carrier, and names from outside
// are escaped in everything printed for people (JSON keeps them exact).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/cli/printable.js';
import { ROOT } from '../helpers/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';

const GRIF = join(ROOT, 'bin', 'grif');
const SAMPLES = join(ROOT, 'samples', 'carriers');

function grif(args: string[], opts: { asNobody?: boolean } = {}) {
  const started = Date.now();
  // As root, write permissions are not enforced: a refused folder is tried as the user nobody.
  // nobody keeps the right to read and traverse (not to write), so a clone in a private folder
  // (mktemp -d is 0700) can still run bin/grif.
  const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=+dac_read_search', '--ambient-caps=+dac_read_search'];
  const [cmd, argv] = opts.asNobody ? ['setpriv', [...asNobody, GRIF, ...args]] : [GRIF, args];
  const r = spawnSync(cmd as string, argv as string[], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'grif-conventions-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grif verify exit status', () => {
  const verify = (source: string, derived: string, ...more: string[]) =>
    grif(['verify', ...more, '--source', join(SAMPLES, source), '--derived', join(SAMPLES, derived)]);

  it('0 when the derived carrier is marked no lower than its source', () => {
    expect(verify('agreement-kk-stamped-secret.txt', 'translation-ru-secret.txt').code).toBe(0);
  });
  it('3 when it is marked lower, in the table and in JSON alike', () => {
    const r = verify('memo-ru-top-secret.txt', 'translation-ru-secret.txt');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/check:\s+violation/);
    expect(verify('memo-ru-top-secret.txt', 'translation-ru-secret.txt', '--json').code).toBe(3);
  });
  it('3 when it is unmarked though its source is marked', () => {
    expect(verify('agreement-kk-stamped-secret.txt', 'translation-ru-unmarked.txt').code).toBe(3);
  });
  it('4 when a person must decide a level first', () => {
    const r = verify('memo-ru-top-secret.txt', 'garbled-ru-review.txt', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'review' });
    expect(r.code).toBe(4);
  });
  it('gates a shell script: `verify && next` does not go on after a failed check', () => {
    const script = `"${GRIF}" verify --source "${join(SAMPLES, 'memo-ru-top-secret.txt')}" --derived "${join(SAMPLES, 'translation-ru-secret.txt')}" >/dev/null && echo SENT`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.stdout).not.toContain('SENT');
  });
  it('documents its exit status in --help', () => {
    const r = grif(['verify', '--help']);
    expect(r.stdout).toMatch(/Exit status: 0 when the check passes/);
    expect(r.stdout).toMatch(/3 when it fails/);
    expect(r.stdout).toMatch(/4 when a person must decide/);
  });
});

describe('grif stamp refuses its outputs before reading any carrier', () => {
  // A scan: reading it is seconds of OCR. A refusal must come before any of it.
  const scan = join(FIXTURES, 'scan-kk-secret-300.pdf');
  const stamp = (...args: string[]) => grif(['stamp', '--from', 'KZ', '--to', 'KG', '--progress', ...args]);
  const refusedAtOnce = (r: ReturnType<typeof stamp>) => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing was read or written/);
    expect(r.stderr).not.toMatch(/page\(s\) read/);
    expect(r.stdout).toBe('');
  };

  it('an existing --out without --force', () => {
    const out = join(dir, 'exists.pdf');
    writeFileSync(out, 'mine');
    const r = stamp('--out', out, scan);
    refusedAtOnce(r);
    expect(r.stderr).toMatch(/exists\.pdf: already exists; give --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });
  it('an output folder that does not exist', () => {
    const r = stamp('--out', join(dir, 'no-such-folder', 'x.pdf'), scan);
    refusedAtOnce(r);
    expect(r.stderr).toMatch(/the folder .*no-such-folder does not exist/);
  });
  it('an output folder that is not writable', () => {
    const ro = join(dir, 'read-only');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(ro, 0o555);
    const root = process.getuid?.() === 0;
    if (root && spawnSync('setpriv', ['--version']).status !== 0) return; // no way to drop root here
    const r = grif(['stamp', '--from', 'KZ', '--to', 'KG', '--progress', '--out', join(ro, 'x.pdf'), scan], { asNobody: root });
    refusedAtOnce(r);
    expect(r.stderr).toMatch(/read-only is not writable/);
  });
  it('an output that is the input itself, even with --force', () => {
    const copy = join(dir, 'input.pdf');
    copyFileSync(scan, copy);
    const before = readFileSync(copy);
    const r = stamp('--force', '--out', join(dir, '.', 'input.pdf'), copy);
    refusedAtOnce(r);
    expect(r.stderr).toMatch(/refusing to write over the input/);
    expect(readFileSync(copy).equals(before)).toBe(true);
  });
  it('an existing receipt without --force, and two carriers with one output name: every refusal said', () => {
    const out = join(dir, 'out');
    const other = join(dir, 'other');
    mkdirSync(out);
    mkdirSync(other);
    copyFileSync(scan, join(other, 'scan-kk-secret-300.pdf'));
    writeFileSync(join(out, 'scan-kk-secret-300.stamped.receipt.json'), '{}');
    const r = stamp('--receipt', '--out', out, scan, join(other, 'scan-kk-secret-300.pdf'));
    refusedAtOnce(r);
    expect(r.stderr).toMatch(/scan-kk-secret-300\.stamped\.receipt\.json: already exists/);
    expect(r.stderr).toMatch(/both .* would be stamped to it/);
    expect(existsSync(join(out, 'scan-kk-secret-300.stamped.pdf'))).toBe(false);
  });
  it('says the rule in --help', () => {
    expect(grif(['stamp', '--help']).stdout).toMatch(/outputs are checked before any carrier is read/);
  });
});

describe('limits hold for every kind of carrier', () => {
  it('--max-pages counts the pages of a text carrier (form feeds)', () => {
    const file = join(dir, 'three-pages.txt');
    writeFileSync(file, 'СЕКРЕТНО\nпервая\fвторая\fтретья\n');
    const over = grif(['detect', '--json', '--max-pages', '2', file]);
    expect(over.code).toBe(1);
    expect(JSON.parse(over.stdout)).toMatchObject({ status: 'error', notes: [expect.stringMatching(/3 pages .* over the limit of 2 pages \(--max-pages\)/)] });
    const within = grif(['detect', '--json', '--max-pages', '3', file]);
    expect(JSON.parse(within.stdout)).toMatchObject({ status: 'marked', level: 'secret' });
  });
  it('--max-bytes applies to a text carrier', () => {
    const file = join(dir, 'small.txt');
    writeFileSync(file, 'СЕКРЕТНО\nтекст\n');
    const r = grif(['detect', '--json', '--max-bytes', '10', file]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', notes: [expect.stringMatching(/over the limit of 10 bytes/)] });
  });
  it('--max-pages counts the frames of a TIFF, for detect and for stamp (before it is made a PDF)', () => {
    const tiff = join(FIXTURES, 'image-ru-special-importance.tif'); // two frames
    const d = grif(['detect', '--json', '--max-pages', '1', tiff]);
    expect(JSON.parse(d.stdout)).toMatchObject({ status: 'error', notes: [expect.stringMatching(/2 pages is over the limit of 1 pages/)] });
    const s = grif(['stamp', '--json', '--from', 'KG', '--to', 'KZ', '--max-pages', '1', '--out', join(dir, 'tiff.pdf'), tiff]);
    expect(s.code).toBe(1);
    expect(JSON.parse(s.stdout)).toMatchObject({ status: 'error', error: expect.stringMatching(/2 pages is over the limit of 1 pages/) });
  });
  it('--max-bytes applies to images and PDFs too', () => {
    const r = grif(['detect', '--json', '--max-bytes', '100', join(FIXTURES, 'image-kk-secret.png'), join(FIXTURES, 'digital-ru-secret.pdf')]);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { status: string })).toEqual([
      expect.objectContaining({ status: 'error' }),
      expect.objectContaining({ status: 'error' }),
    ]);
  });
});

describe('names from outside are escaped for people, exact in JSON', () => {
  const hostile = 'line\nbreak\ttab\u202eevil\u001b[31m.txt';
  let file: string;
  let missing: string;
  beforeAll(() => {
    file = join(dir, hostile);
    writeFileSync(file, 'ҚҰПИЯ\nмәтін\n');
    missing = join(dir, 'gone\r\n.txt');
  });
  const shown = (s: string) => printable(s);

  it('printable escapes controls and bidi overrides visibly, and a backslash so escapes stay unambiguous', () => {
    expect(printable('a\nb\tc\r\u0007\u202e\u2066\u0085d\\n')).toBe('a\\nb\\tc\\r\\x07\\u202e\\u2066\\x85d\\\\n');
    expect(printable('Өте құпия — obычное имя.pdf')).toBe('Өте құпия — obычное имя.pdf');
  });
  it('the detect table keeps one line per row, with the name escaped, errors too', () => {
    const r = grif(['detect', file, missing]);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^${escapeRe(shown(file))}\\s+marked\\s+secret$`));
    expect(lines[2]).toMatch(/^ {4}stamp: /);
    expect(lines[3]).toMatch(new RegExp(`^${escapeRe(shown(missing))}\\s+error`));
    expect(lines[4]).toBe(`    error: ${shown(missing)}: no such file`);
    expect(lines[5]).toBe('2 file(s): 1 marked, 1 error');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(r.stderr).toBe(`grif: ${shown(missing)}: no such file\n`);
  });
  it('JSON keeps the exact name', () => {
    const r = grif(['detect', '--json', file]);
    expect((JSON.parse(r.stdout) as { file: string }).file).toBe(file);
  });
  it('verify, plan and stamp print escaped names too', () => {
    const v = grif(['verify', '--source', file, '--derived', file]);
    expect(v.stdout).toContain(`source:  ${shown(file)}: marked (secret)`);
    const p = grif(['plan', '--from', 'KZ', '--to', 'KG', file]);
    expect(p.stdout).toBe(`${shown(file)}: marked (secret); add secret for KG: "ЖАШЫРУУН" (ky)\n`);
    const s = grif(['stamp', '--from', 'KZ', '--to', 'KG', '--out', join(dir, 'x.pdf'), file]);
    expect(s.stdout.split('\n')).toHaveLength(2);
    expect(s.stdout).toContain(`${shown(file)}: error: ${shown(file)}: grif stamps PDFs and images`);
    expect(s.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });
  it('usage errors that quote a name escape it', () => {
    const empty = join(dir, 'empty\nfolder');
    mkdirSync(empty);
    const r = grif(['detect', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(shown(empty));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
