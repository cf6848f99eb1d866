/**
 * The register (Art. 6.2 of the agreement): an append-only record of every carrier and copy
 * received and of every decision taken on it. Two backends share this interface: SQLite (one
 * machine, the default) and PostgreSQL (several machines).
 */
import type { Level, PartyId } from '../core/article3.js';
import { GrifError } from '../errors.js';
import { NOTE_KINDS, TRANSITION_NAMES, type CarrierState, type NoteKind, type TransitionName } from './states.js';

/** How a carrier reached grif. */
export type Intake = 'inbox' | 'http' | 'cli';
export const INTAKES: readonly Intake[] = ['inbox', 'http', 'cli'];

/** A carrier's incoming number: the next of its register's journal for the year it was received. */
export interface IncomingNumber {
  readonly year: number;
  /** 1, 2, 3… within the year: never reused, never skipped. */
  readonly seq: number;
}

export interface CarrierRow {
  /** The carrierId: `<sha256 first 32 hex>-<from>-<to>`. */
  id: string;
  /** Given by the register when the carrier is registered; null only in rows not yet written. */
  incoming: IncomingNumber | null;
  /** ISO 8601, UTC. */
  receivedAt: string;
  name: string;
  from: PartyId;
  to: PartyId;
  inputSha256: string;
  kind: 'carrier' | 'copy';
  /** The carrierId of the source of a translation or copy. */
  derivedFrom: string | null;
  intake: Intake;
}
export const CARRIER_KINDS: readonly CarrierRow['kind'][] = ['carrier', 'copy'];

/** A transition of the carrier's state (states.ts), or a note that leaves it where it is. */
export type EventKind = TransitionName | NoteKind;
export const EVENT_KINDS: readonly EventKind[] = [...TRANSITION_NAMES, ...NOTE_KINDS];

export interface EventRow {
  /** Increases with every event appended; assigned by the database. */
  seq: number;
  /** The event's place in the register's chain: 1, 2, 3… with no gap. */
  n: number;
  carrierId: string;
  /** ISO 8601, UTC. */
  at: string;
  kind: EventKind;
  /** The carrier's state after a transition; null for a note. */
  state: CarrierState | null;
  level: Level | null;
  /** The stamps found (lang, level, page, bbox, evidence), stored as JSON. */
  stamps: readonly unknown[];
  /** 'grif 0.x' for automatic decisions, else the person who decided. */
  decidedBy: string;
  /** The written permission or decision reference. */
  reference: string | null;
  outputSha256: string | null;
  outputPath: string | null;
  detail: string | null;
  /** Idempotency key, unique when set: a stage delivered twice appends its event once. */
  key: string | null;
  /** The hash of the event before it in the chain (chain.ts). */
  prevHash: string;
  /** This event's hash, over its fields and prevHash (and its carrier's row, for 'registered'). */
  hash: string;
}

export interface RegisterEntry extends CarrierRow {
  /** Oldest first. */
  events: EventRow[];
}

export type NewCarrier = Omit<CarrierRow, 'receivedAt' | 'incoming'> & {
  receivedAt?: string;
  /** Who registered it (for the 'registered' event): 'grif 0.x', or a person. */
  registeredBy?: string;
};
/** An event as a caller gives it: its place, state and hashes are the register's to set. */
export type NewEvent = Omit<EventRow, 'seq' | 'at' | 'n' | 'state' | 'prevHash' | 'hash'> & { at?: string };

/**
 * A document the receiving authority sends out (a confirmation of receipt, Art. 5.3), in the
 * register's journal of outgoing documents: numbered per year like incoming carriers, never reused.
 */
export interface OutgoingRow {
  readonly year: number;
  readonly seq: number;
  readonly kind: OutgoingKind;
  /** ISO 8601, UTC. */
  readonly at: string;
  /** The document's SHA-256 (the PDF sent). */
  readonly sha256: string;
  /** Who signed it out. */
  readonly decidedBy: string;
  readonly detail: string | null;
}
export const OUTGOING_KINDS = ['receipt-confirmation'] as const;
export type OutgoingKind = (typeof OUTGOING_KINDS)[number];
export type NewOutgoing = Omit<OutgoingRow, 'year' | 'seq' | 'at'> & {
  at?: string;
  /**
   * The number the document was written with (it prints its own number): when another document
   * took that number first, OutgoingNumberTaken is thrown and nothing is written, to write it again.
   */
  expectSeq?: number;
};

