/**
 * What both backends share: checking rows before they are written (a record that cannot be
 * corrected must not take bad data) and reading database rows back into the register's types.
 */
import { isLevel, isPartyId, type Level, type PartyId } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { eventHash } from './chain.js';
import {
  CARRIER_KINDS,
  EVENT_KINDS,
  INTAKES,
  OUTGOING_KINDS,
  TransitionRefused,
  newEvent,
  type CarrierRow,
  type EventKind,
  type EventRow,
  type Intake,
  type NewCarrier,
  type NewEvent,
  type NewOutgoing,
  type OutgoingRow,
} from './register.js';
import { CARRIER_STATES, isTransition, nextState, noteApplies, type CarrierState } from './states.js';

const SHA256 = /^[0-9a-f]{64}$/i;

export function registerError(message: string, opts: { cause?: unknown; retryable?: boolean } = {}): GrifError {
  return new GrifError(message, { code: 'register', retryable: opts.retryable ?? false, cause: opts.cause });
}

/** The carrierId of the design: the first 32 hex of the SHA-256, then the direction. */
export function carrierIdOf(sha256: string, from: PartyId, to: PartyId): string {
  return `${sha256.toLowerCase().slice(0, 32)}-${from}-${to}`;
}

export function checkSha256(value: string, what = 'SHA-256'): string {
  if (!SHA256.test(value)) throw registerError(`${what} must be 64 hexadecimal digits, not ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw registerError(`${what} must be a non-empty string`);
  return value;
}

function optionalText(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : text(value, what);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw registerError(`${what} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return value as T;
}

/** ISO 8601 in UTC, so that text order is time order in SQLite and both backends return the same string. */
export function isoTime(value: string | undefined, what: string): string {
  if (value === undefined) return new Date().toISOString();
  const d = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw registerError(`${what} must be an ISO 8601 time, not ${JSON.stringify(value)}`);
  return d.toISOString();
}

export function checkCarrier(row: NewCarrier): CarrierRow {
  const from = row.from;
  const to = row.to;
  if (!isPartyId(from) || !isPartyId(to)) throw registerError(`from and to must be KZ or KG, not ${String(from)} and ${String(to)}`);
  if (from === to) throw registerError(`from and to are both ${from}`);
  const kind = oneOf(row.kind, CARRIER_KINDS, 'kind');
  const derivedFrom = optionalText(row.derivedFrom, 'derivedFrom');
  // A copy without its source could not be checked against it (Art. 6.1), nor a carrier have one.
  if ((kind === 'copy') !== (derivedFrom !== null)) throw registerError(`a ${kind} ${kind === 'copy' ? 'needs' : 'has no'} derivedFrom`);
  return {
    id: text(row.id, 'id'),
    incoming: null,
    receivedAt: isoTime(row.receivedAt, 'receivedAt'),
    name: text(row.name, 'name'),
    from,
    to,
    inputSha256: checkSha256(row.inputSha256, 'inputSha256'),
    kind,
    derivedFrom,
    intake: oneOf(row.intake, INTAKES, 'intake'),
  };
}

/** The event as the caller gave it, checked, with `stamps` as JSON text. */
export type CheckedEvent = Omit<EventRow, 'seq' | 'stamps' | 'n' | 'state' | 'prevHash' | 'hash'> & { stampsJson: string };

/** The event as it will be stored: its place in the chain, the state it leaves, its hashes. */
export type SealedEvent = CheckedEvent & Pick<EventRow, 'n' | 'state' | 'prevHash' | 'hash'>;

/** The event that registers a carrier: when it was received, by whom. */
export function registeredEvent(c: CarrierRow, by = 'grif'): CheckedEvent {
  return checkEvent(newEvent(c.id, 'registered', by, { at: c.receivedAt, key: `${c.id}:registered` }));
}

/**
 * The year a carrier's incoming number counts in: the year it was received, in the service's
 * time zone (TZ), as the registry's journal is kept.
 */
export function incomingYear(receivedAt: string): number {
  return new Date(receivedAt).getFullYear();
}

/**
 * Places an event after the chain's head: checks that a transition leaves the carrier's current
 * state (throws TransitionRefused otherwise), and computes its place and hashes.
 */
export function sealEvent(
  ev: CheckedEvent,
  head: { n: number; hash: string },
  current: { state: CarrierState | null; since: EventRow | undefined },
  carrier?: CarrierRow,
): SealedEvent {
  let state: CarrierState | null = null;
  if (isTransition(ev.kind)) {
    state = nextState(current.state, ev.kind);
    if (state === null) throw new TransitionRefused(ev.carrierId, ev.kind, current.state, current.since);
  } else if (!noteApplies(current.state, ev.kind)) throw new TransitionRefused(ev.carrierId, ev.kind, current.state, current.since);
  const stamps = JSON.parse(ev.stampsJson) as unknown[];
  const unsealed = { ...ev, stamps, n: head.n + 1, state, prevHash: head.hash };
  return { ...ev, n: unsealed.n, state, prevHash: head.hash, hash: eventHash(unsealed, carrier) };
}

export function checkEvent(e: NewEvent): CheckedEvent {
  if (e.level !== null && !isLevel(e.level)) throw registerError(`level must be an Article 3 level or null, not ${JSON.stringify(e.level)}`);
  if (!Array.isArray(e.stamps)) throw registerError('stamps must be an array');
  let stampsJson: string;
  try {
    stampsJson = JSON.stringify(e.stamps);
  } catch (err) {
    throw registerError('stamps cannot be written as JSON', { cause: err });
  }
  return {
    carrierId: text(e.carrierId, 'carrierId'),
    at: isoTime(e.at, 'at'),
    kind: oneOf(e.kind, EVENT_KINDS, 'event kind'),
    level: e.level,
    stampsJson,
    decidedBy: text(e.decidedBy, 'decidedBy'),
    reference: optionalText(e.reference, 'reference'),
    outputSha256: e.outputSha256 === null ? null : checkSha256(e.outputSha256, 'outputSha256'),
    outputPath: optionalText(e.outputPath, 'outputPath'),
    detail: e.detail ?? null,
    key: optionalText(e.key, 'key'),
  };
}

export function checkOutgoing(d: NewOutgoing): Omit<OutgoingRow, 'year' | 'seq'> {
  return {
    kind: oneOf(d.kind, OUTGOING_KINDS, 'outgoing kind'),
    at: isoTime(d.at, 'at'),
    sha256: checkSha256(d.sha256, 'sha256'),
    decidedBy: text(d.decidedBy, 'decidedBy'),
    detail: d.detail ?? null,
  };
}

export function outgoingFromDb(r: DbRow): OutgoingRow {
  return {
    year: Number(r.year),
    seq: Number(r.seq),
    kind: r.kind as OutgoingRow['kind'],
    at: timeOf(r.at),
    sha256: String(r.sha256),
    decidedBy: String(r.decided_by),
    detail: nullable(r.detail),
  };
}

/** Both backends select these snake_case columns; the values differ only in type (Date, bigint text, parsed JSON). */
export type DbRow = Record<string, unknown>;

function timeOf(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

function nullable(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function carrierFromDb(r: DbRow): CarrierRow {
  return {
    id: String(r.id),
    incoming: r.incoming_seq === null || r.incoming_seq === undefined ? null : { year: Number(r.incoming_year), seq: Number(r.incoming_seq) },
    receivedAt: timeOf(r.received_at),
    name: String(r.name),
    from: r.from_party as PartyId,
    to: r.to_party as PartyId,
    inputSha256: String(r.input_sha256),
    kind: r.kind as CarrierRow['kind'],
    derivedFrom: nullable(r.derived_from),
    intake: r.intake as Intake,
  };
}

export function eventFromDb(r: DbRow): EventRow {
  const stamps = typeof r.stamps === 'string' ? (JSON.parse(r.stamps) as unknown) : r.stamps;
  return {
    seq: Number(r.seq),
    n: Number(r.n),
    carrierId: String(r.carrier_id),
    at: timeOf(r.at),
    kind: r.kind as EventKind,
    state: CARRIER_STATES.includes(r.state as CarrierState) ? (r.state as CarrierState) : null,
    level: (r.level ?? null) as Level | null,
    stamps: Array.isArray(stamps) ? stamps : [],
    decidedBy: String(r.decided_by),
    reference: nullable(r.reference),
    outputSha256: nullable(r.output_sha256),
    outputPath: nullable(r.output_path),
    detail: nullable(r.detail),
    key: nullable(r.key),
    prevHash: String(r.prev_hash ?? ''),
    hash: String(r.hash ?? ''),
  };
}

/** The page size asked for, checked: a negative LIMIT means "all" in SQLite but is an error in PostgreSQL. */
export function page(opts: { limit?: number; offset?: number }): { limit: number | null; offset: number } {
  const { limit, offset = 0 } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw registerError('limit must be a whole number, 0 or more');
  if (!Number.isInteger(offset) || offset < 0) throw registerError('offset must be a whole number, 0 or more');
  return { limit: limit ?? null, offset };
}
