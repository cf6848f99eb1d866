/**
 * Level-change notices (Art. 6.3), as rules: only the originating authority changes or removes a
 * level, by written notice; the receiver re-marks within 30 days of receiving it; the level of
 * jointly produced information changes only by mutual agreement (both Parties' notices). Pure:
 * dates come in as YYYY-MM-DD strings and "today" is the caller's (an injectable clock).
 */
import { isLevel, PARTY_IDS, type Level, type PartyId } from './article3.js';

/** Days the receiver has to re-mark after receiving a notice (Art. 6.3). */
export const REMARK_DAYS = 30;

/** The new level, or the level removed. */
export type LevelChange = Level | 'removed';

export interface LevelChangeNotice {
  /** The notifying Party: its originating authority wrote the notice. */
  readonly party: PartyId;
  readonly change: LevelChange;
  /** The notice's own reference ("№ 12-3/45"). */
  readonly reference: string;
  /** The date written on the notice. */
  readonly date: string;
  /** The day the receiver got it: the 30 days run from here. */
  readonly received: string;
  /** The originating authority, as it signs. */
  readonly authority: string;
}

/** What a notice is checked against: the carrier as the register holds it. */
export interface NoticeTarget {
  readonly id: string;
  /** The Party that sent the carrier. */
  readonly from: PartyId;
  /** Registered as jointly produced by both Parties. */
  readonly joint: boolean;
  /** Its level now (null: unmarked, or its marking removed). */
  readonly level: Level | null;
}

export type NoticeCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-party' | 'one-sided' | 'no-change' | 'parties-disagree'; readonly message: string };

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD) as a day number; throws on a date that does not exist (2026-02-30). */
export function dayNumber(date: string): number {
  const m = ISO_DAY.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`${JSON.stringify(date)} is not a date (YYYY-MM-DD)`);
  return t / DAY_MS;
}

export const isDate = (s: unknown): s is string => {
  if (typeof s !== 'string') return false;
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
};

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The last day to re-mark: the notice's day of receipt plus 30 days. */
export function dueDate(notice: Pick<LevelChangeNotice, 'received'>): string {
  return addDays(notice.received, REMARK_DAYS);
}

export const isLevelChange = (s: unknown): s is LevelChange => s === 'removed' || isLevel(s);

/**
 * Whether these notices (one, or both Parties' for a jointly produced carrier) may change the
 * carrier's level. A refusal says why in words a registry clerk can act on.
 */
export function checkNotices(target: NoticeTarget, notices: readonly LevelChangeNotice[]): NoticeCheck {
  const [first] = notices;
  if (!first) return { ok: false, reason: 'one-sided', message: `${target.id}: no notice given` };
  if (notices.some((n) => n.change !== first.change)) {
    return { ok: false, reason: 'parties-disagree', message: `${target.id}: the notices do not name the same change (${notices.map((n) => `${n.party}: ${n.change}`).join(', ')})` };
  }
  if (target.joint) {
    const missing = PARTY_IDS.filter((p) => !notices.some((n) => n.party === p));
    if (missing.length) {
      return {
        ok: false,
        reason: 'one-sided',
        message: `${target.id} is registered as jointly produced: its level changes only by mutual agreement (Art. 6.3); record the notices of both Parties (missing: ${missing.join(', ')})`,
      };
    }
  } else {
    const wrong = notices.find((n) => n.party !== target.from);
    if (wrong) {
      return {
        ok: false,
        reason: 'wrong-party',
        message: `${target.id} was sent by ${target.from}: only its originating authority may change or remove its level (Art. 6.3), not ${wrong.party} (${wrong.authority})`,
      };
    }
  }
  if ((first.change === 'removed' ? null : first.change) === target.level) {
    return { ok: false, reason: 'no-change', message: `${target.id} is ${target.level ?? 'without a level'} already: the notice changes nothing` };
  }
  return { ok: true };
}

export interface Deadline {
  readonly due: string;
  /** Days from today to the due date: 0 on the last day, negative once overdue. */
  readonly daysLeft: number;
  readonly overdue: boolean;
}

export function deadline(notice: Pick<LevelChangeNotice, 'received'>, today: string): Deadline {
  const due = dueDate(notice);
  const daysLeft = dayNumber(due) - dayNumber(today);
  return { due, daysLeft, overdue: daysLeft < 0 };
}
