/**
 * The register in one SQLite file (better-sqlite3): the default for one machine. WAL mode lets
 * readers (grif register) run beside the writing workers; several processes may write, each
 * waiting up to the busy timeout for the others. Every write is one IMMEDIATE transaction (the
 * database's write lock): it reads the chain's head and the carrier's state, checks, appends.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { LEVEL_IDS, PARTY_IDS } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { GENESIS, verifyChain, type ChainReport } from './chain.js';
import { migrateRows } from './migrate.js';
import { CARRIER_KINDS, EVENT_KINDS, EventKeyTaken, INTAKES, OUTGOING_KINDS, OutgoingNumberTaken, type CarrierRow, type EventRow, type ListOptions, type NewCarrier, type NewEvent, type NewOutgoing, type OutgoingRow, type Register, type RegisterEntry } from './register.js';
import { carrierFromDb, checkCarrier, checkEvent, checkOutgoing, checkSha256, eventFromDb, incomingYear, outgoingFromDb, page, registeredEvent, registerError, sealEvent, type DbRow, type SealedEvent } from './rows.js';
import { CARRIER_STATES, type CarrierState } from './states.js';

/** The layout of the tables; a register made by an earlier grif is brought to it when opened. */
const SCHEMA_VERSION = 2;

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const refuse = (table: string, op: string): string =>
  `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
   BEGIN SELECT RAISE(ABORT, 'the register is append-only: ${op} on ${table} refused'); END;`;

const tables = (suffix = ''): string => `
CREATE TABLE IF NOT EXISTS carriers${suffix} (
  id            TEXT PRIMARY KEY NOT NULL,
  received_at   TEXT NOT NULL,
  name          TEXT NOT NULL,
  from_party    TEXT NOT NULL CHECK (from_party IN (${list(PARTY_IDS)})),
  to_party      TEXT NOT NULL CHECK (to_party IN (${list(PARTY_IDS)}) AND to_party <> from_party),
  input_sha256  TEXT NOT NULL CHECK (length(input_sha256) = 64),
  kind          TEXT NOT NULL CHECK (kind IN (${list(CARRIER_KINDS)})),
  derived_from  TEXT,
  intake        TEXT NOT NULL CHECK (intake IN (${list(INTAKES)})),
  incoming_year INTEGER NOT NULL,
  incoming_seq  INTEGER NOT NULL CHECK (incoming_seq > 0),
  UNIQUE (input_sha256, from_party, to_party),
  UNIQUE (incoming_year, incoming_seq)
) STRICT;
${eventsTable(suffix)}`;

/** The events table; `suffix` names a table built beside the live one (a migration). */
const eventsTable = (suffix = ''): string => `
CREATE TABLE IF NOT EXISTS events${suffix} (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  n             INTEGER NOT NULL UNIQUE CHECK (n > 0),
  carrier_id    TEXT NOT NULL REFERENCES carriers (id),
  at            TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN (${list(EVENT_KINDS)})),
  state         TEXT CHECK (state IS NULL OR state IN (${list(CARRIER_STATES)})),
  level         TEXT CHECK (level IS NULL OR level IN (${list(LEVEL_IDS)})),
  stamps        TEXT NOT NULL CHECK (json_valid(stamps) AND json_type(stamps) = 'array'),
  decided_by    TEXT NOT NULL,
  reference     TEXT,
  output_sha256 TEXT CHECK (output_sha256 IS NULL OR length(output_sha256) = 64),
  output_path   TEXT,
  detail        TEXT,
  key           TEXT UNIQUE,
  prev_hash     TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash          TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;`;