/** An event's key is taken already (another writer numbered the same thing first): nothing of the batch was written. */
export class EventKeyTaken extends GrifError {
  constructor(readonly key: string) {
    super(`event key ${key} is taken already`, { code: 'register', retryable: true });
  }
}

/** The outgoing number a document was written with went to another one first: write it again with the next. */
export class OutgoingNumberTaken extends GrifError {
  constructor(readonly expected: number, readonly next: number) {
    super(`outgoing number ${expected} was taken by another document; the next is ${next}`, { code: 'register', retryable: true });
  }
}

export interface ListOptions {
  /** Case-insensitive substring of the name, id, input or output SHA-256, level, decidedBy or reference. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface Register {
  /**
   * Insert-or-ignore on id (and unique on inputSha256+from+to): returns the stored row and whether
   * it was created now. A new carrier gets the next incoming number of its year and its
   * 'registered' event in the same transaction.
   */
  addCarrier(row: NewCarrier): Promise<{ created: boolean; row: CarrierRow }>;
  /**
   * Appends an event to the chain; when `key` is set and an event with that key exists, returns
   * the existing one (created: false). A key already used for another carrier is an error, not a
   * silent drop. An event that is a transition (states.ts) is appended only if it leaves the
   * carrier's current state, checked in the same transaction; otherwise nothing is written and
   * TransitionRefused says where the carrier stands, since when, and by whose event.
   */
  addEvent(e: NewEvent): Promise<{ created: boolean; event: EventRow }>;
  /**
   * Registers an outgoing document and the events it brings (one per carrier it concerns), in one
   * transaction: the next outgoing number of its year is taken, and `events` builds the events
   * from it (they cite it). Every event is checked as addEvent checks it; one refused refuses all.
   */
  addOutgoing(doc: NewOutgoing, events: (n: { year: number; seq: number }) => readonly NewEvent[]): Promise<{ row: OutgoingRow; events: EventRow[] }>;
  /**
   * Appends several events in one transaction, in order: each checked as addEvent checks it; a key
   * already taken, or a transition refused, refuses them all and nothing is written.
   */
  addEvents(events: readonly NewEvent[]): Promise<EventRow[]>;
  /** The outgoing journal, oldest first. */
  outgoing(): Promise<OutgoingRow[]>;
  /** The carrier's current state and the event that put it there, or undefined for an unknown carrier. */
  stateOf(id: string): Promise<{ state: CarrierState; since: EventRow } | undefined>;
  /** Recomputes the chain over every row (chain.ts). */
  verify(): Promise<import('./chain.js').ChainReport>;
  carrier(id: string): Promise<RegisterEntry | undefined>;
  /** The carriers received with these bytes (one per direction); takes a full SHA-256 (64 hex). */
  findBySha(sha256: string): Promise<CarrierRow[]>;
  /** Newest first. */
  list(opts?: ListOptions): Promise<RegisterEntry[]>;
  /** The carriers whose current state is one of `states`, oldest first (what a state's page lists). */
  inState(states: readonly CarrierState[]): Promise<RegisterEntry[]>;
  count(): Promise<{ carriers: number; events: number }>;
  close(): Promise<void>;
}

/** A transition the carrier's current state does not allow: someone else's event got there first. */
export class TransitionRefused extends GrifError {
  constructor(
    readonly carrierId: string,
    readonly wanted: EventKind,
    readonly state: CarrierState | null,
    readonly since: EventRow | undefined,
  ) {
    super(
      since
        ? `carrier ${carrierId} is ${state} since ${since.at} (${since.kind} by ${since.decidedBy}): '${wanted}' does not apply to it`
        : `carrier ${carrierId} is not in the register: '${wanted}' does not apply to it`,
      { code: 'register/state', retryable: false },
    );
  }
}

/**
 * A new event as the register takes it: its kind and the fields that apply, the others empty.
 * Every part of grif builds its events here, so an event's shape is said once.
 */
export function newEvent(carrierId: string, kind: EventKind, decidedBy: string, fields: Partial<Omit<NewEvent, 'carrierId' | 'kind' | 'decidedBy'>> = {}): NewEvent {
  return { carrierId, kind, level: null, stamps: [], decidedBy, reference: null, outputSha256: null, outputPath: null, detail: null, key: null, ...fields };
}

/** The event that put a carrier in its current state: its last transition (notes pass over). */
export function lastTransition(entry: Pick<RegisterEntry, 'events'>): EventRow | undefined {
  for (let i = entry.events.length - 1; i >= 0; i--) if (entry.events[i]!.state !== null) return entry.events[i];
  return undefined;
}
