/**
 * Level-change notices in the register (Art. 6.3): a notice recorded moves each carrier it names
 * to to-remark (one 'notice' event per carrier, keyed so that the same notice recorded twice is
 * written once); the deadlines are read back from those events. The rules are core/notice.ts's.
 */
import { createHash } from 'node:crypto';
import type { Level, PartyId } from '../core/article3.js';
import { checkNotices, deadline, dueDate, type Deadline, type LevelChange, type LevelChangeNotice, type NoticeTarget } from '../core/notice.js';
import { GrifError } from '../errors.js';
import { lastTransition, newEvent, type EventRow, type Register, type RegisterEntry } from '../register/register.js';
import type { CarrierState } from '../register/states.js';

/** A day as the registry writes it (YYYY-MM-DD), in the service's time zone (TZ). */
export function localDay(d: Date = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** States a notice applies to: the carrier has been through intake and bears its marking (or had it removed). */
const NOTICE_APPLIES_TO: readonly CarrierState[] = ['stamped', 'unchanged', 'declassified', 'to-remark'];

export class NoticeRefused extends GrifError {
  constructor(message: string, code: 'notice/refused' | 'notice/not-found' | 'notice/state' = 'notice/refused') {
    super(message, { code });
  }
}

/** What a 'notice' event's detail holds (JSON): the notices and the due date. */
export interface RecordedNotice {
  readonly change: LevelChange;
  readonly notices: readonly LevelChangeNotice[];
  readonly due: string;
}

/** The carrier's level now, as its events have set it (null: unmarked, or its marking removed). */
export function currentLevel(entry: Pick<RegisterEntry, 'events'>): Level | null {
  for (let i = entry.events.length - 1; i >= 0; i--) {
    const e = entry.events[i]!;
    if (e.kind === 'stamped' || e.kind === 'remarked' || e.kind === 'already-marked') return e.level;
    if (e.kind === 'unmarked' || e.kind === 'level-removed') return null;
  }
  return null;
}

export const isJoint = (entry: Pick<RegisterEntry, 'events'>): boolean => entry.events.some((e) => e.kind === 'jointly-produced');

export function targetOf(entry: RegisterEntry): NoticeTarget {
  return { id: entry.id, from: entry.from, joint: isJoint(entry), level: currentLevel(entry) };
}

/** The notice recorded in an event, or undefined for a detail that is not one. */
export function recordedNotice(e: Pick<EventRow, 'kind' | 'detail'>): RecordedNotice | undefined {
  if (e.kind !== 'notice' || !e.detail) return undefined;
  try {
    const r = JSON.parse(e.detail) as RecordedNotice;
    return Array.isArray(r.notices) && typeof r.due === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

const noticeKey = (carrierId: string, notices: readonly LevelChangeNotice[]): string =>
  `${carrierId}:notice:${createHash('sha256')
    .update(JSON.stringify(notices.map((n) => [n.party, n.change, n.reference, n.date])))
    .digest('hex')
    .slice(0, 16)}`;

export interface NoticeResult {
  readonly carrierId: string;
  readonly created: boolean;
  readonly due: string;
}

/**
 * Records the notice (or, for jointly produced carriers, both Parties' notices) for each carrier.
 * Every carrier is checked before any is written: one that may not take the notice refuses the
 * whole request with the reason. Recording the same notice again changes nothing.
 */
export async function recordNotice(register: Register, carrierIds: readonly string[], notices: readonly LevelChangeNotice[], by: string): Promise<NoticeResult[]> {
  if (!carrierIds.length) throw new NoticeRefused('name the carriers the notice is about (--carrier ID…)');
  if (!by.trim()) throw new NoticeRefused('name who records the notice');
  const entries: RegisterEntry[] = [];
  for (const id of new Set(carrierIds)) {
    const entry = await register.carrier(id);
    if (!entry) throw new NoticeRefused(`${id}: no such carrier in the register`, 'notice/not-found');
    const state = lastTransition(entry)?.state ?? null;
    if (!state || !NOTICE_APPLIES_TO.includes(state)) {
      throw new NoticeRefused(`${id} is ${state ?? 'not registered'}: a level-change notice applies to a carrier that has been through intake (stamped, or left unchanged); settle it first`, 'notice/state');
    }
    const check = checkNotices(targetOf(entry), notices);
    // Recorded already (the same notice given again): not a change, but no refusal either.
    if (!check.ok && !(check.reason === 'no-change' && entry.events.some((e) => e.key === noticeKey(id, notices)))) throw new NoticeRefused(check.message);
    entries.push(entry);
  }
  const change = notices[0]!.change;
  // For a joint carrier the agreement is complete when the later notice arrives.
  const due = notices.map((n) => dueDate(n)).sort().at(-1)!;
  const detail: RecordedNotice = { change, notices, due };
  const out: NoticeResult[] = [];
  for (const entry of entries) {
    const { created } = await register.addEvent(
      newEvent(entry.id, 'notice', by, {
        level: change === 'removed' ? null : change,
        reference: notices.map((n) => n.reference).join('; '),
        detail: JSON.stringify(detail),
        key: noticeKey(entry.id, notices),
      }),
    );
    out.push({ carrierId: entry.id, created, due });
  }
  return out;
}

export interface PendingNotice extends Deadline {
  readonly carrierId: string;
  readonly incoming: RegisterEntry['incoming'];
  readonly name: string;
  readonly from: PartyId;
  readonly change: LevelChange;
  readonly references: string;
  readonly recordedAt: string;
}

/** Notices not yet carried out (carriers in to-remark), soonest due first, as of `today` (YYYY-MM-DD). */
export async function pendingNotices(register: Register, today: string): Promise<PendingNotice[]> {
  const out: PendingNotice[] = [];
  for (const entry of await register.inState(['to-remark'])) {
    const now = lastTransition(entry);
    if (now?.state !== 'to-remark') continue;
    const notice = recordedNotice(now);
    if (!notice) continue;
    const received = notice.notices.map((n) => n.received).sort().at(-1)!;
    out.push({
      carrierId: entry.id,
      incoming: entry.incoming,
      name: entry.name,
      from: entry.from,
      change: notice.change,
      references: now.reference ?? '',
      recordedAt: now.at,
      ...deadline({ received }, today),
    });
  }
  return out.sort((a, b) => a.due.localeCompare(b.due) || a.carrierId.localeCompare(b.carrierId));
}