const SCHEMA = `
${tables()}
CREATE INDEX IF NOT EXISTS carriers_by_time ON carriers (received_at);
CREATE INDEX IF NOT EXISTS events_by_carrier ON events (carrier_id, seq);
-- The chain's head: where the next event goes. One row, moved by every append.
CREATE TABLE IF NOT EXISTS chain_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  n    INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT OR IGNORE INTO chain_head (id, n, hash) VALUES (1, 0, '${GENESIS}');
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;
-- The journal of outgoing documents (confirmations of receipt): numbered per year, never reused.
CREATE TABLE IF NOT EXISTS outgoing (
  year       INTEGER NOT NULL,
  seq        INTEGER NOT NULL CHECK (seq > 0),
  kind       TEXT NOT NULL CHECK (kind IN (${list(OUTGOING_KINDS)})),
  at         TEXT NOT NULL,
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
  decided_by TEXT NOT NULL,
  detail     TEXT,
  PRIMARY KEY (year, seq)
) STRICT;
${['UPDATE', 'DELETE'].map((op) => refuse('outgoing', op)).join('\n')}
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
${['carriers', 'events'].flatMap((t) => ['UPDATE', 'DELETE'].map((op) => refuse(t, op))).join('\n')}
${refuse('chain_head', 'DELETE')}
-- INSERT OR REPLACE would delete the stored row to make room (firing no delete trigger unless a
-- connection enables recursive_triggers): a row that is already there is kept, the new one ignored.
CREATE TRIGGER IF NOT EXISTS carriers_keep BEFORE INSERT ON carriers
  WHEN EXISTS (SELECT 1 FROM carriers WHERE id = NEW.id
               OR (input_sha256 = NEW.input_sha256 AND from_party = NEW.from_party AND to_party = NEW.to_party)
               OR (incoming_year = NEW.incoming_year AND incoming_seq = NEW.incoming_seq))
  BEGIN SELECT RAISE(IGNORE); END;
CREATE TRIGGER IF NOT EXISTS events_keep BEFORE INSERT ON events
  WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq OR n = NEW.n OR key = NEW.key OR hash = NEW.hash)
  BEGIN SELECT RAISE(IGNORE); END;
`;

// Whatever the event matches counts for its carrier; folded in JS because SQLite's lower() is ASCII only.
const SEARCH = `(:q IS NULL
  OR instr(grif_fold(c.name), :q) OR instr(grif_fold(c.id), :q) OR instr(c.input_sha256, :q)
  OR EXISTS (SELECT 1 FROM events e WHERE e.carrier_id = c.id AND (
       instr(grif_fold(e.level), :q) OR instr(grif_fold(e.decided_by), :q)
       OR instr(grif_fold(e.reference), :q) OR instr(e.output_sha256, :q))))`;

function sqliteCode(err: unknown): string {
  return err instanceof Database.SqliteError ? err.code : '';
}

export class SqliteRegister implements Register {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #st;

