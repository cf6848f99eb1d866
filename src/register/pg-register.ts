/**
 * The register in PostgreSQL, for several machines. Every write is one INSERT … ON CONFLICT DO
 * NOTHING, so processes on any number of hosts may register the same carrier at once and one row
 * results; the loser reads the winner's row.
 */
import pg from 'pg';
import { LEVEL_IDS, PARTY_IDS } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { CARRIER_KINDS, EVENT_KINDS, INTAKES, type CarrierRow, type EventRow, type ListOptions, type NewCarrier, type NewEvent, type Register, type RegisterEntry } from './register.js';
import { carrierFromDb, checkCarrier, checkEvent, checkSha256, eventFromDb, page, registerError, type DbRow } from './rows.js';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

// `inserted` orders carriers received in the same millisecond. The triggers refuse UPDATE, DELETE
// and TRUNCATE for every role; in production also grant the service's role only SELECT and INSERT,
// since an owner can still drop a trigger.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS carriers (
  id           text PRIMARY KEY,
  received_at  timestamptz NOT NULL,
  name         text NOT NULL,
  from_party   text NOT NULL CHECK (from_party IN (${list(PARTY_IDS)})),
  to_party     text NOT NULL CHECK (to_party IN (${list(PARTY_IDS)}) AND to_party <> from_party),
  input_sha256 text NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
  kind         text NOT NULL CHECK (kind IN (${list(CARRIER_KINDS)})),
  derived_from text,
  intake       text NOT NULL CHECK (intake IN (${list(INTAKES)})),
  inserted     bigint GENERATED ALWAYS AS IDENTITY,
  UNIQUE (input_sha256, from_party, to_party)
);
CREATE INDEX IF NOT EXISTS carriers_by_time ON carriers (received_at);
CREATE TABLE IF NOT EXISTS events (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  carrier_id    text NOT NULL REFERENCES carriers (id),
  at            timestamptz NOT NULL,
  kind          text NOT NULL CHECK (kind IN (${list(EVENT_KINDS)})),
  level         text CHECK (level IS NULL OR level IN (${list(LEVEL_IDS)})),
  stamps        json NOT NULL CHECK (json_typeof(stamps) = 'array'),
  decided_by    text NOT NULL,
  reference     text,
  output_sha256 text CHECK (output_sha256 ~ '^[0-9a-f]{64}$'),
  output_path   text,
  detail        text,
  key           text UNIQUE
);
CREATE INDEX IF NOT EXISTS events_by_carrier ON events (carrier_id, seq);
CREATE OR REPLACE FUNCTION grif_register_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the register is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
${['carriers', 'events']
  .map((t) => `CREATE OR REPLACE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION grif_register_refuse();
CREATE OR REPLACE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION grif_register_refuse();`)
  .join('\n')}
