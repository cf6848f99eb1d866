// One behavioural suite run against both backends: SQLite in a temp file and a real PostgreSQL.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/article3.js';
import { GrifError } from '../../src/errors.js';
import { openRegister } from '../../src/register/open-register.js';
import type { NewCarrier, NewEvent, Register } from '../../src/register/register.js';
import { carrierIdOf } from '../../src/register/rows.js';
import { POSTGRES_SKIP_REASON, postgresAvailable, runSql, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { runSqliteSql } from '../helpers/sqlite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function carrier(content: string, over: Partial<NewCarrier> = {}): NewCarrier {
  const from: PartyId = over.from ?? 'KZ';
  const to: PartyId = over.to ?? 'KG';
  const inputSha256 = over.inputSha256 ?? sha(content);
  return { id: carrierIdOf(inputSha256, from, to), name: `${content}.pdf`, from, to, inputSha256, kind: 'carrier', derivedFrom: null, intake: 'inbox', ...over };
}

function event(carrierId: string, over: Partial<NewEvent> = {}): NewEvent {
  return {
    carrierId, kind: 'verdict', level: 'secret', stamps: [{ lang: 'kk', level: 'secret', page: 1, bbox: [1, 2, 3, 4], evidence: 'Құпия' }],
    decidedBy: 'grif 0.1.0', reference: null, outputSha256: null, outputPath: null, detail: null, key: null, ...over,
  };
}

interface Backend {
  /** A location for a new, empty register. */
  fresh(): Promise<string>;
  /** Runs SQL straight through the driver, past the register's API. */
  raw(url: string, sql: string): Promise<void>;
}

