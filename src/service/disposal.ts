/**
 * What happens to a received carrier at its end, on the originating authority's written notice
 * (Art. 6.4): it is returned, with every copy made of it. The return is each carrier's 'returned'
 * transition (the copies it takes with it listed in it), all the carriers of one notice in one
 * register transaction; then the folders follow (a returned carrier is in none).
 */
import { isDate } from '../core/notice.js';
import { GrifError } from '../errors.js';
import { lastTransition, newEvent, type Register } from '../register/register.js';
import { ON_HAND } from '../register/states.js';
import type { DataDir } from './data-dir.js';
import { copiesOf } from './copies.js';
import { publish } from './publish.js';

export class DisposalRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'disposal/refused' });
  }
}

export interface ReturnRequest {
  /** The originator's written notice asking for it back. */
  readonly notice: string;
  /** The dispatch that sends it back (covering letter, dispatch list). */
  readonly reference: string;
  /** The day it was sent back, YYYY-MM-DD. */
  readonly date: string;
  readonly by: string;
}

export interface Returned {
  readonly carrierId: string;
  /** The receiver's copies that went back with it. */
  readonly copies: readonly number[];
}

export async function returnCarriers(c: { readonly dir: DataDir; readonly register: Register }, ids: readonly string[], r: ReturnRequest): Promise<Returned[]> {
  if (!ids.length) throw new DisposalRefused('name the carriers to return');
  if (!r.notice.trim()) throw new DisposalRefused("a return needs the originator's written notice (Art. 6.4): cite it (--notice \"…\")");
  if (!r.reference.trim()) throw new DisposalRefused('name the dispatch that sends it back (--reference "…")');
  if (!isDate(r.date)) throw new DisposalRefused(`the date of dispatch must be YYYY-MM-DD, not ${JSON.stringify(r.date)}`);
  if (!r.by.trim()) throw new DisposalRefused('name who sends it back (--by NAME)');
  const out: Returned[] = [];
  for (const id of new Set(ids)) {
    const entry = await c.register.carrier(id);
    if (!entry) throw new DisposalRefused(`${id}: no such carrier in the register`);
    const state = lastTransition(entry)?.state;
    if (!state || !ON_HAND.includes(state)) throw new DisposalRefused(`${id} is ${state ?? 'not registered'}: only a carrier through intake and on hand is returned`);
    out.push({ carrierId: id, copies: copiesOf(entry).map((x) => x.number) });
  }
  // One notice, one transaction: all go back, or none is recorded.
  await c.register.addEvents(
    out.map((x) =>
      newEvent(x.carrierId, 'returned', r.by.trim(), {
        reference: r.notice.trim(),
        detail: JSON.stringify({ dispatch: r.reference.trim(), date: r.date, copies: x.copies }),
        key: `${x.carrierId}:returned`,
      }),
    ),
  );
  for (const x of out) await publish(c, x.carrierId);
  return out;
}