`;

// lower() follows the database's collation, and under "C" it folds ASCII only; ICU's root
// collation, where the server has it, folds Cyrillic too, as the SQLite backend does.
function searchSql(icu: boolean): string {
  const fold = (x: string): string => (icu ? `lower((${x}) COLLATE "und-x-icu")` : `lower(${x})`);
  const has = (x: string): string => `strpos(${fold(x)}, ${fold('$1')}) > 0`;
  return `($1::text IS NULL
  OR ${has('c.name')} OR ${has('c.id')} OR strpos(c.input_sha256, lower($1)) > 0
  OR EXISTS (SELECT 1 FROM events e WHERE e.carrier_id = c.id AND (
       ${has('e.level')} OR ${has('e.decided_by')} OR ${has('e.reference')} OR strpos(e.output_sha256, lower($1)) > 0)))`;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.searchParams.delete('password');
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

function pgCode(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
}

// Connection trouble, overload, shutdown, serialization failures: another try may succeed.
function retryable(err: unknown): boolean {
  const code = pgCode(err);
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '40001' || code === '40P01' || /^E[A-Z]+$/.test(code) || (err instanceof Error && /timeout|terminated/i.test(err.message));
}

export class PgRegister implements Register {
  readonly #pool: pg.Pool;
  readonly #where: string;
  readonly #search: string;
  #closed = false;

  private constructor(pool: pg.Pool, where: string, icu: boolean) {
    this.#pool = pool;
    this.#where = where;
    this.#search = searchSql(icu);
  }

  /** Connects, and with `create` (the default) makes the tables when they are missing. */
  static async open(url: string, opts: { create?: boolean; max?: number } = {}): Promise<PgRegister> {
    const where = redactUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
    // An idle connection the server drops emits 'error' on the pool; unhandled, it would end the
    // process. The next query reconnects or reports the failure itself.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      let icu = false;
      try {
        if (!(await PgRegister.#hasTables(client))) {
          if (!(opts.create ?? true)) throw registerError(`there is no register in ${where} (no carriers and events tables)`);
          // Several processes may start at once; DDL run concurrently fails, so take turns.
          await client.query('BEGIN');
          await client.query("SELECT pg_advisory_xact_lock(hashtext('grif register schema'))");
          await client.query(SCHEMA);
          await client.query('COMMIT');
        }
        icu = (await client.query("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")).rowCount === 1;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
      return new PgRegister(pool, where, icu);
    } catch (err) {
      await pool.end().catch(() => {});
      if (err instanceof GrifError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const verb = retryable(err) ? 'cannot reach' : 'cannot open';
      throw registerError(`${verb} the register at ${where}: ${message}`, { cause: err, retryable: retryable(err) });
    }
  }

  static async #hasTables(client: pg.PoolClient): Promise<boolean> {
    const r = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM (VALUES ('carriers'), ('events')) t(name) WHERE to_regclass(name) IS NOT NULL");
    return r.rows[0]?.n === 2;
  }

  async #query(what: string, sql: string, params: unknown[]): Promise<DbRow[]> {
    try {
      return (await this.#pool.query<DbRow>(sql, params)).rows;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw registerError(`register ${this.#where}: ${what}: ${message}`, { cause: err, retryable: retryable(err) });
    }
  }

  async addCarrier(row: NewCarrier): Promise<{ created: boolean; row: CarrierRow }> {
    const c = checkCarrier(row);
    const inserted = await this.#query(
      'adding a carrier',
      `INSERT INTO carriers (id, received_at, name, from_party, to_party, input_sha256, kind, derived_from, intake)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
      [c.id, c.receivedAt, c.name, c.from, c.to, c.inputSha256, c.kind, c.derivedFrom, c.intake],
    );
    if (inserted.length === 1) return { created: true, row: c };
    const [stored] = await this.#query(
      'reading a carrier',
      'SELECT * FROM carriers WHERE id = $1 OR (input_sha256 = $2 AND from_party = $3 AND to_party = $4) ORDER BY (id = $1) DESC LIMIT 1',
      [c.id, c.inputSha256, c.from, c.to],
    );
    if (!stored) throw registerError(`register ${this.#where}: carrier ${c.id} was neither added nor found`, { retryable: true });
    return { created: false, row: carrierFromDb(stored) };
  }

  async addEvent(e: NewEvent): Promise<{ created: boolean; event: EventRow }> {
    const ev = checkEvent(e);
    let inserted: DbRow[];
    try {
      inserted = (
        await this.#pool.query<DbRow>(
          `INSERT INTO events (carrier_id, at, kind, level, stamps, decided_by, reference, output_sha256, output_path, detail, key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING *`,
          [ev.carrierId, ev.at, ev.kind, ev.level, ev.stampsJson, ev.decidedBy, ev.reference, ev.outputSha256, ev.outputPath, ev.detail, ev.key],
        )
      ).rows;
    } catch (err) {
      if (pgCode(err) === '23503') throw registerError(`no carrier ${ev.carrierId} in the register`, { cause: err });
      const message = err instanceof Error ? err.message : String(err);
      throw registerError(`register ${this.#where}: adding an event: ${message}`, { cause: err, retryable: retryable(err) });
    }
    if (inserted[0]) return { created: true, event: eventFromDb(inserted[0]) };
    const [existing] = ev.key === null ? [] : await this.#query('reading an event', 'SELECT * FROM events WHERE key = $1', [ev.key]);
    if (!existing) throw registerError(`register ${this.#where}: event for ${ev.carrierId} was neither added nor found`, { retryable: true });
    const event = eventFromDb(existing);
    if (event.carrierId !== ev.carrierId) throw registerError(`event key ${ev.key} is already used for carrier ${event.carrierId}, not ${ev.carrierId}`);
    return { created: false, event };
  }

  async #withEvents(rows: DbRow[]): Promise<RegisterEntry[]> {
    const entries = rows.map((r) => ({ ...carrierFromDb(r), events: [] as EventRow[] }));
    if (entries.length === 0) return entries;
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const r of await this.#query('reading events', 'SELECT * FROM events WHERE carrier_id = ANY($1::text[]) ORDER BY seq', [[...byId.keys()]])) {
      const ev = eventFromDb(r);
      byId.get(ev.carrierId)?.events.push(ev);
    }
    return entries;
  }

  async carrier(id: string): Promise<RegisterEntry | undefined> {
    const rows = await this.#query('reading a carrier', 'SELECT * FROM carriers WHERE id = $1', [id]);
    return (await this.#withEvents(rows))[0];
  }

  async findBySha(sha256: string): Promise<CarrierRow[]> {
    const rows = await this.#query('finding a carrier', 'SELECT * FROM carriers WHERE input_sha256 = $1 ORDER BY received_at, inserted', [checkSha256(sha256)]);
    return rows.map(carrierFromDb);
  }

  async list(opts: ListOptions = {}): Promise<RegisterEntry[]> {
    const { limit, offset } = page(opts);
    const q = opts.search?.trim() ? opts.search.trim() : null;
    // LIMIT NULL is "no limit" in PostgreSQL.
    const rows = await this.#query(
      'listing',
      `SELECT c.* FROM carriers c WHERE ${this.#search} ORDER BY c.received_at DESC, c.inserted DESC LIMIT $2 OFFSET $3`,
      [q, limit, offset],
    );
    return this.#withEvents(rows);
  }

  async count(): Promise<{ carriers: number; events: number }> {
    const [r] = await this.#query('counting', 'SELECT (SELECT count(*) FROM carriers)::bigint AS carriers, (SELECT count(*) FROM events)::bigint AS events', []);
    return { carriers: Number(r?.carriers ?? 0), events: Number(r?.events ?? 0) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
