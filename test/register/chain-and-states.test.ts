// The register as the system of record, on both backends: a carrier's state moves only by a
// transition its current state allows (compare-and-set: of ten at once, one wins), incoming
// numbers run 1, 2, 3… per year without gap or repeat, the hash chain shows any row deleted or
// edited behind the register's back, and a register made by an earlier grif is migrated whole.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegister } from '../../src/register/open-register.js';
import { TransitionRefused, type NewCarrier, type NewEvent, type Register } from '../../src/register/register.js';
import { carrierIdOf } from '../../src/register/rows.js';
import { nextState, TRANSITIONS } from '../../src/register/states.js';
import { POSTGRES_SKIP_REASON, postgresAvailable, runSql, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { runSqliteSql } from '../helpers/sqlite.js';

const DATA = fileURLToPath(new URL('../data/', import.meta.url));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function carrier(content: string, over: Partial<NewCarrier> = {}): NewCarrier {
  const inputSha256 = sha(content);
  return { id: carrierIdOf(inputSha256, 'KZ', 'KG'), name: `${content}.pdf`, from: 'KZ', to: 'KG', inputSha256, kind: 'carrier', derivedFrom: null, intake: 'http', ...over };
}

function event(carrierId: string, kind: NewEvent['kind'], over: Partial<NewEvent> = {}): NewEvent {
  return { carrierId, kind, level: null, stamps: [], decidedBy: 'grif 0.1.0', reference: null, outputSha256: null, outputPath: null, detail: null, key: null, ...over };
}

// Schema 2's words, before the life after intake.
const V2_KINDS = ['registered', 'extracted', 'to-stamp', 'review', 'unmarked', 'already-marked', 'decision', 'stamped', 'rejected', 'parked', 'retried', 'verdict', 'duplicate'];
const V2_STATES = ['received', 'extracted', 'to-stamp', 'review', 'decided', 'stamped', 'unchanged', 'rejected', 'parked'];

/** The rows of test/data/register-v2.sqlite (three carriers: stamped, decided, unmarked). */
async function fillAsV2(r: Register): Promise<void> {
  const ids: string[] = [];
  for (const [i, c] of ['a', 'b', 'c'].entries()) {
    const inputSha256 = c.repeat(64);
    const id = carrierIdOf(inputSha256, 'KZ', 'KG');
    ids.push(id);
    await r.addCarrier({ id, name: `carrier-${c}.pdf`, from: 'KZ', to: 'KG', inputSha256, kind: 'carrier', derivedFrom: null, intake: 'cli', receivedAt: `2026-03-0${i + 1}T10:00:00.000Z` });
    await r.addEvent(event(id, 'extracted', { decidedBy: 'grif 0.1', at: `2026-03-0${i + 1}T10:00:01.000Z`, key: `${id}:extracted` }));
  }
  const [a, b, c] = ids as [string, string, string];
  await r.addEvent(event(a, 'to-stamp', { decidedBy: 'grif 0.1', level: 'top-secret', at: '2026-03-01T10:00:02.000Z', key: `${a}:to-stamp` }));
  await r.addEvent(event(a, 'stamped', { decidedBy: 'grif 0.1', level: 'top-secret', outputSha256: 'd'.repeat(64), outputPath: 'outbox/carrier-a.stamped.pdf', at: '2026-03-01T10:00:03.000Z', key: `${a}:stamped` }));
  await r.addEvent(event(b, 'review', { decidedBy: 'grif 0.1', at: '2026-03-02T10:00:02.000Z', key: `${b}:review`, detail: 'conflict' }));
  await r.addEvent(event(b, 'decision', { decidedBy: 'A. Reviewer', level: 'secret', reference: 'No. 5', at: '2026-03-02T11:00:00.000Z', key: `${b}:decision` }));
  await r.addEvent(event(c, 'unmarked', { decidedBy: 'grif 0.1', at: '2026-03-03T10:00:02.000Z', key: `${c}:unmarked` }));
}

describe('the state machine as data', () => {
  it('every transition names states that exist, and only registered starts from nothing', () => {
    for (const [name, t] of Object.entries(TRANSITIONS)) {
      expect(t.from.includes(null as never)).toBe(name === 'registered');
      expect(t.means.length).toBeGreaterThan(10);
    }
    expect(nextState('review', 'decision')).toBe('decided');
    expect(nextState('decided', 'decision')).toBeNull();
    expect(nextState('stamped', 'rejected')).toBeNull();
    expect(nextState('parked', 'retried')).toBe('received');
  });
});

interface Backend {
  fresh(): Promise<string>;
  /** Runs SQL straight through the driver, past the register's API. */
  raw(url: string, sql: string): Promise<void>;
  /** A register in the layout of an earlier grif (schema 1), with its rows. */
  v1(): Promise<string>;
  /** A register of schema 2 before the life after intake: its checks know none of the new kinds and states. */
  v2(): Promise<string>;
}

function behaviour(backend: Backend): void {
  let url: string;
  let reg: Register;
  beforeAll(async () => {
    url = await backend.fresh();
    reg = await openRegister(url);
  });
  afterAll(async () => {
    await reg?.close();
  });

  /** A carrier brought to review. */
  async function inReview(content: string): Promise<string> {
    const { row } = await reg.addCarrier(carrier(content));
    await reg.addEvent(event(row.id, 'extracted'));
    await reg.addEvent(event(row.id, 'review'));
    return row.id;
  }

  it('ten decisions at once on one carrier, from two connections: one is written, nine are refused naming it', async () => {
    const id = await inReview('ten at once');
    const other = await openRegister(url);
    try {
      const tries = Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? other : reg).addEvent(event(id, 'decision', { level: i < 5 ? 'secret' : null, decidedBy: `clerk ${i}`, reference: `No. ${i}` })),
      );
      const results = await Promise.allSettled(tries);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      const winner = (won[0] as PromiseFulfilledResult<{ event: { decidedBy: string; at: string } }>).value.event;
      for (const l of lost) {
        expect(l.reason).toBeInstanceOf(TransitionRefused);
        expect((l.reason as TransitionRefused).code).toBe('register/state');
        expect((l.reason as Error).message).toContain(`is decided since ${winner.at} (decision by ${winner.decidedBy})`);
      }
      expect((await reg.stateOf(id))?.state).toBe('decided');
      expect((await reg.carrier(id))?.events.filter((e) => e.kind === 'decision')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('refuses a transition its state does not allow, and writes nothing', async () => {
    const { row } = await reg.addCarrier(carrier('out of order'));
    await expect(reg.addEvent(event(row.id, 'stamped'))).rejects.toThrow(/is received since .*'stamped' does not apply/);
    await reg.addEvent(event(row.id, 'extracted'));
    await reg.addEvent(event(row.id, 'unmarked'));
    await expect(reg.addEvent(event(row.id, 'rejected'))).rejects.toBeInstanceOf(TransitionRefused);
    // A note is no transition: it may follow any state.
    await reg.addEvent(event(row.id, 'duplicate'));
    expect((await reg.carrier(row.id))?.events.map((e) => e.kind)).toEqual(['registered', 'extracted', 'unmarked', 'duplicate']);
    expect((await reg.stateOf(row.id))?.state).toBe('unchanged');
  });

  it('takes a copy only of a carrier on hand, a wipe only of a destroyed one (checked in the transaction)', async () => {
    const { row } = await reg.addCarrier(carrier('copied then destroyed'));
    await expect(reg.addEvent(event(row.id, 'copied', { key: `${row.id}:copied:1` }))).rejects.toThrow(/is received since .*'copied' does not apply/);
    await reg.addEvent(event(row.id, 'extracted'));
    await reg.addEvent(event(row.id, 'unmarked'));
    await reg.addEvent(event(row.id, 'copied', { key: `${row.id}:copied:1` }));
    await expect(reg.addEvent(event(row.id, 'wiped'))).rejects.toBeInstanceOf(TransitionRefused);
    await reg.addEvent(event(row.id, 'destroyed', { reference: 'act 1' }));
    await expect(reg.addEvent(event(row.id, 'copied', { key: `${row.id}:copied:2` }))).rejects.toThrow(/is destroyed since .*'copied' does not apply/);
    await reg.addEvent(event(row.id, 'wiped', { reference: 'act 1' }));
    expect((await reg.carrier(row.id))?.events.map((e) => e.kind)).toEqual(['registered', 'extracted', 'unmarked', 'copied', 'destroyed', 'wiped']);
    expect((await reg.verify()).ok).toBe(true);
  });

  it('lists the carriers in given states by their last transition, oldest first; a note after it changes nothing', async () => {
    const own = await openRegister(await backend.fresh());
    try {
      const add = async (content: string, kinds: readonly Parameters<typeof event>[1][]) => {
        const { row } = await own.addCarrier(carrier(content));
        for (const k of kinds) await own.addEvent(event(row.id, k, k === 'decision' ? { level: 'secret' } : {}));
        return row.id;
      };
      const waiting = await add('waiting', ['extracted', 'review']);
      const decided = await add('decided', ['extracted', 'review', 'decision']);
      const noted = await add('noted', ['extracted', 'review', 'duplicate']);
      await add('received', []);
      expect((await own.inState(['review'])).map((e) => e.id)).toEqual([waiting, noted]);
      expect((await own.inState(['review', 'decided'])).map((e) => e.id).sort()).toEqual([waiting, decided, noted].sort());
      expect((await own.inState(['review']))[1]!.events.map((e) => e.kind)).toEqual(['registered', 'extracted', 'review', 'duplicate']);
      expect(await own.inState([])).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('numbers carriers per year of receipt, from 1, and keeps the number of a carrier received again', async () => {
    const numbers = async (content: string, receivedAt: string) => (await reg.addCarrier(carrier(content, { receivedAt }))).row.incoming;
    // Numbers taken by the tests above are this year's; other years start from 1.
    expect(await numbers('y2024 a', '2024-06-01T12:00:00.000Z')).toEqual({ year: 2024, seq: 1 });
    expect(await numbers('y2023 a', '2023-06-01T12:00:00.000Z')).toEqual({ year: 2023, seq: 1 });
    expect(await numbers('y2024 b', '2024-07-01T12:00:00.000Z')).toEqual({ year: 2024, seq: 2 });
    expect(await numbers('y2024 a', '2024-08-01T12:00:00.000Z')).toEqual({ year: 2024, seq: 1 });
  });

  it('verifies its chain, and shows an event edited or deleted with the triggers dropped', async () => {
    expect(await reg.verify()).toMatchObject({ ok: true });
    const count = await reg.count();
    const report = await reg.verify();
    expect(report.events).toBe(count.events);
    expect(report.head.n).toBe(count.events);

    const copy = await backend.fresh();
    const fork = await openRegister(copy);
    const ids: string[] = [];
    for (const c of ['x', 'y', 'z']) {
      const { row } = await fork.addCarrier(carrier(c));
      await fork.addEvent(event(row.id, 'extracted'));
      await fork.addEvent(event(row.id, 'to-stamp', { level: 'secret' }));
      ids.push(row.id);
    }
    expect((await fork.verify()).ok).toBe(true);
    await fork.close();

    const tampered = async (sql: string): Promise<string> => {
      const url2 = await backend.fresh();
      const r = await openRegister(url2);
      for (const c of ['x', 'y', 'z']) {
        const { row } = await r.addCarrier(carrier(c));
        await r.addEvent(event(row.id, 'extracted'));
        await r.addEvent(event(row.id, 'to-stamp', { level: 'secret' }));
      }
      await r.close();
      await backend.raw(url2, sql);
      const again = await openRegister(url2);
      try {
        const v = await again.verify();
        expect(v.ok).toBe(false);
        return v.problem!;
      } finally {
        await again.close();
      }
    };
    const drop = ['carriers_no_update', 'carriers_no_delete', 'events_no_update', 'events_no_delete', 'carriers_append_only', 'events_append_only'];
    const dropTriggers = (onEvents: string) => (url.startsWith('postgres') ? `DROP TRIGGER events_append_only ON events; DROP TRIGGER carriers_append_only ON carriers; ${onEvents}` : `${drop.slice(0, 4).map((t) => `DROP TRIGGER ${t};`).join(' ')} ${onEvents}`);
    expect(await tampered(dropTriggers(`DELETE FROM events WHERE n = 5;`))).toMatch(/event 5 is missing/);
    expect(await tampered(dropTriggers(`UPDATE events SET level = 'top-secret' WHERE n = 6;`))).toMatch(/event 6 .* was changed after it was written/);
    expect(await tampered(dropTriggers(`UPDATE carriers SET name = 'forged.pdf' WHERE id = '${ids[1]}';`))).toMatch(/the row of carrier .* was changed/);
    expect(await tampered(dropTriggers(`DELETE FROM events WHERE n = 9;`))).toMatch(/head says event 9, but the chain ends at event 8/);
  });

  it('migrates a register made by an earlier grif: numbers, states, the chain; nothing lost', async () => {
    const old = await backend.v1();
    const r = await openRegister(old);
    try {
      expect(await r.verify()).toMatchObject({ ok: true, carriers: 3, events: 12 });
      const entries = await r.list();
      const byName = new Map(entries.map((e) => [e.name, e]));
      // Numbered per year of receipt, in the order received (in the time zone the tests run in).
      const a = byName.get('Хат ҚҰПИЯ.pdf')!;
      const b = byName.get('conflict-kk-ru.pdf')!;
      const c = byName.get('translation-ru.pdf')!;
      expect(a.incoming?.year).toBe(new Date('2025-12-31T20:00:00.000Z').getFullYear());
      expect(b.incoming).toEqual({ year: 2026, seq: a.incoming?.year === 2026 ? 2 : 1 });
      // Every old event kept, in order, after its carrier's 'registered'; an outcome that added nothing is 'already-marked'.
      expect(a.events.map((e) => e.kind)).toEqual(['registered', 'verdict', 'already-marked', 'duplicate']);
      expect(b.events.map((e) => e.kind)).toEqual(['registered', 'verdict', 'review', 'decision', 'stamped']);
      expect(b.events.at(-1)).toMatchObject({ decidedBy: 'А. Клерк', reference: 'Письмо № 17/2026', level: 'top-secret' });
      expect(c.derivedFrom).toBe(a.id);
      expect((await r.stateOf(a.id))?.state).toBe('unchanged');
      expect((await r.stateOf(b.id))?.state).toBe('stamped');
      expect((await r.stateOf(c.id))?.state).toBe('rejected');
      // And it goes on as any register: the chain continues.
      const { row } = await r.addCarrier(carrier('after migration', { receivedAt: '2026-02-01T12:00:00.000Z' }));
      expect(row.incoming).toEqual({ year: 2026, seq: (b.incoming?.seq ?? 0) + 2 });
      expect((await r.verify()).ok).toBe(true);
    } finally {
      await r.close();
    }
    // Opening it again migrates nothing twice.
    const again = await openRegister(old);
    expect(await again.count()).toEqual({ carriers: 4, events: 13 });
    await again.close();
  });

  it('numbers outgoing documents per year, each with its events in one transaction; one event refused refuses the whole', async () => {
    const a = (await reg.addCarrier(carrier('outgoing a'))).row.id;
    const b = (await reg.addCarrier(carrier('outgoing b'))).row.id;
    const doc = (by: string) => ({ kind: 'receipt-confirmation' as const, sha256: sha(by), decidedBy: by, detail: null, at: '2026-11-20T10:00:00.000Z' });
    const confirm = (ids: string[], tag: string) => (n: { year: number; seq: number }) =>
      ids.map((id) => event(id, 'receipt-confirmed', { reference: `${n.seq}/${n.year}`, key: `${id}:receipt-confirmed:${tag}` }));
    // Two at once: 1 and 2, never the same number.
    const [x, y] = await Promise.all([reg.addOutgoing(doc('first'), confirm([a], 'x')), reg.addOutgoing(doc('second'), confirm([b], 'y'))]);
    expect([x.row.seq, y.row.seq].sort()).toEqual([1, 2]);
    expect(x.events[0]).toMatchObject({ kind: 'receipt-confirmed', carrierId: a, reference: `${x.row.seq}/2026`, state: null });
    const before = await reg.count();
    // A key taken: nothing of the document is written, its number not used.
    await expect(reg.addOutgoing(doc('third'), confirm([a, b], 'x'))).rejects.toThrow(/is taken/);
    expect(await reg.count()).toEqual(before);
    const journal = await reg.outgoing();
    expect(journal.map((o) => [o.year, o.seq, o.decidedBy]).sort()).toEqual([
      [2026, 1, x.row.seq === 1 ? 'first' : 'second'],
      [2026, 2, x.row.seq === 1 ? 'second' : 'first'],
    ]);
    const next = await reg.addOutgoing(doc('fourth'), confirm([a, b], 'z'));
    expect(next.row.seq).toBe(3);
    expect(next.events).toHaveLength(2);
    expect((await reg.verify()).ok).toBe(true);
    await expect(backend.raw(url, `DELETE FROM outgoing WHERE seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('appends several events in one transaction: a key taken refuses the whole batch, nothing written', async () => {
    const a = (await reg.addCarrier(carrier('batch a'))).row.id;
    const copied = (k: number) => event(a, 'transfer', { reference: 'dispatch 1', detail: JSON.stringify({ copy: k }), key: `${a}:transfer:${k}` });
    const first = await reg.addEvents([copied(1), copied(2)]);
    expect(first.map((e) => [e.kind, e.n - first[0]!.n])).toEqual([
      ['transfer', 0],
      ['transfer', 1],
    ]);
    const before = await reg.count();
    await expect(reg.addEvents([copied(3), copied(2)])).rejects.toThrow(/is taken already/);
    expect(await reg.count()).toEqual(before);
    // Two batches at once for the same numbers: one is written, the other refused whole.
    const results = await Promise.allSettled([reg.addEvents([copied(3), copied(4)]), reg.addEvents([copied(3), copied(4)])]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await reg.count()).events).toBe(before.events + 2);
    expect((await reg.verify()).ok).toBe(true);
  });

  it('takes the kinds and states of the life after intake in a register written before them: every row kept, the chain unbroken', async () => {
    const old = await backend.v2();
    const r = await openRegister(old);
    try {
      const before = await r.verify();
      expect(before).toMatchObject({ ok: true, carriers: 3, events: 11 });
      const entries = await r.list();
      const stamped = entries.find((e) => e.name === 'carrier-a.pdf')!;
      expect(stamped.events.map((e) => e.kind)).toEqual(['registered', 'extracted', 'to-stamp', 'stamped']);
      expect((await r.stateOf(stamped.id))?.state).toBe('stamped');
      // The new words are taken, and the chain goes on from the same head.
      await r.addEvent(event(stamped.id, 'transfer', { reference: 'Сопроводительное письмо № 12-3/45' }));
      const notice = await r.addEvent(event(stamped.id, 'notice', { level: 'secret', reference: 'No. 7', decidedBy: 'A. Reviewer' }));
      expect(notice.event).toMatchObject({ state: 'to-remark', n: before.head.n + 2 });
      await r.addEvent(event(stamped.id, 'remarked', { level: 'secret', outputSha256: sha('remarked') }));
      // And the outgoing journal, which it did not have.
      const out = await r.addOutgoing({ kind: 'receipt-confirmation', sha256: sha('confirmation'), decidedBy: 'A. Clerk', detail: null }, () => []);
      expect(out.row.seq).toBe(1);
      expect((await r.stateOf(stamped.id))?.state).toBe('stamped');
      expect(await r.verify()).toMatchObject({ ok: true, events: 14 });
      // Still append-only after the table was built again.
      await expect(backend.raw(old, `DELETE FROM events WHERE n = 1`)).rejects.toThrow(/append-only/);
    } finally {
      await r.close();
    }
    const again = await openRegister(old);
    expect(await again.count()).toEqual({ carriers: 3, events: 14 });
    expect((await again.verify()).ok).toBe(true);
    await again.close();
  });
}

describe('SQLite register: states, numbers, chain', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'grif-chain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  behaviour({
    fresh: () => Promise.resolve(join(dir, `register-${++n}.sqlite`)),
    raw: runSqliteSql,
    v1: () => {
      const path = join(dir, `v1-${++n}.sqlite`);
      copyFileSync(join(DATA, 'register-v1.sqlite'), path);
      return Promise.resolve(path);
    },
    v2: () => {
      const path = join(dir, `v2-${++n}.sqlite`);
      copyFileSync(join(DATA, 'register-v2.sqlite'), path);
      return Promise.resolve(path);
    },
  });
});

const havePostgres = postgresAvailable();
describe.skipIf(!havePostgres)(havePostgres ? 'PostgreSQL register: states, numbers, chain' : `PostgreSQL register (skipped: ${POSTGRES_SKIP_REASON})`, () => {
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
    v1: async () => {
      const url = await server.createDatabase();
      await runSql(url, readFileSync(join(DATA, 'register-v1-postgres.sql'), 'utf8'));
      return url;
    },
    // The same rows as register-v2.sqlite, written by this grif and then given schema 2's checks
    // (a check's list is all that tells the two apart in PostgreSQL).
    v2: async () => {
      const url = await server.createDatabase();
      const r = await openRegister(url);
      await fillAsV2(r);
      await r.close();
      const kinds = V2_KINDS.map((k) => `'${k}'`).join(', ');
      const states = V2_STATES.map((k) => `'${k}'`).join(', ');
      await runSql(url, `ALTER TABLE events DROP CONSTRAINT events_kind_check, ADD CONSTRAINT events_kind_check CHECK (kind IN (${kinds}));
        ALTER TABLE events DROP CONSTRAINT events_state_check, ADD CONSTRAINT events_state_check CHECK (state IS NULL OR state IN (${states}));`);
      return url;
    },
  });
});