// Two processes register the same carriers at the same moment, each through its own connection.
function racer(url: string, n: number, startAt: number, backwards: boolean): Promise<{ carriers: number; events: number; start: number; end: number }> {
  const module = pathToFileURL(join(ROOT, 'dist/src/register/open-register.js')).href;
  const rows = pathToFileURL(join(ROOT, 'dist/src/register/rows.js')).href;
  const code = `
    const { openRegister } = await import(${JSON.stringify(module)});
    const { carrierIdOf } = await import(${JSON.stringify(rows)});
    const { createHash } = await import('node:crypto');
    const reg = await openRegister(${JSON.stringify(url)});
    await new Promise((r) => setTimeout(r, Math.max(0, ${startAt} - Date.now())));
    let carriers = 0, events = 0;
    const start = Date.now();
    for (let j = 0; j < ${n}; j++) {
      const i = ${backwards} ? ${n} - 1 - j : j;
      const inputSha256 = createHash('sha256').update('race ' + i).digest('hex');
      const id = carrierIdOf(inputSha256, 'KZ', 'KG');
      const c = await reg.addCarrier({ id, name: 'race-' + i + '.pdf', from: 'KZ', to: 'KG', inputSha256, kind: 'carrier', derivedFrom: null, intake: 'inbox' });
      const e = await reg.addEvent({ carrierId: id, kind: 'verdict', level: null, stamps: [], decidedBy: 'grif', reference: null, outputSha256: null, outputPath: null, detail: null, key: id + ':verdict' });
      carriers += c.created ? 1 : 0;
      events += e.created ? 1 : 0;
    }
    await reg.close();
    process.stdout.write(JSON.stringify({ carriers, events, start, end: Date.now() }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { carriers: number; events: number; start: number; end: number }) : reject(new Error(`racer exited ${code}: ${err}`))));
  });
}

function behaviour(backend: Backend): void {
  let url: string;
  let reg: Register;
  beforeEach(async () => {
    url = await backend.fresh();
    reg = await openRegister(url);
  });
  afterEach(async () => {
    await reg.close();
  });

  it('adds a carrier once: a second add returns the stored row, unchanged', async () => {
    const c = carrier('one', { receivedAt: '2026-03-01T10:00:00.000Z' });
    const first = await reg.addCarrier(c);
    expect(first).toEqual({ created: true, row: { ...c, receivedAt: '2026-03-01T10:00:00.000Z', incoming: { year: 2026, seq: 1 } } });
    const again = await reg.addCarrier({ ...c, name: 'renamed.pdf', intake: 'http' });
    expect(again).toEqual({ created: false, row: first.row });
    // Its one event: registered, in the state 'received'.
    expect(await reg.count()).toEqual({ carriers: 1, events: 1 });
    expect((await reg.stateOf(c.id))?.state).toBe('received');
  });

  it('is unique on the bytes and direction: another id for the same carrier gets the first row', async () => {
    const c = carrier('same bytes');
    const { row } = await reg.addCarrier(c);
    expect(await reg.addCarrier({ ...c, id: 'some-other-id' })).toEqual({ created: false, row });
    // The same bytes sent the other way are another carrier.
    const back = await reg.addCarrier(carrier('same bytes', { from: 'KG', to: 'KZ' }));
    expect(back.created).toBe(true);
    expect((await reg.findBySha(c.inputSha256.toUpperCase())).map((r) => r.id).sort()).toEqual([row.id, back.row.id].sort());
    expect(await reg.findBySha(sha('absent'))).toEqual([]);
    await expect(reg.findBySha('abc')).rejects.toThrow(/64 hexadecimal/);
  });

  it('records a copy with its source', async () => {
    const source = await reg.addCarrier(carrier('source'));
    const copy = await reg.addCarrier(carrier('translation', { kind: 'copy', derivedFrom: source.row.id, intake: 'cli' }));
    expect((await reg.carrier(copy.row.id))?.derivedFrom).toBe(source.row.id);
  });

  it('appends events in order; a keyed event is written once', async () => {
    const { row } = await reg.addCarrier(carrier('events'));
    const verdict = await reg.addEvent(event(row.id, { key: `${row.id}:verdict` }));
    expect(verdict.created).toBe(true);
    const again = await reg.addEvent(event(row.id, { key: `${row.id}:verdict`, level: 'top-secret' }));
    expect(again).toEqual({ created: false, event: verdict.event });
    const out = sha('stamped output');
    await reg.addEvent(event(row.id, { kind: 'extracted' }));
    await reg.addEvent(event(row.id, { kind: 'to-stamp' }));
    const stamped = await reg.addEvent(event(row.id, { kind: 'stamped', outputSha256: out.toUpperCase(), outputPath: 'outbox/events.pdf', key: `${row.id}:stamped` }));
    const note1 = await reg.addEvent(event(row.id, { kind: 'duplicate', level: null, stamps: [], detail: 'dropped again' }));
    const note2 = await reg.addEvent(event(row.id, { kind: 'duplicate', level: null, stamps: [], detail: 'dropped again' }));
    expect(note2.created).toBe(true);
    expect(note2.event.seq).toBeGreaterThan(note1.event.seq);

    const entry = await reg.carrier(row.id);
    expect(entry?.events.map((e) => e.kind)).toEqual(['registered', 'verdict', 'extracted', 'to-stamp', 'stamped', 'duplicate', 'duplicate']);
    expect(entry?.events.map((e) => e.state)).toEqual(['received', null, 'extracted', 'to-stamp', 'stamped', null, null]);
    expect(entry?.events.map((e) => e.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(entry?.events[1]).toEqual(verdict.event);
    expect(entry?.events[1]?.stamps).toEqual(event(row.id).stamps);
    expect(entry?.events[4]).toMatchObject({ outputSha256: out, outputPath: 'outbox/events.pdf', seq: stamped.event.seq });
    expect(await reg.count()).toEqual({ carriers: 1, events: 7 });
    expect((await reg.stateOf(row.id))?.state).toBe('stamped');
  });

  it('refuses an event for an unknown carrier, and an event key taken by another carrier', async () => {
    await expect(reg.addEvent(event('nope-KZ-KG'))).rejects.toThrow(/no carrier nope-KZ-KG/);
    const a = await reg.addCarrier(carrier('a'));
    const b = await reg.addCarrier(carrier('b'));
    await reg.addEvent(event(a.row.id, { key: 'k1' }));
    await expect(reg.addEvent(event(b.row.id, { key: 'k1' }))).rejects.toThrow(/already used for carrier/);
  });

  it('refuses rows it could never correct afterwards', async () => {
    const bad: Array<[Partial<NewCarrier>, RegExp]> = [
      [{ inputSha256: 'xyz' }, /64 hexadecimal/],
      [{ from: 'KG', to: 'KG' }, /both KG/],
      [{ to: 'RU' as PartyId }, /KZ or KG/],
      [{ kind: 'copy' }, /needs derivedFrom/],
      [{ derivedFrom: 'x' }, /has no derivedFrom/],
      [{ receivedAt: 'yesterday' }, /ISO 8601/],
      [{ name: '' }, /name/],
    ];
    for (const [over, message] of bad) {
      const err = await reg.addCarrier(carrier('bad', over)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrifError);
      expect((err as GrifError).code).toBe('register');
      expect((err as Error).message).toMatch(message);
    }
    const { row } = await reg.addCarrier(carrier('good'));
    await expect(reg.addEvent(event(row.id, { level: 'secretish' as never }))).rejects.toThrow(/Article 3 level/);
    await expect(reg.addEvent(event(row.id, { decidedBy: ' ' }))).rejects.toThrow(/decidedBy/);
    await expect(reg.addEvent(event(row.id, { stamps: {} as never }))).rejects.toThrow(/array/);
    expect(await reg.count()).toEqual({ carriers: 1, events: 1 });
  });

  it('is append-only in the database: UPDATE and DELETE through the driver fail', async () => {
    const { row } = await reg.addCarrier(carrier('kept'));
    await reg.addEvent(event(row.id));
    for (const sql of [
      `UPDATE carriers SET name = 'forged.pdf'`,
      `DELETE FROM carriers`,
      `UPDATE events SET level = 'top-secret'`,
      `DELETE FROM events`,
    ]) {
      await expect(backend.raw(url, sql), sql).rejects.toThrow(/append-only/);
    }
    const entry = await reg.carrier(row.id);
    expect(entry?.name).toBe('kept.pdf');
    expect(entry?.events[1]?.level).toBe('secret');
  });

  it('keeps what was written across close and reopen', async () => {
    const { row } = await reg.addCarrier(carrier('durable', { name: 'Приказ №5, «секретно».pdf' }));
    await reg.addEvent(event(row.id, { kind: 'extracted' }));
    await reg.addEvent(event(row.id, { kind: 'review' }));
    const { event: e } = await reg.addEvent(event(row.id, { kind: 'decision', level: 'top-secret', decidedBy: 'A. Ivanova', reference: 'ГКНБ-17/2026', key: 'd1' }));
    const before = await reg.carrier(row.id);
    await reg.close();
    reg = await openRegister(url);
    expect(await reg.carrier(row.id)).toEqual(before);
    expect((await reg.addEvent(event(row.id, { key: 'd1' }))).event).toEqual(e);
    expect(await reg.count()).toEqual({ carriers: 1, events: 4 });
    expect((await reg.verify()).ok).toBe(true);
  });

  it('two connections adding the same carrier at once make one row', async () => {
    const other = await openRegister(url);
    try {
      const c = carrier('twice');
      const results = await Promise.all([reg.addCarrier(c), other.addCarrier(c), reg.addCarrier(c), other.addCarrier(c)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(r.row))).size).toBe(1);
      const events = await Promise.all([reg, other, reg, other].map((r) => r.addEvent(event(c.id, { key: 'once' }))));
      expect(events.filter((r) => r.created)).toHaveLength(1);
      expect(await other.count()).toEqual({ carriers: 1, events: 2 });
    } finally {
      await other.close();
    }
  });

  it('two processes registering the same carriers at once make one row each', async () => {
    const n = 200;
    const startAt = Date.now() + 1500;
    // One goes forwards and the other backwards, so that they meet on the same carriers.
    const [a, b] = await Promise.all([racer(url, n, startAt, false), racer(url, n, startAt, true)]);
    expect(a.carriers + b.carriers).toBe(n);
    expect(a.events + b.events).toBe(n);
    expect(await reg.count()).toEqual({ carriers: n, events: 2 * n });
    // Incoming numbers 1…n, each once, whichever process registered the carrier.
    const numbers = (await reg.list()).map((e) => e.incoming!.seq).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(await reg.verify()).toMatchObject({ ok: true, events: 2 * n, carriers: n });
  }, 60_000);

  it('lists newest first, searches names, ids, hashes, levels, people and references, and pages', async () => {
    const at = (m: number): string => `2026-03-01T10:${String(m).padStart(2, '0')}:00.000Z`;
    const a = await reg.addCarrier(carrier('a', { name: 'Приказ №5.pdf', receivedAt: at(1) }));
    const b = await reg.addCarrier(carrier('b', { name: 'Report.PDF', receivedAt: at(2), from: 'KG', to: 'KZ' }));
    const c = await reg.addCarrier(carrier('c', { name: '=HYPERLINK("x").pdf', receivedAt: at(3) }));
    const d = await reg.addCarrier(carrier('d', { name: 'same-minute.pdf', receivedAt: at(3) }));
    for (const x of [a, b, c]) await reg.addEvent(event(x.row.id, { kind: 'extracted', level: null }));
    await reg.addEvent(event(a.row.id, { kind: 'review', level: 'top-secret' }));
    await reg.addEvent(event(b.row.id, { kind: 'review', level: null }));
    await reg.addEvent(event(b.row.id, { kind: 'decision', decidedBy: 'A. Ivanova', reference: 'ГКНБ-17/2026' }));
    await reg.addEvent(event(c.row.id, { kind: 'to-stamp', level: null }));
    await reg.addEvent(event(c.row.id, { kind: 'stamped', outputSha256: sha('c out') }));

    const ids = async (search?: string, paging: { limit?: number; offset?: number } = {}): Promise<string[]> =>
      (await reg.list({ ...(search !== undefined ? { search } : {}), ...paging })).map((e) => e.id);
    // Same receivedAt: the one registered later comes first.
    expect(await ids()).toEqual([d.row.id, c.row.id, b.row.id, a.row.id]);
    expect(await ids(undefined, { limit: 2, offset: 1 })).toEqual([c.row.id, b.row.id]);
    expect(await ids(undefined, { limit: 0 })).toEqual([]);
    expect(await ids('report')).toEqual([b.row.id]);
    expect(await ids('Приказ')).toEqual([a.row.id]);
    expect(await ids('ПРИКАЗ №')).toEqual([a.row.id]);
    expect(await ids('TOP-SECRET')).toEqual([a.row.id]);
    expect(await ids('ivanova')).toEqual([b.row.id]);
    expect(await ids('гкнб-17')).toEqual([b.row.id]);
    expect(await ids(sha('c').slice(10, 30).toUpperCase())).toEqual([c.row.id]);
    expect(await ids(sha('c out').slice(0, 16))).toEqual([c.row.id]);
    expect(await ids('-kg-kz')).toEqual([b.row.id]);
    // No wildcards: % and _ are plain characters.
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
    expect(await ids('  ')).toHaveLength(4);
    const [entry] = await reg.list({ search: 'ivanova' });
    expect(entry?.events.map((e) => e.kind)).toEqual(['registered', 'extracted', 'review', 'decision']);
    await expect(reg.list({ limit: -1 })).rejects.toThrow(/limit/);
  });
}

describe('SQLite register', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'grif-register-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  behaviour({
    fresh: () => Promise.resolve(join(dir, `register-${++n}.sqlite`)),
    raw: runSqliteSql,
  });

  it('INSERT OR REPLACE through the driver keeps the stored row', async () => {
    const path = join(dir, 'replace.sqlite');
    const reg = await openRegister(`sqlite:${path}`);
    const c = carrier('replace');
    await reg.addCarrier(c);
    await reg.addEvent(event(c.id, { key: 'k' }));
    const db = new Database(path);
    db.prepare(`INSERT OR REPLACE INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, intake, incoming_year, incoming_seq) VALUES (?, ?, 'forged.pdf', 'KZ', 'KG', ?, 'carrier', 'cli', 2026, 1)`)
      .run(c.id, new Date().toISOString(), c.inputSha256);
    db.prepare(`INSERT OR REPLACE INTO events (n, carrier_id, at, kind, stamps, decided_by, key, prev_hash, hash) VALUES (2, ?, ?, 'decision', '[]', 'forger', 'k', ?, ?)`)
      .run(c.id, new Date().toISOString(), 'a'.repeat(64), 'b'.repeat(64));
    db.close();
    const entry = await reg.carrier(c.id);
    expect(entry?.name).toBe('replace.pdf');
    expect(entry?.events.map((e) => e.decidedBy)).toEqual(['grif', 'grif 0.1.0']);
    await reg.close();
  });

  it('opens sqlite: URLs and plain paths alike, and reports a file it cannot open', async () => {
    const path = join(dir, 'url.sqlite');
    const reg = await openRegister(`sqlite://${path}`);
    await reg.addCarrier(carrier('url'));
    await reg.close();
    const again = await openRegister(path, { create: false });
    expect(await again.count()).toEqual({ carriers: 1, events: 1 });
    await again.close();

    const missing = join(dir, 'no-such-dir', 'register.sqlite');
    await expect(openRegister(missing)).rejects.toMatchObject({ code: 'register', message: expect.stringContaining(`cannot open the register ${missing}`) });
    await expect(openRegister(join(dir, 'absent.sqlite'), { create: false })).rejects.toThrow(/there is no register at/);
    const notRegister = join(dir, 'other.sqlite');
    new Database(notRegister).exec('CREATE TABLE t (x)').close();
    await expect(openRegister(notRegister, { create: false })).rejects.toThrow(/is not a grif register/);
    await expect(openRegister('mysql://u:pw@host/db')).rejects.toThrow(/unsupported register URL mysql:\/\/u@host\/db/);
  });
});

