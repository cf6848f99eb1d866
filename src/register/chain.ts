/**
 * Tamper evidence: every event carries the hash of the event before it, in one chain over the
 * whole register, and a carrier's row is covered by the hash of its 'registered' event. Deleting
 * or editing any row, even with the append-only triggers dropped, breaks the chain somewhere:
 * `verifyChain` finds the first broken link. (Someone who rewrites every hash after the row they
 * changed, and the chain's head, is not caught by the register alone: compare the head the
 * service reports with one kept elsewhere.)
 */
import { createHash } from 'node:crypto';
import type { CarrierRow, EventRow } from './register.js';

/** The hash before the first event. */
export const GENESIS = '0'.repeat(64);

/** The fields of a carrier row a 'registered' event vouches for. */
function carrierPart(c: CarrierRow): unknown[] {
  return [c.id, c.receivedAt, c.name, c.from, c.to, c.inputSha256, c.kind, c.derivedFrom, c.intake, c.incoming?.year ?? null, c.incoming?.seq ?? null];
}

/** What an event's hash is computed over: its place, its predecessor's hash, its fields (and its carrier's, when it registers one). */
export type Hashable = Omit<EventRow, 'seq' | 'hash'>;

export function eventHash(e: Hashable, carrier?: CarrierRow): string {
  const fields = [
    e.n,
    e.prevHash,
    e.carrierId,
    e.at,
    e.kind,
    e.state,
    e.level,
    JSON.stringify(e.stamps),
    e.decidedBy,
    e.reference,
    e.outputSha256,
    e.outputPath,
    e.detail,
    e.key,
    e.kind === 'registered' && carrier ? carrierPart(carrier) : null,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainReport {
  readonly ok: boolean;
  readonly events: number;
  readonly carriers: number;
  /** The last event's place and hash: what an outside record of the register would keep. */
  readonly head: { readonly n: number; readonly hash: string };
  /** The first broken link, in words a person can act on. */
  readonly problem?: string;
}

/**
 * Checks the chain: events in place order 1, 2, 3… with no gap, each hash right and linked to
 * the one before; every carrier registered by exactly one event; the stored head where the last
 * event is.
 */
export function verifyChain(carriers: readonly CarrierRow[], events: readonly EventRow[], head: { n: number; hash: string } | null): ChainReport {
  const byId = new Map(carriers.map((c) => [c.id, c]));
  const registered = new Map<string, number>();
  let prev = GENESIS;
  let n = 0;
  const fail = (problem: string): ChainReport => ({ ok: false, events: events.length, carriers: carriers.length, head: { n, hash: prev }, problem });
  for (const e of [...events].sort((a, b) => a.n - b.n)) {
    if (e.n !== n + 1) return fail(`event ${n + 1} is missing (the next event in the register is ${e.n}): a row was deleted`);
    if (e.prevHash !== prev) return fail(`event ${e.n} (${e.kind}, carrier ${e.carrierId}) does not follow event ${n}: the chain is broken there`);
    const carrier = byId.get(e.carrierId);
    if (!carrier) return fail(`event ${e.n} (${e.kind}) names carrier ${e.carrierId}, which is not in the register: its row was deleted`);
    if (eventHash(e, carrier) !== e.hash) {
      const what = e.kind === 'registered' ? `event ${e.n} or the row of carrier ${e.carrierId} it registered` : `event ${e.n} (${e.kind}, carrier ${e.carrierId})`;
      return fail(`${what} was changed after it was written: its hash does not match`);
    }
    if (e.kind === 'registered') {
      if (registered.has(e.carrierId)) return fail(`carrier ${e.carrierId} is registered twice (events ${registered.get(e.carrierId)} and ${e.n})`);
      registered.set(e.carrierId, e.n);
    }
    prev = e.hash;
    n = e.n;
  }
  for (const c of carriers) if (!registered.has(c.id)) return fail(`carrier ${c.id} ("${c.name}") has no 'registered' event: it was added outside the register's chain`);
  if (head && (head.n !== n || head.hash !== prev)) {
    return fail(`the register's head says event ${head.n}, but the chain ends at event ${n}: ${head.n > n ? 'events at the end were deleted' : 'events were added outside the register'}`);
  }
  return { ok: true, events: events.length, carriers: carriers.length, head: { n, hash: prev } };
}
