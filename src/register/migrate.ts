/**
 * A register made by an earlier grif (schema 1: no incoming numbers, no states, no chain), brought
 * to the present layout: what the rows become, computed once for both backends.
 *
 * - Incoming numbers: per year of receipt, in the order the carriers were received.
 * - Each carrier gets its 'registered' event at the time it was received; these come first in
 *   the chain, then the old events in the order they were written.
 * - The old event kinds become this layout's: an outcome 'stamped' whose output is the input
 *   itself (nothing added) is 'already-marked'; each transition records the state it left.
 */
import { GENESIS, eventHash } from './chain.js';
import type { CarrierRow, EventKind, EventRow } from './register.js';
import { incomingYear } from './rows.js';
import { TRANSITIONS, isTransition } from './states.js';

export interface MigratedRows {
  readonly carriers: CarrierRow[];
  readonly events: EventRow[];
  readonly head: { n: number; hash: string };
}

/** `carriers` and `events` as read from a schema-1 register (events in the order written). */
export function migrateRows(carriers: readonly CarrierRow[], events: readonly EventRow[]): MigratedRows {
  const byTime = [...carriers].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
  const seqOfYear = new Map<number, number>();
  const numbered = byTime.map((c) => {
    const year = incomingYear(c.receivedAt);
    const seq = (seqOfYear.get(year) ?? 0) + 1;
    seqOfYear.set(year, seq);
    return { ...c, incoming: { year, seq } };
  });
  const byId = new Map(numbered.map((c) => [c.id, c]));
  const out: EventRow[] = [];
  let prev = GENESIS;
  let seq = events.reduce((m, e) => Math.max(m, e.seq), 0);
  const push = (e: Omit<EventRow, 'n' | 'prevHash' | 'hash'>): void => {
    const unsealed = { ...e, n: out.length + 1, prevHash: prev };
    const hash = eventHash(unsealed, byId.get(e.carrierId));
    out.push({ ...unsealed, hash });
    prev = hash;
  };
  for (const c of numbered) {
    push({
      seq: ++seq,
      carrierId: c.id,
      at: c.receivedAt,
      kind: 'registered',
      state: 'received',
      level: null,
      stamps: [],
      decidedBy: 'grif (register migrated from schema 1)',
      reference: null,
      outputSha256: null,
      outputPath: null,
      detail: null,
      key: `${c.id}:registered`,
    });
  }
  for (const e of events) {
    const carrier = byId.get(e.carrierId);
    const kind: EventKind = e.kind === 'stamped' && carrier && e.outputSha256 === carrier.inputSha256 ? 'already-marked' : e.kind;
    push({ ...e, kind, state: isTransition(kind) ? TRANSITIONS[kind].to : null });
  }
  return { carriers: numbered, events: out, head: { n: out.length, hash: prev } };
}