  private constructor(db: Database.Database, path: string) {
    this.#db = db;
    this.#path = path;
    this.#st = {
      insertCarrier: db.prepare(`INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake, incoming_year, incoming_seq)
        VALUES (:id, :receivedAt, :name, :from, :to, :inputSha256, :kind, :derivedFrom, :intake, :incomingYear, :incomingSeq)`),
      nextIncoming: db.prepare<[number], { next: number }>('SELECT coalesce(max(incoming_seq), 0) + 1 AS next FROM carriers WHERE incoming_year = ?'),
      carrierById: db.prepare<[string], DbRow>('SELECT * FROM carriers WHERE id = ?'),
      carrierByContent: db.prepare<[string, string, string], DbRow>('SELECT * FROM carriers WHERE input_sha256 = ? AND from_party = ? AND to_party = ?'),
      carriersBySha: db.prepare<[string], DbRow>('SELECT * FROM carriers WHERE input_sha256 = ? ORDER BY received_at, rowid'),
      head: db.prepare<[], { n: number; hash: string }>('SELECT n, hash FROM chain_head WHERE id = 1'),
      moveHead: db.prepare<[number, string], unknown>('UPDATE chain_head SET n = ?, hash = ? WHERE id = 1'),
      lastTransition: db.prepare<[string], DbRow>('SELECT * FROM events WHERE carrier_id = ? AND state IS NOT NULL ORDER BY n DESC LIMIT 1'),
      insertEvent: db.prepare<DbRow, DbRow>(`INSERT INTO events (n, carrier_id, at, kind, state, level, stamps, decided_by, reference, output_sha256, output_path, detail, key, prev_hash, hash)
        VALUES (:n, :carrierId, :at, :kind, :state, :level, :stampsJson, :decidedBy, :reference, :outputSha256, :outputPath, :detail, :key, :prevHash, :hash)
        RETURNING *`),
      eventByKey: db.prepare<[string], DbRow>('SELECT * FROM events WHERE key = ?'),
      eventsOf: db.prepare<[string], DbRow>('SELECT * FROM events WHERE carrier_id IN (SELECT value FROM json_each(?)) ORDER BY n'),
      allCarriers: db.prepare<[], DbRow>('SELECT * FROM carriers'),
      allEvents: db.prepare<[], DbRow>('SELECT * FROM events ORDER BY n'),
      list: db.prepare<DbRow, DbRow>(`SELECT c.* FROM carriers c WHERE ${SEARCH}
        ORDER BY c.received_at DESC, c.rowid DESC LIMIT :limit OFFSET :offset`),
      // The current state is the last transition's (events_by_carrier finds it per carrier).
      inState: db.prepare<[string], DbRow>(`SELECT c.* FROM carriers c
        WHERE (SELECT e.state FROM events e WHERE e.carrier_id = c.id AND e.state IS NOT NULL ORDER BY e.n DESC LIMIT 1) IN (SELECT value FROM json_each(?))
        ORDER BY c.received_at, c.rowid`),
      count: db.prepare<[], { carriers: number; events: number }>('SELECT (SELECT count(*) FROM carriers) AS carriers, (SELECT count(*) FROM events) AS events'),
    };
  }

  /** Opens (and with `create`, the default, makes) the register file; its directory must exist. */
  static open(path: string, opts: { create?: boolean } = {}): SqliteRegister {
    const create = opts.create ?? true;
    if (!create && !existsSync(path)) throw registerError(`there is no register at ${path}`);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: !create, timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      // Every committed row reaches the disk before the call returns: the record must survive a power cut.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // So that a delete made by a conflict resolution fires the delete trigger too.
      db.pragma('recursive_triggers = ON');
      db.function('grif_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : null));
      const tableNames = (): string[] => db!.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
      const names = tableNames();
      if (names.includes('carriers') && !names.includes('chain_head')) SqliteRegister.#migrate(db, path);
      else if (names.includes('events') && SqliteRegister.#unknownWords(db).length) SqliteRegister.#widen(db);
      // A register of this layout without the tables added since (the outgoing journal): made now.
      else if (create || (names.includes('chain_head') && !names.includes('outgoing'))) db.transaction(() => db!.exec(SCHEMA)).immediate();
      else if (!names.includes('carriers') || !names.includes('events')) throw registerError(`${path} is not a grif register (no carriers and events tables)`);
      return new SqliteRegister(db, path);
    } catch (err) {
      db?.close();
      if (err instanceof GrifError) throw err;
      throw registerError(`cannot open the register ${path}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
        retryable: sqliteCode(err).startsWith('SQLITE_BUSY'),
      });
    }
  }

  /**
   * Brings a register made by an earlier grif (no incoming numbers, no chain) to this layout, in
   * one transaction: the rows are copied into tables of the new layout with their numbers, states
   * and hashes (migrate.ts), and the old tables dropped. Nothing is lost; a failure changes nothing.
   */
  static #migrate(db: Database.Database, path: string): void {
    db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        const carriers = db.prepare<[], DbRow>('SELECT * FROM carriers').all().map((r) => carrierFromDb({ ...r, incoming_year: null, incoming_seq: null }));
        const events = db.prepare<[], DbRow>('SELECT * FROM events ORDER BY seq').all().map((r) => eventFromDb({ ...r, n: 0, state: null }));
        const migrated = migrateRows(carriers, events);
        for (const t of ['carriers_no_update', 'carriers_no_delete', 'events_no_update', 'events_no_delete', 'carriers_keep', 'events_keep']) db.exec(`DROP TRIGGER IF EXISTS ${t}`);
        db.exec(tables('_v2'));
        const addCarrier = db.prepare(`INSERT INTO carriers_v2 (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake, incoming_year, incoming_seq)
          VALUES (:id, :receivedAt, :name, :from, :to, :inputSha256, :kind, :derivedFrom, :intake, :incomingYear, :incomingSeq)`);
        for (const c of migrated.carriers) addCarrier.run({ ...c, incomingYear: c.incoming!.year, incomingSeq: c.incoming!.seq });
        const addEvent = db.prepare(`INSERT INTO events_v2 (seq, n, carrier_id, at, kind, state, level, stamps, decided_by, reference, output_sha256, output_path, detail, key, prev_hash, hash)
          VALUES (:seq, :n, :carrierId, :at, :kind, :state, :level, :stampsJson, :decidedBy, :reference, :outputSha256, :outputPath, :detail, :key, :prevHash, :hash)`);
        for (const e of migrated.events) addEvent.run({ ...e, stampsJson: JSON.stringify(e.stamps) });
        db.exec('DROP TABLE events; DROP TABLE carriers; ALTER TABLE carriers_v2 RENAME TO carriers; ALTER TABLE events_v2 RENAME TO events;');
        db.exec(SCHEMA);
        db.prepare('UPDATE chain_head SET n = ?, hash = ? WHERE id = 1').run(migrated.head.n, migrated.head.hash);
        const broken = db.prepare('PRAGMA foreign_key_check').all();
        if (broken.length) throw registerError(`migrating ${path}: ${broken.length} event(s) name a carrier that is not in the register`);
      }).immediate();
    } finally {
      db.pragma('foreign_keys = ON');
    }
  }

  /** Event kinds and states this grif writes that the events table's checks do not allow yet. */
  static #unknownWords(db: Database.Database): string[] {
    const sql = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()?.sql ?? '';
    return [...new Set([...EVENT_KINDS, ...CARRIER_STATES])].filter((w) => !sql.includes(`'${w}'`));
  }

  /**
   * A register written before this grif's event kinds or states (schema 2 before the life after
   * intake): SQLite cannot change a CHECK, so the events table is built again beside the old one
   * with today's checks, every row copied as it is (same seq, n and hashes: the chain still
   * verifies), and put in its place, in one transaction. A failure changes nothing.
   */
  static #widen(db: Database.Database): void {
    db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        if (!SqliteRegister.#unknownWords(db).length) return;
        for (const t of ['events_no_update', 'events_no_delete', 'events_keep']) db.exec(`DROP TRIGGER IF EXISTS ${t}`);
        db.exec(eventsTable('_next'));
        db.exec(`INSERT INTO events_next (seq, n, carrier_id, at, kind, state, level, stamps, decided_by, reference, output_sha256, output_path, detail, key, prev_hash, hash)
          SELECT seq, n, carrier_id, at, kind, state, level, stamps, decided_by, reference, output_sha256, output_path, detail, key, prev_hash, hash FROM events ORDER BY seq`);
        db.exec('DROP TABLE events; ALTER TABLE events_next RENAME TO events;');
        db.exec(SCHEMA);
      }).immediate();
    } finally {
      db.pragma('foreign_keys = ON');
    }
  }

  // better-sqlite3 is synchronous; errors become GrifErrors naming the file, and a busy database may be retried.
  #run<T>(what: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      if (err instanceof GrifError) return Promise.reject(err);
      const code = sqliteCode(err);
      const retryable = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
      const message = err instanceof Error ? err.message : String(err);
      return Promise.reject(registerError(`register ${this.#path}: ${what}: ${message}`, { cause: err, retryable }));
    }
  }

  /** Appends a sealed event and moves the head: inside the caller's write transaction. */
  #append(ev: SealedEvent): EventRow {
    const row = this.#st.insertEvent.get(ev);
    if (!row) throw registerError(`register ${this.#path}: event ${ev.n} was not written`, { retryable: true });
    this.#st.moveHead.run(ev.n, ev.hash);
    return eventFromDb(row);
  }

  #current(carrierId: string): { state: CarrierState | null; since: EventRow | undefined } {
    const row = this.#st.lastTransition.get(carrierId);
    const since = row ? eventFromDb(row) : undefined;
    return { state: since?.state ?? null, since };
  }

  addCarrier(row: NewCarrier): Promise<{ created: boolean; row: CarrierRow }> {
    return this.#run('adding a carrier', () => {
      const c = checkCarrier(row);
      const registered = registeredEvent(c, row.registeredBy);
      return this.#db.transaction(() => {
        const stored = this.#st.carrierById.get(c.id) ?? this.#st.carrierByContent.get(c.inputSha256, c.from, c.to);
        if (stored) return { created: false, row: carrierFromDb(stored) };
        const year = incomingYear(c.receivedAt);
        const withNumber: CarrierRow = { ...c, incoming: { year, seq: this.#st.nextIncoming.get(year)!.next } };
        this.#st.insertCarrier.run({ ...withNumber, incomingYear: year, incomingSeq: withNumber.incoming!.seq });
        this.#append(sealEvent(registered, this.#st.head.get()!, { state: null, since: undefined }, withNumber));
        return { created: true, row: withNumber };
      }).immediate();
    });
  }

  addEvent(e: NewEvent): Promise<{ created: boolean; event: EventRow }> {
    return this.#run('adding an event', () => {
      const ev = checkEvent(e);
      return this.#db.transaction(() => {
        const existing = ev.key === null ? undefined : this.#st.eventByKey.get(ev.key);
        if (existing) {
          const event = eventFromDb(existing);
          if (event.carrierId !== ev.carrierId) throw registerError(`event key ${ev.key} is already used for carrier ${event.carrierId}, not ${ev.carrierId}`);
          return { created: false, event };
        }
        if (!this.#st.carrierById.get(ev.carrierId)) throw registerError(`no carrier ${ev.carrierId} in the register`);
        return { created: true, event: this.#append(sealEvent(ev, this.#st.head.get()!, this.#current(ev.carrierId))) };
      }).immediate();
    });
  }

  addOutgoing(doc: NewOutgoing, build: (n: { year: number; seq: number }) => readonly NewEvent[]): Promise<{ row: OutgoingRow; events: EventRow[] }> {
    return this.#run('registering an outgoing document', () => {
      const d = checkOutgoing(doc);
      const year = incomingYear(d.at);
      return this.#db.transaction(() => {
        const seq = this.#db.prepare<[number], { next: number }>('SELECT coalesce(max(seq), 0) + 1 AS next FROM outgoing WHERE year = ?').get(year)!.next;
        if (doc.expectSeq !== undefined && doc.expectSeq !== seq) throw new OutgoingNumberTaken(doc.expectSeq, seq);
        const row: OutgoingRow = { ...d, year, seq };
        this.#db.prepare('INSERT INTO outgoing (year, seq, kind, at, sha256, decided_by, detail) VALUES (?, ?, ?, ?, ?, ?, ?)').run(year, seq, d.kind, d.at, d.sha256, d.decidedBy, d.detail);
        const events = build({ year, seq }).map((e) => {
          const ev = checkEvent(e);
          if (!this.#st.carrierById.get(ev.carrierId)) throw registerError(`no carrier ${ev.carrierId} in the register`);
          if (ev.key !== null && this.#st.eventByKey.get(ev.key)) throw registerError(`event key ${ev.key} is taken: ${ev.carrierId} has it already`);
          return this.#append(sealEvent(ev, this.#st.head.get()!, this.#current(ev.carrierId)));
        });
        return { row, events };
      }).immediate();
    });
  }

  addEvents(events: readonly NewEvent[]): Promise<EventRow[]> {
    return this.#run('adding events', () => {
      const checked = events.map(checkEvent);
      return this.#db.transaction(() =>
        checked.map((ev) => {
          if (!this.#st.carrierById.get(ev.carrierId)) throw registerError(`no carrier ${ev.carrierId} in the register`);
          if (ev.key !== null && this.#st.eventByKey.get(ev.key)) throw new EventKeyTaken(ev.key);
          return this.#append(sealEvent(ev, this.#st.head.get()!, this.#current(ev.carrierId)));
        }),
      ).immediate();
    });
  }

  outgoing(): Promise<OutgoingRow[]> {
    return this.#run('reading the outgoing journal', () => this.#db.prepare<[], DbRow>('SELECT * FROM outgoing ORDER BY year, seq').all().map(outgoingFromDb));
  }

  stateOf(id: string): Promise<{ state: CarrierState; since: EventRow } | undefined> {
    return this.#run('reading a state', () => {
      const { state, since } = this.#current(id);
      return state && since ? { state, since } : undefined;
    });
  }

  verify(): Promise<ChainReport> {
    return this.#run('verifying the chain', () =>
      // One read transaction: a consistent view while writers go on.
      this.#db.transaction(() =>
        verifyChain(this.#st.allCarriers.all().map(carrierFromDb), this.#st.allEvents.all().map(eventFromDb), this.#st.head.get() ?? null),
      )(),
    );
  }

  #withEvents(rows: DbRow[]): RegisterEntry[] {
    const entries = rows.map((r) => ({ ...carrierFromDb(r), events: [] as EventRow[] }));
    if (entries.length === 0) return entries;
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const r of this.#st.eventsOf.all(JSON.stringify([...byId.keys()]))) {
      const ev = eventFromDb(r);
      byId.get(ev.carrierId)?.events.push(ev);
    }
    return entries;
  }

  carrier(id: string): Promise<RegisterEntry | undefined> {
    return this.#run('reading a carrier', () => {
      const row = this.#st.carrierById.get(id);
      return row ? this.#withEvents([row])[0] : undefined;
    });
  }

  findBySha(sha256: string): Promise<CarrierRow[]> {
    return this.#run('finding a carrier', () => this.#st.carriersBySha.all(checkSha256(sha256)).map(carrierFromDb));
  }

  list(opts: ListOptions = {}): Promise<RegisterEntry[]> {
    return this.#run('listing', () => {
      const { limit, offset } = page(opts);
      const q = opts.search?.trim() ? opts.search.trim().toLowerCase() : null;
      // A negative LIMIT is "no limit" in SQLite.
      return this.#withEvents(this.#st.list.all({ q, limit: limit ?? -1, offset }));
    });
  }

  inState(states: readonly CarrierState[]): Promise<RegisterEntry[]> {
    return this.#run('listing by state', () => this.#withEvents(this.#st.inState.all(JSON.stringify(states))));
  }

  count(): Promise<{ carriers: number; events: number }> {
    return this.#run('counting', () => {
      const r = this.#st.count.get();
      return { carriers: r?.carriers ?? 0, events: r?.events ?? 0 };
    });
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }
}
