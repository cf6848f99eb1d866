// bin/grif end to end: the committed samples, bad input, exit codes and the JSON format.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/carriers.js';

const GRIF = join(ROOT, 'bin', 'grif');
const SAMPLES = join(ROOT, 'samples');

function grif(...args: string[]) {
  const r = spawnSync(GRIF, args, { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Expected {
  detect: Array<{ file: string; status: string; level: string | null }>;
  verify: Array<{ source: string; derived: string; status: string }>;
}
const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected.json'), 'utf8')) as Expected;

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('grif detect on the samples', () => {
  const before = new Map<string, string>();
  // The samples include scans: OCR them once for all the assertions below.
  let json: ReturnType<typeof grif>;
  let table: ReturnType<typeof grif>;
  beforeAll(() => {
    for (const f of readdirSync(join(SAMPLES, 'carriers'))) before.set(f, sha(join(SAMPLES, 'carriers', f)));
    json = grif('detect', '--json', 'samples/carriers');
    table = grif('detect', 'samples/carriers');
  }, 180_000);
  afterAll(() => {
    for (const [f, h] of before) expect(sha(join(SAMPLES, 'carriers', f)), `${f} was modified`).toBe(h);
  });

  it('--json prints exactly one object per file in the documented shape', () => {
    const r = json;
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(expected.detect.length);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['file', 'status', 'level', 'stamps', 'notes']));
      expect(['marked', 'unmarked', 'conflict', 'review', 'error']).toContain(line.status);
      for (const s of line.stamps as Array<Record<string, unknown>>) {
        expect(Object.keys(s)).toEqual(expect.arrayContaining(['lang', 'level', 'text', 'page', 'confidence']));
        // Stamps from PDFs and images carry their box on the page.
        if (/\.(pdf|png)$/.test(String(line.file))) expect(s.bbox).toEqual([expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)]);
      }
    }
  });

  it('gives every sample its expected verdict', () => {
    const lines = jsonLines(json.stdout);
    const got = new Map(lines.map((l) => [String(l.file).replace(/^samples\//, ''), l]));
    for (const e of expected.detect) {
      const line = got.get(e.file);
      expect(line, e.file).toBeDefined();
      expect({ file: e.file, status: line!.status, level: line!.level }).toEqual({ file: e.file, status: e.status, level: e.level });
    }
  });

  it('prints a readable table with a summary', () => {
    const r = table;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FILE\s+STATUS\s+LEVEL/);
    expect(r.stdout).toMatch(/16 file\(s\): 10 marked, 3 unmarked, 2 conflict, 1 review/);
  });

  it('never prints the body text of a carrier', () => {
    const r = grif('detect', '--json', 'samples/carriers/memo-ru-top-secret.txt');
    expect(r.stdout).not.toMatch(/запасных частей|Во исполнение/);
  });
});

describe('progress', () => {
  it('--progress reports each page read on stderr, and stdout stays pure JSON', () => {
    const r = grif('detect', '--json', '--progress', '.tmp/fixtures/digital-two-pages-ru.pdf');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/digital-two-pages-ru\.pdf: 1\/2 page\(s\) read/);
    expect(r.stderr).toMatch(/digital-two-pages-ru\.pdf: 2\/2 page\(s\) read/);
    expect(jsonLines(r.stdout)).toHaveLength(1);
  });
  it('is off when stderr is not a terminal', () => {
    expect(grif('detect', '--json', '.tmp/fixtures/digital-two-pages-ru.pdf').stderr).toBe('');
  });
});

describe('grif verify (the translation check)', () => {
  for (const v of expected.verify) {
    it(`${v.derived} against ${v.source}: ${v.status}`, () => {
      const r = grif('verify', '--json', '--source', join('samples', v.source), '--derived', join('samples', v.derived));
      // A failed check exits 3, so that `grif verify … && next` stops (README, grif help verify).
      expect(r.code).toBe(v.status === 'ok' ? 0 : 3);
      const out = JSON.parse(r.stdout) as { status: string; findings: Array<{ message: string }> };
      expect(out.status).toBe(v.status);
      if (v.status === 'violation') expect(out.findings[0]!.message).toMatch(/Art\. 6\.1/);
    });
  }
  it('prints a readable report', () => {
    const r = grif('verify', '--source', 'samples/carriers/memo-ru-top-secret.txt', '--derived', 'samples/carriers/translation-ru-secret.txt');
    expect(r.stdout).toMatch(/check:\s+violation \(the derived carrier must be marked at least top-secret\)/);
  });
  it('a missing file is exit 1 with its name', () => {
    const r = grif('verify', '--source', 'nope.txt', '--derived', 'samples/carriers/translation-ru-secret.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.txt: no such file/);
  });
});

describe('grif plan', () => {
  it('adds the Kyrgyz marking to a Kazakh secret carrier', () => {
    const r = grif('plan', '--from', 'KZ', '--to', 'KG', '--json', 'samples/carriers/agreement-kk-stamped-secret.txt');
    expect(r.code).toBe(0);
    const [line] = jsonLines(r.stdout);
    expect(line!.plan).toEqual({ action: 'add', level: 'secret', from: 'KZ', to: 'KG', markings: [{ lang: 'ky', text: 'Жашыруун' }] });
  });
  it('says why nothing is added, in plain words', () => {
    const r = grif('plan', '--from', 'kg', '--to', 'kz', '--russian', 'samples/carriers/conflict-kk-ru.txt', 'samples/carriers/report-ky-special-importance.txt');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conflict-kk-ru\.txt: conflict; nothing to add/);
    expect(r.stdout).toMatch(/report-ky-special-importance\.txt: marked \(special-importance\); add special-importance for KZ: "АСА МАҢЫЗДЫ" \(kk\) \+ "ОСОБОЙ ВАЖНОСТИ" \(ru\)/);
  });
});

describe('bad input: a clear error for that file, the rest of the batch goes on', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'grif-cli-'));
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x00, 0x01, 0x02, 0xff]));
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0xc1, 0xe5, 0xea, 0xf0, 0xe5]));
    writeFileSync(join(dir, 'pdf-in-disguise.txt'), '%PDF-1.7\n%...');
    writeFileSync(join(dir, 'scan.pdf'), '%PDF-1.7\n');
    writeFileSync(join(dir, 'letter.docx'), 'PK\u0003\u0004');
    writeFileSync(join(dir, 'ok.txt'), 'СЕКРЕТНО\nтекст\n');
    writeFileSync(join(dir, 'line\nbreak "quoted".txt'), 'ҚҰПИЯ\n');
    writeFileSync(join(dir, '-dash.txt'), 'ЖАШЫРУУН\n');
    mkdirSync(join(dir, 'empty'));
  });

  it('each bad file gets its own message and exit status 1; good files are still processed', () => {
    const files = ['binary.txt', 'latin1.txt', 'pdf-in-disguise.txt', 'letter.docx', 'missing.txt', 'scan.pdf', 'ok.txt'].map((f) => join(dir, f));
    const r = grif('detect', '--json', ...files);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['error', 'error', 'error', 'error', 'error', 'error', 'marked']);
    const notes = lines.map((l) => (l.notes as string[])[0] ?? '');
    expect(notes[0]).toMatch(/binary file, not UTF-8 text/);
    expect(notes[1]).toMatch(/not valid UTF-8 text; save it as UTF-8/);
    expect(notes[2]).toMatch(/named as plain text but the content is a PDF/);
    expect(notes[3]).toMatch(/cannot read \.docx files; supported: \.pdf, \.png/);
    expect(notes[4]).toMatch(/missing\.txt: no such file/);
    expect(notes[5]).toMatch(/scan\.pdf: the PDF is truncated or damaged/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(6);
  });

  it('a named pipe (FIFO) among the files is refused at once, in detect and in stamp; the others are processed', () => {
    const fifo = join(dir, 'pipe.pdf');
    spawnSync('mkfifo', [fifo]);
    const r = spawnSync(GRIF, ['detect', '--json', fifo, join(dir, 'ok.txt')], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.error, 'detect hung on the FIFO').toBeUndefined();
    expect(r.status).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['error', 'marked']);
    expect((lines[0]!.notes as string[])[0]).toMatch(/pipe\.pdf: is a named pipe \(FIFO\), not a carrier file/);
    const out = mkdtempSync(join(tmpdir(), 'grif-cli-fifo-'));
    const s = spawnSync(GRIF, ['stamp', '--json', '--from', 'KZ', '--to', 'KG', '--out', out, fifo, '.tmp/fixtures/digital-ru-secret.pdf'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(s.error, 'stamp hung on the FIFO').toBeUndefined();
    expect(jsonLines(s.stdout).map((l) => l.status)).toEqual(['error', 'stamped']);
  });

  it('hostile file names come out intact in JSON', () => {
    const r = grif('detect', '--json', '--', join(dir, 'line\nbreak "quoted".txt'), join(dir, '-dash.txt'));
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.file)).toEqual([join(dir, 'line\nbreak "quoted".txt'), join(dir, '-dash.txt')]);
    expect(lines.map((l) => l.level)).toEqual(['secret', 'secret']);
  });

  it('a directory with no carriers is a usage error', () => {
    const r = grif('detect', join(dir, 'empty'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no carrier files found/);
  });
});