describe('PostgreSQL register: errors without a server', () => {
  it('names the unreachable server without its password', async () => {
    const err = (await openRegister('postgres://grif:s3cret@127.0.0.1:1/register').catch((e: unknown) => e)) as GrifError;
    expect(err).toBeInstanceOf(GrifError);
    expect(err.code).toBe('register');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('cannot reach the register at postgres://grif@127.0.0.1:1/register');
    expect(err.message).not.toContain('s3cret');
  });
});

const havePostgres = postgresAvailable();
describe.skipIf(!havePostgres)(havePostgres ? 'PostgreSQL register' : `PostgreSQL register (skipped: ${POSTGRES_SKIP_REASON})`, () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  behaviour({
    fresh: () => server.createDatabase(),
    raw: runSql,
  });

  it('refuses TRUNCATE and an upsert that would change a row', async () => {
    const url = await server.createDatabase();
    const reg = await openRegister(url);
    const c = carrier('pg only');
    await reg.addCarrier(c);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(client.query('TRUNCATE events, carriers')).rejects.toThrow(/append-only/);
      await expect(client.query(`INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, intake, incoming_year, incoming_seq)
        VALUES ($1, now(), 'forged', 'KZ', 'KG', $2, 'carrier', 'cli', 2026, 1) ON CONFLICT (id) DO UPDATE SET name = 'forged'`, [c.id, c.inputSha256])).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
    expect((await reg.carrier(c.id))?.name).toBe('pg only.pdf');
    await reg.close();
  });

  it('processes opening a new database at once make the schema once', async () => {
    const url = await server.createDatabase();
    const regs = await Promise.all([1, 2, 3, 4].map(() => openRegister(url)));
    await Promise.all(regs.map((r) => r.addCarrier(carrier('first'))));
    expect(await regs[0]!.count()).toEqual({ carriers: 1, events: 1 });
    await Promise.all(regs.map((r) => r.close()));
  });

  it('reports a missing database and a missing register by name', async () => {
    const url = server.url.replace(/\/postgres$/, '/no_such_db');
    await expect(openRegister(url)).rejects.toMatchObject({ code: 'register', retryable: false, message: expect.stringContaining('no_such_db') });
    await expect(openRegister(await server.createDatabase(), { create: false })).rejects.toThrow(/there is no register in/);
  });
});
