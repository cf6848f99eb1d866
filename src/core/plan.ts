/**
 * Receiving-side plan (Art. 6.1): the comparable marking of the receiving state that its
 * authority adds to a received carrier. The sender's marking is never changed (Art. 4.1(2)):
 * a plan only ever adds.
 */
import { compareLevels, party, spelling, type Lang, type Level, type PartyId } from './article3.js';
import type { DerivedCheck } from './derived.js';
import type { Verdict } from './types.js';

export interface PlannedMarking {
  readonly lang: Lang;
  /** The treaty spelling of the marking. */
  readonly text: string;
}

export type StampPlan =
  | { readonly action: 'add'; readonly level: Level; readonly from: PartyId; readonly to: PartyId; readonly markings: readonly PlannedMarking[] }
  | { readonly action: 'none'; readonly reason: 'not-marked' | 'already-stamped' | 'derived-check'; readonly detail: string };

export interface PlanOptions {
  readonly from: PartyId;
  readonly to: PartyId;
  /** Add the Russian equivalent under the receiving state's marking. */
  readonly russian?: boolean;
  /** For a translation or copy: its check against the source. Anything but 'ok' stops the plan. */
  readonly derived?: DerivedCheck;
}

export function planReceivingStamp(verdict: Verdict, opts: PlanOptions): StampPlan {
  if (opts.from === opts.to) {
    throw new RangeError(`the sending and the receiving Party are both ${opts.from}; Article 6 applies between the two Parties`);
  }
  if (verdict.status !== 'marked' || verdict.level === null) {
    return { action: 'none', reason: 'not-marked', detail: `the carrier is ${verdict.status}: nothing is stamped` };
  }
  if (opts.derived && opts.derived.status !== 'ok') {
    return { action: 'none', reason: 'derived-check', detail: `the check against the source gave ${opts.derived.status}: nothing is stamped` };
  }
  const level = verdict.level;
  const lang = party(opts.to).lang;
  const present = (l: Lang): boolean => verdict.stamps.some((s) => s.evidence === 'strong' && s.lang === l && s.level === level);
  if (present(lang)) {
    return { action: 'none', reason: 'already-stamped', detail: `an equivalent ${lang} marking is already on the carrier` };
  }
  const markings: PlannedMarking[] = [{ lang, text: spelling(level, lang) }];
  if (opts.russian && !present('ru')) markings.push({ lang: 'ru', text: spelling(level, 'ru') });
  return { action: 'add', level, from: opts.from, to: opts.to, markings };
}

/** A person's decision on a carrier that needed review (a conflict, weak evidence, a derived check). */
export interface ReviewDecision {
  readonly level: Level;
  /** The written permission or decision the person cites (kept in the register). */
  readonly reference: string;
  readonly decidedBy: string;
}

export type DecidedPlan = StampPlan | { readonly action: 'refused'; readonly detail: string };

/**
 * The receiving-side stamp for a level a person set. Never lower than any evidence on the carrier
 * (its minLevel) nor than the source's level for a translation or copy (Art. 6.1): such a decision
 * is refused, not stamped.
 */
export function planDecidedStamp(
  verdict: Verdict,
  decision: ReviewDecision,
  opts: { readonly from: PartyId; readonly to: PartyId; readonly russian?: boolean; readonly sourceLevel?: Level | null },
): DecidedPlan {
  if (!decision.reference.trim()) return { action: 'refused', detail: 'a decision must cite the written permission or decision reference' };
  for (const [floor, what] of [
    [verdict.minLevel, 'the highest level found on the carrier'],
    [opts.sourceLevel ?? null, "the source's level"],
  ] as const) {
    if (floor && compareLevels(decision.level, floor) < 0) {
      return { action: 'refused', detail: `${decision.level} is lower than ${floor}, ${what}: a carrier is never marked lower (Art. 6.1)` };
    }
  }
  const decided: Verdict = { ...verdict, status: 'marked', level: decision.level };
  return planReceivingStamp(decided, { from: opts.from, to: opts.to, ...(opts.russian ? { russian: true } : {}) });
}
