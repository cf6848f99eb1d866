// grif register: the command object called in process, with stdout captured.
import { CommanderError } from 'commander';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCommand } from '../../src/cli/register-command.js';
import { GrifError } from '../../src/errors.js';
import { openRegister } from '../../src/register/open-register.js';
import { carrierIdOf } from '../../src/register/rows.js';
import { runSqliteSql } from '../helpers/sqlite.js';
import { runInProcess } from '../helpers/cli-in-process.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

// A fresh command object each time: commander keeps the options it parsed.
const run = (...args: string[]) => runInProcess(registerCommand().exitOverride(), args);

describe('grif register', () => {
  let dir: string;
  let path: string;
  const ids: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grif-register-cli-'));
    path = join(dir, 'register.sqlite');
    const reg = await openRegister(path);
    const names = ['Приказ №5.pdf', '=cmd|"/c calc"!A1.pdf', 'report, final.pdf', 'esc\u001b[31mred\u202efdp.exe'];
    for (const [i, name] of names.entries()) {
      const inputSha256 = sha(name);
      const id = carrierIdOf(inputSha256, 'KZ', 'KG');
      ids.push(id);
      await reg.addCarrier({ id, name, from: 'KZ', to: 'KG', inputSha256, kind: 'carrier', derivedFrom: null, intake: 'inbox', receivedAt: `2026-03-0${i + 1}T09:00:00.000Z` });
      const step = { carrierId: id, level: null, stamps: [], decidedBy: 'grif 0.1.0', reference: null, outputSha256: null, outputPath: null, detail: null, key: null };
      await reg.addEvent({ ...step, kind: 'extracted' });
      await reg.addEvent({ ...step, kind: 'to-stamp', level: 'secret' });
      await reg.addEvent({ carrierId: id, kind: 'stamped', level: 'secret', stamps: [], decidedBy: 'grif 0.1.0', reference: i === 0 ? 'ГКНБ-17' : null, outputSha256: sha(`${name} out`), outputPath: `outbox/${i}.pdf`, detail: null, key: `${id}:stamped` });
    }
    await reg.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it('prints a table, newest first, with the totals', async () => {
    const r = await run('--register', path);
    expect(r.error).toBeUndefined();
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^incoming\s+received \(UTC\)\s+id\s+dir\s+kind\s+status\s+level\s+name$/);
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/)[3])).toEqual([...ids].reverse());
    // Incoming numbers in the order received: the last received has the highest.
    expect(lines.slice(1, 5).map((l) => l.split(/\s+/)[0])).toEqual(['4/2026', '3/2026', '2/2026', '1/2026']);
    expect(lines[1]).toContain('2026-03-04 09:00');
    expect(lines[4]).toMatch(/KZ→KG\s+carrier\s+stamped\s+secret\s+Приказ №5\.pdf$/);
    // A hostile name cannot send escape sequences to the terminal.
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('esc\\x1b[31mred\\u202efdp.exe');
    expect(lines[5]).toBe('4 carrier(s) shown; the register holds 4 carrier(s) and 16 event(s)');
  });

  it('--csv exports every carrier, formulas neutralised', async () => {
    const r = await run('--register', `sqlite:${path}`, '--csv');
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('incoming,id,receivedAt,name,from,to,kind,derivedFrom,inputSha256,status,level,decidedBy,reference,outputSha256,outputPath');
    expect(lines).toHaveLength(6);
    expect(r.stdout).toContain(`"'=cmd|""/c calc""!A1.pdf"`);
    expect(r.stdout).toContain('"report, final.pdf"');
  });

  it('--json --search --limit: one object per line with its events', async () => {
    const r = await run('--register', path, '--json', '--search', 'гкнб');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; events: unknown[] });
    expect(lines.map((l) => l.id)).toEqual([ids[0]]);
    expect(lines[0]?.events).toHaveLength(4);
    const limited = await run('--register', path, '--json', '--limit', '2');
    expect(limited.stdout.trim().split('\n')).toHaveLength(2);
    const none = await run('--register', path, '--search', 'nothing like this');
    expect(none.stdout).toBe('0 carrier(s) matching "nothing like this" shown; the register holds 4 carrier(s) and 16 event(s)\n');
  });

  it('takes the register from GRIF_REGISTER_URL', async () => {
    vi.stubEnv('GRIF_REGISTER_URL', path);
    const r = await run('--csv');
    expect(r.stdout.split('\r\n')).toHaveLength(6);
  });

  it('says so when the default register does not exist, and creates nothing', async () => {
    vi.stubEnv('GRIF_REGISTER_URL', '');
    const cwd = process.cwd();
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    process.chdir(empty);
    try {
      const r = await run();
      expect(r.error).toBeInstanceOf(GrifError);
      expect((r.error as GrifError).code).toBe('register');
      expect((r.error as Error).message).toMatch(/^there is no register at \/.*\/grif-data\/register\.sqlite \(the default\)/);
      expect(existsSync(join(empty, 'grif-data'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
    const missing = join(dir, 'typo.sqlite');
    expect(((await run('--register', missing)).error as Error).message).toContain(`there is no register at ${missing} (--register)`);
    expect(existsSync(missing)).toBe(false);
  });

  it('reads DIR/register.sqlite with --dir or GRIF_DIR', async () => {
    expect((await run('--dir', dir, '--csv')).stdout.split('\r\n')).toHaveLength(6);
    vi.stubEnv('GRIF_REGISTER_URL', '');
    vi.stubEnv('GRIF_DIR', dir);
    expect((await run('--csv')).stdout.split('\r\n')).toHaveLength(6);
  });

  it('--incoming-format writes the numbers as the registry does, and refuses a format without {seq}', async () => {
    const r = await run('--register', path, '--csv', '--incoming-format', 'Вх-{seq}/{yy}');
    expect(r.stdout).toContain('\r\nВх-1/26,');
    expect((await run('--register', path, '--incoming-format', '{yyyy}')).error).toBeInstanceOf(CommanderError);
  });

  it('verify: exit 0 and the head for an intact chain; 3 naming the first broken link after a row is edited', async () => {
    const ok = await run('verify', '--register', path);
    expect(ok.error).toBeUndefined();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^the register's chain is intact: 16 event\(s\) over 4 carrier\(s\); head: event 16, [0-9a-f]{64}\n$/);
    const json = JSON.parse((await run('verify', '--register', path, '--json')).stdout) as { ok: boolean; head: { n: number } };
    expect(json).toMatchObject({ ok: true, head: { n: 16 } });

    const copy = join(dir, 'tampered.sqlite');
    copyFileSync(path, copy);
    await runSqliteSql(copy, `DROP TRIGGER events_no_update; UPDATE events SET level = 'top-secret' WHERE n = 7`);
    const broken = await run('verify', '--register', copy);
    expect(broken.stdout).toMatch(/BROKEN: event 7 \(to-stamp, carrier .*\) was changed after it was written/);
    expect(broken.code).toBe(3);
  });

  it('refuses --json with --csv, and a --limit that is not a count', async () => {
    expect((await run('--register', path, '--json', '--csv')).error).toBeInstanceOf(CommanderError);
    const r = await run('--register', path, '--limit', '0');
    expect(r.error).toBeInstanceOf(CommanderError);
    expect(r.stderr).toContain('--limit must be a whole number above 0');
  });
});
