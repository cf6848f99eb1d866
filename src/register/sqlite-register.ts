/**
 * The register in one SQLite file (better-sqlite3): the default for one machine. WAL mode lets
 * readers (grif register) run beside the writing workers; several processes may write, each
 * waiting up to the busy timeout for the others.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { LEVEL_IDS, PARTY_IDS } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { CARRIER_KINDS, EVENT_KINDS, INTAKES, type CarrierRow, type EventRow, type ListOptions, type NewCarrier, type NewEvent, type Register, type RegisterEntry } from './register.js';
import { carrierFromDb, checkCarrier, checkEvent, checkSha256, eventFromDb, page, registerError, type DbRow } from './rows.js';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const refuse = (table: string, op: string): string =>
  `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
   BEGIN SELECT RAISE(ABORT, 'the register is append-only: ${op} on ${table} refused'); END;`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS carriers (
  id           TEXT PRIMARY KEY NOT NULL,
  received_at  TEXT NOT NULL,
  name         TEXT NOT NULL,
  from_party   TEXT NOT NULL CHECK (from_party IN (${list(PARTY_IDS)})),
  to_party     TEXT NOT NULL CHECK (to_party IN (${list(PARTY_IDS)}) AND to_party <> from_party),
  input_sha256 TEXT NOT NULL CHECK (length(input_sha256) = 64),
  kind         TEXT NOT NULL CHECK (kind IN (${list(CARRIER_KINDS)})),
  derived_from TEXT,
  intake       TEXT NOT NULL CHECK (intake IN (${list(INTAKES)})),
  UNIQUE (input_sha256, from_party, to_party)
) STRICT;
CREATE INDEX IF NOT EXISTS carriers_by_time ON carriers (received_at);
CREATE TABLE IF NOT EXISTS events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  carrier_id    TEXT NOT NULL REFERENCES carriers (id),
  at            TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN (${list(EVENT_KINDS)})),
  level         TEXT CHECK (level IS NULL OR level IN (${list(LEVEL_IDS)})),
  stamps        TEXT NOT NULL CHECK (json_valid(stamps) AND json_type(stamps) = 'array'),
  decided_by    TEXT NOT NULL,
  reference     TEXT,
  output_sha256 TEXT CHECK (output_sha256 IS NULL OR length(output_sha256) = 64),
  output_path   TEXT,
  detail        TEXT,
  key           TEXT UNIQUE
) STRICT;
CREATE INDEX IF NOT EXISTS events_by_carrier ON events (carrier_id, seq);
${['carriers', 'events'].flatMap((t) => ['UPDATE', 'DELETE'].map((op) => refuse(t, op))).join('\n')}
-- INSERT OR REPLACE would delete the stored row to make room (firing no delete trigger unless a
-- connection enables recursive_triggers): a row that is already there is kept, the new one ignored.
CREATE TRIGGER IF NOT EXISTS carriers_keep BEFORE INSERT ON carriers
  WHEN EXISTS (SELECT 1 FROM carriers WHERE id = NEW.id
               OR (input_sha256 = NEW.input_sha256 AND from_party = NEW.from_party AND to_party = NEW.to_party))
  BEGIN SELECT RAISE(IGNORE); END;
CREATE TRIGGER IF NOT EXISTS events_keep BEFORE INSERT ON events
  WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq OR key = NEW.key)
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
      insertCarrier: db.prepare(`INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake)
        VALUES (:id, :receivedAt, :name, :from, :to, :inputSha256, :kind, :derivedFrom, :intake) ON CONFLICT DO NOTHING`),
      carrierById: db.prepare<[string], DbRow>('SELECT * FROM carriers WHERE id = ?'),
      carrierByContent: db.prepare<[string, string, string], DbRow>('SELECT * FROM carriers WHERE input_sha256 = ? AND from_party = ? AND to_party = ?'),
      carriersBySha: db.prepare<[string], DbRow>('SELECT * FROM carriers WHERE input_sha256 = ? ORDER BY received_at, rowid'),
      insertEvent: db.prepare<DbRow, DbRow>(`INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key)
        VALUES (:carrierId, :at, :kind, :level, :stampsJson, :decidedBy, :reference, :outputSha256, :outputPath, :detail, :key)
        ON CONFLICT DO NOTHING RETURNING *`),
      eventByKey: db.prepare<[string], DbRow>('SELECT * FROM events WHERE key = ?'),
      eventsOf: db.prepare<[string], DbRow>('SELECT * FROM events WHERE carrier_id IN (SELECT value FROM json_each(?)) ORDER BY seq'),
      list: db.prepare<DbRow, DbRow>(`SELECT c.* FROM carriers c WHERE ${SEARCH}
        ORDER BY c.received_at DESC, c.rowid DESC LIMIT :limit OFFSET :offset`),
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
      if (create) db.transaction(() => db!.exec(SCHEMA)).immediate();
      else {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('carriers', 'events')").all();
        if (tables.length !== 2) throw registerError(`${path} is not a grif register (no carriers and events tables)`);
      }
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

  addCarrier(row: NewCarrier): Promise<{ created: boolean; row: CarrierRow }> {
    return this.#run('adding a carrier', () => {
      const c = checkCarrier(row);
      if (this.#st.insertCarrier.run(c).changes === 1) return { created: true, row: c };
      const stored = this.#st.carrierById.get(c.id) ?? this.#st.carrierByContent.get(c.inputSha256, c.from, c.to);
      if (!stored) throw registerError(`register ${this.#path}: carrier ${c.id} was neither added nor found`, { retryable: true });
      return { created: false, row: carrierFromDb(stored) };
    });
  }

  addEvent(e: NewEvent): Promise<{ created: boolean; event: EventRow }> {
    return this.#run('adding an event', () => {
      const ev = checkEvent(e);
      let inserted: DbRow | undefined;
      try {
        inserted = this.#st.insertEvent.get(ev);
      } catch (err) {
        if (sqliteCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw registerError(`no carrier ${ev.carrierId} in the register`, { cause: err });
        throw err;
      }
      if (inserted) return { created: true, event: eventFromDb(inserted) };
      const existing = ev.key === null ? undefined : this.#st.eventByKey.get(ev.key);
      if (!existing) throw registerError(`register ${this.#path}: event for ${ev.carrierId} was neither added nor found`, { retryable: true });
      const event = eventFromDb(existing);
      if (event.carrierId !== ev.carrierId) throw registerError(`event key ${ev.key} is already used for carrier ${event.carrierId}, not ${ev.carrierId}`);
      return { created: false, event };
    });
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
