/**
 * The account of every carrier and copy (Art. 6.2), as of a day: what is on hand (by level and
 * sending Party), the receiver's copies still held, level-change notices pending or overdue, and
 * what was returned or destroyed in a period, each with its incoming number. Computed from the
 * register's events alone (a carrier's state on the day is the one its last transition up to that
 * day left), so that the numbers add up by construction and can be checked:
 *   received = on hand + returned + destroyed, for carriers and for copies alike
 * (a copy leaves with its source: returned or destroyed with it, Art. 6.4). Pure: no I/O.
 */
import type { Level, PartyId } from '../core/article3.js';
import { deadline, type LevelChange } from '../core/notice.js';
import { csvCell } from '../register/export.js';
import { formatIncoming } from '../register/incoming.js';
import type { EventRow, RegisterEntry } from '../register/register.js';
import { GONE, type CarrierState } from '../register/states.js';
import { copiesOf } from './copies.js';
import { currentLevel, recordedNotice } from './notices.js';

/** Where a carrier stands on the day, for the account. */
export type Standing = 'on-hand' | (typeof GONE)[number];

export interface InventoryLine {
  readonly carrierId: string;
  readonly incoming: string;
  /** For a receiver's copy: its number; null for the carrier itself. */
  readonly copy: number | null;
  readonly name: string;
  readonly from: PartyId;
  readonly level: Level | null;
  /** The register state on the day (for a copy: its source's). */
  readonly state: CarrierState;
  readonly standing: Standing;
  /** Received (or, for a copy, made) on, YYYY-MM-DD… as ISO time. */
  readonly since: string;
  /** For returned or destroyed: when, and the notice / act or dispatch it cites. */
  readonly ended: { readonly at: string; readonly reference: string | null } | null;
}

export interface Counts {
  readonly received: number;
  readonly onHand: number;
  readonly returned: number;
  readonly destroyed: number;
}

export interface InventoryNotice {
  readonly carrierId: string;
  readonly incoming: string;
  readonly change: LevelChange;
  readonly due: string;
  readonly overdue: boolean;
}

export interface Inventory {
  /** The day the account is as of (YYYY-MM-DD, end of day) and the period's first day. */
  readonly asOf: string;
  readonly since: string;
  readonly carriers: Counts;
  readonly copies: Counts;
  /** Carriers on hand by sending Party and level ('unmarked' for none; a carrier not through intake by its state: 'review', 'rejected'…). */
  readonly onHandBy: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly notices: readonly InventoryNotice[];
  /** Carriers and copies returned or destroyed within [since, asOf]. */
  readonly ended: readonly InventoryLine[];
  /** Every carrier and copy received or made up to the day, in incoming order. */
  readonly lines: readonly InventoryLine[];
}


/** The entry's events up to the end of `day` in the time zone of `dayOf`. */
function upTo(entry: RegisterEntry, asOf: string, dayOf: (iso: string) => string): EventRow[] {
  return entry.events.filter((e) => dayOf(e.at) <= asOf);
}

/**
 * The account as of the end of `asOf` (YYYY-MM-DD), with returns and destructions counted from
 * `since` on. `dayOf` turns an event's time into the day it happened where the registry is.
 */
export function inventoryOf(entries: readonly RegisterEntry[], asOf: string, since: string, dayOf: (iso: string) => string, incomingFormat?: string): Inventory {
  const lines: InventoryLine[] = [];
  const notices: InventoryNotice[] = [];
  const sorted = [...entries].sort((a, b) => (a.incoming?.year ?? 0) - (b.incoming?.year ?? 0) || (a.incoming?.seq ?? 0) - (b.incoming?.seq ?? 0));
  for (const entry of sorted) {
    if (dayOf(entry.receivedAt) > asOf) continue;
    const events = upTo(entry, asOf, dayOf);
    const last = [...events].reverse().find((e) => e.state !== null);
    const state: CarrierState = last?.state ?? 'received';
    const standing: Standing = (GONE as readonly CarrierState[]).includes(state) ? (state as Standing) : 'on-hand';
    const ended = standing === 'on-hand' ? null : { at: last!.at, reference: last!.reference };
    const incoming = formatIncoming(entry.incoming, incomingFormat);
    const base = { carrierId: entry.id, incoming, name: entry.name, from: entry.from, level: currentLevel({ events }), state, standing, ended };
    lines.push({ ...base, copy: null, since: entry.receivedAt });
    for (const c of copiesOf({ events })) lines.push({ ...base, copy: c.number, since: c.at });
    if (state === 'to-remark' && last) {
      const n = recordedNotice(last);
      if (n) {
        const received = n.notices.map((x) => x.received).sort().at(-1)!;
        const d = deadline({ received }, asOf);
        notices.push({ carrierId: entry.id, incoming, change: n.change, due: d.due, overdue: d.overdue });
      }
    }
  }
  const count = (of: readonly InventoryLine[]): Counts => ({
    received: of.length,
    onHand: of.filter((l) => l.standing === 'on-hand').length,
    returned: of.filter((l) => l.standing === 'returned').length,
    destroyed: of.filter((l) => l.standing === 'destroyed').length,
  });
  const onHandBy: Record<string, Record<string, number>> = {};
  for (const l of lines) {
    if (l.copy !== null || l.standing !== 'on-hand') continue;
    const byLevel = (onHandBy[l.from] ??= {});
    const key = l.level ?? (l.state === 'unchanged' || l.state === 'declassified' ? 'unmarked' : l.state);
    byLevel[key] = (byLevel[key] ?? 0) + 1;
  }
  return {
    asOf,
    since,
    carriers: count(lines.filter((l) => l.copy === null)),
    copies: count(lines.filter((l) => l.copy !== null)),
    onHandBy,
    notices: notices.sort((a, b) => a.due.localeCompare(b.due)),
    ended: lines.filter((l) => l.ended && dayOf(l.ended.at) >= since),
    lines,
  };
}

/** Whether one count adds up: received = on hand + returned + destroyed. */
export const addsUp = (c: Counts): boolean => c.received === c.onHand + c.returned + c.destroyed;

/** Whether the whole account adds up: for carriers and for copies alike. */
export const accountAddsUp = (inv: Pick<Inventory, 'carriers' | 'copies'>): boolean => addsUp(inv.carriers) && addsUp(inv.copies);

/** The period's first day when none is given: 1 January of the day the account is as of. */
export const yearStart = (asOf: string): string => `${asOf.slice(0, 4)}-01-01`;

const CSV_COLUMNS = ['incoming', 'copy', 'name', 'from', 'level', 'state', 'standing', 'since', 'ended', 'reference', 'carrier_id'] as const;

/** The account as CSV: one row per carrier and per copy, as of the day. */
export function inventoryCsv(inv: Inventory): string {
  const rows = inv.lines.map((l) =>
    [l.incoming, l.copy, l.name, l.from, l.level, l.state, l.standing, l.since, l.ended?.at ?? null, l.ended?.reference ?? null, l.carrierId].map((v) => csvCell(v === null ? null : String(v))).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
