/**
 * What a queue job carries: a reference to a stored carrier, never its bytes. The carrier id
 * derives from the content and the parties, so the same carrier dropped twice is one job and one
 * register row.
 */
import { isPartyId, type PartyId, type ReviewDecision } from '../core/index.js';

import type { Intake } from '../register/register.js';
export type { Intake };

export interface CarrierRef {
  /** `<sha256 first 32 hex>-<from>-<to>`: job id of every stage and the register's key. */
  readonly carrierId: string;
  readonly sha256: string;
  /** The carrier as received, relative to the data directory (store/<sha256><ext>). */
  readonly stored: string;
  /** The name it arrived under (sanitised), which output names begin with. */
  readonly name: string;
  readonly from: PartyId;
  readonly to: PartyId;
  readonly russian: boolean;
  /** Carrier id of the source, for a translation or copy. */
  readonly derivedFrom?: string;
  /** The transfer it came in (Art. 5.3), and the sender's reference of it there. */
  readonly transfer?: string;
  readonly senderReference?: string;
  /** Produced jointly by both Parties: its level changes only by mutual agreement (Art. 6.3). */
  readonly joint?: boolean;
  readonly intake: Intake;
  /** The inbox file, removed once the carrier's result is written. */
  readonly inboxPath?: string;
  /** A person's decision, for a carrier that was in review. */
  readonly decision?: ReviewDecision;
  /** How many times a person took it again (grif retry); absent for the first time through. */
  readonly round?: number;
}

// One definition of the id, shared with the register, whose key it is.
export { carrierIdOf } from '../register/rows.js';

const ID = /^([0-9a-f]{32})-(KZ|KG)-(KZ|KG)$/;

export function isCarrierId(s: string): boolean {
  const m = ID.exec(s);
  return m !== null && m[2] !== m[3] && isPartyId(m[2]) && isPartyId(m[3]);
}

/** The short tag put in output names: the same name from two senders never collides. */
export function outputTag(ref: Pick<CarrierRef, 'sha256' | 'from' | 'to'>): string {
  return `${ref.sha256.slice(0, 8)}-${ref.from}-${ref.to}`;
}

/**
 * A file name safe to write under our folders: its last path part, without control characters or
 * leading dots, at most 120 characters (hostile names cannot climb out of a folder or hide).
 */
export function safeName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '_').replace(/^[.\s]+/, '').trim();
  const short = [...clean].slice(-120).join('');
  return short || 'carrier';
}