describe('grif stamp', () => {
  it('stamps into a directory, one JSON line per carrier, receipts beside the PDFs', () => {
    const out = mkdtempSync(join(tmpdir(), 'grif-cli-stamp-'));
    const r = grif('stamp', '--json', '--receipt', '--from', 'KZ', '--to', 'KG', '--out', out, '--copy', '3',
      '.tmp/fixtures/digital-kk-top-secret.pdf', '.tmp/fixtures/digital-unmarked-ru.pdf', 'samples/carriers/memo-ru-top-secret.txt');
    expect(r.code).toBe(1); // the .txt carrier cannot take a stamp
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.status)).toEqual(['stamped', 'unchanged', 'error']);
    expect(lines[0]).toMatchObject({ level: 'top-secret', update: 'incremental', output: join(out, 'digital-kk-top-secret.stamped.pdf') });
    expect(lines[2]!.error).toMatch(/cannot take a stamp/);
    const receipt = JSON.parse(readFileSync(join(out, 'digital-kk-top-secret.stamped.receipt.json'), 'utf8')) as Record<string, unknown>;
    expect(receipt).toMatchObject({ level: 'top-secret', from: 'KZ', to: 'KG', update: 'incremental' });
    const back = jsonLines(grif('detect', '--json', join(out, 'digital-kk-top-secret.stamped.pdf')).stdout)[0]!;
    expect(back).toMatchObject({ status: 'marked', level: 'top-secret' });
  });
  it('killed mid-write (SIGKILL between writing its output aside and renaming it), it leaves no output; the next run removes what was left', () => {
    const out = mkdtempSync(join(tmpdir(), 'grif-cli-killed-'));
    const killed = spawnSync(GRIF, ['stamp', '--from', 'KZ', '--to', 'KG', '--out', out, '.tmp/fixtures/digital-ru-secret.pdf'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, GRIF_CRASH_AT: 'output-written' },
    });
    expect(killed.signal).toBe('SIGKILL');
    const left = readdirSync(out);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.digital-ru-secret\.stamped\.pdf\.\d+\.[0-9a-f]{8}\.part$/);
    const again = grif('stamp', '--from', 'KZ', '--to', 'KG', '--out', out, '.tmp/fixtures/digital-ru-secret.pdf');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/removed 1 temporary file/);
    expect(readdirSync(out)).toEqual(['digital-ru-secret.stamped.pdf']);
  });

  it('several carriers need --out to be a directory', () => {
    const r = grif('stamp', '--from', 'KZ', '--to', 'KG', '--out', join(tmpdir(), 'not-a-dir.pdf'), '.tmp/fixtures/digital-ru-secret.pdf', '.tmp/fixtures/digital-kk-top-secret.pdf');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out must be an existing directory/);
  });
  it('a bad date is a usage error', () => {
    expect(grif('stamp', '--from', 'KZ', '--to', 'KG', '--out', join(tmpdir(), 'x.pdf'), '--date', '2026-13-01', 'x.pdf').code).toBe(2);
  });
});

describe('usage', () => {
  it.each([['--help'], ['detect', '--help'], ['verify', '--help'], ['plan', '--help'], ['stamp', '--help'], ['levels', '--help'], ['--version']])('%s %s exits 0', (...args) => {
    const r = grif(...args);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
  });
  it.each([
    [['bogus']],
    [['detect']],
    [['verify', '--source', 'a.txt']],
    [['plan', '--from', 'RU', '--to', 'KG', 'x.txt']],
    [['plan', '--from', 'KZ', '--to', 'KZ', 'x.txt']],
    [['detect', '--nope', 'x.txt']],
  ])('%j exits 2 with a message', (args) => {
    const r = grif(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
  });
  it('levels prints the Article 3 table', () => {
    const r = grif('levels');
    expect(r.stdout).toContain('top-secret\t2\tӨте құпия\tАбдан жашыруун\tСовершенно секретно');
  });
});
