/**
 * The register (Art. 6.2 of the agreement): an append-only record of every carrier and copy
 * received and of every decision taken on it. Two backends share this interface: SQLite (one
 * machine, the default) and PostgreSQL (several machines).
 */
import type { Level, PartyId } from '../core/article3.js';

/** How a carrier reached grif. */
export type Intake = 'inbox' | 'http' | 'cli';
export const INTAKES: readonly Intake[] = ['inbox', 'http', 'cli'];

export interface CarrierRow {
  /** The carrierId: `<sha256 first 32 hex>-<from>-<to>`. */
  id: string;
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

export type EventKind = 'verdict' | 'stamped' | 'unmarked' | 'review' | 'decision' | 'rejected' | 'duplicate';
export const EVENT_KINDS: readonly EventKind[] = ['verdict', 'stamped', 'unmarked', 'review', 'decision', 'rejected', 'duplicate'];

export interface EventRow {
  /** Increases with every event appended; assigned by the database. */
  seq: number;
  carrierId: string;
  /** ISO 8601, UTC. */
  at: string;
  kind: EventKind;
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
}

export interface RegisterEntry extends CarrierRow {
  /** Oldest first. */
  events: EventRow[];
}

export type NewCarrier = Omit<CarrierRow, 'receivedAt'> & { receivedAt?: string };
export type NewEvent = Omit<EventRow, 'seq' | 'at'> & { at?: string };

export interface ListOptions {
  /** Case-insensitive substring of the name, id, input or output SHA-256, level, decidedBy or reference. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface Register {
  /** Insert-or-ignore on id (and unique on inputSha256+from+to): returns the stored row and whether it was created now. */
  addCarrier(row: NewCarrier): Promise<{ created: boolean; row: CarrierRow }>;
  /**
   * Appends an event; when `key` is set and an event with that key exists, returns the existing
   * one (created: false). A key already used for another carrier is an error, not a silent drop.
   */
  addEvent(e: NewEvent): Promise<{ created: boolean; event: EventRow }>;
  carrier(id: string): Promise<RegisterEntry | undefined>;
  /** The carriers received with these bytes (one per direction); takes a full SHA-256 (64 hex). */
  findBySha(sha256: string): Promise<CarrierRow[]>;
  /** Newest first. */
  list(opts?: ListOptions): Promise<RegisterEntry[]>;
  count(): Promise<{ carriers: number; events: number }>;
  close(): Promise<void>;
}
