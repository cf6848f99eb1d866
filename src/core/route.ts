/**
 * Where a carrier goes once its text is read: the one decision that grif stamp and the service's
 * decide stage both take (pure; no I/O). To the stamper with a plan; out unchanged (unmarked, or
 * already bearing the receiving side's marking); or to a person, with the reasons as sentences and
 * as codes: a conflict, weak evidence, an unreadable stamp, a translation or copy that fails its
 * check against the source (Art. 6.1), or a source that is named but unknown.
 */
import { checkDerived, type DerivedCheck } from './derived.js';
import { planReceivingStamp, type PlanOptions, type StampPlan } from './plan.js';
import { derivedReasons, verdictReasons, type ReviewReason } from './reasons.js';
import type { Verdict } from './types.js';

/** A translation's or copy's source: its verdict, or only the name it was given when nothing by that name is known. */
export type Source = { readonly verdict: Verdict } | { readonly unknown: string };

export type Route =
  | { readonly to: 'stamp'; readonly plan: Extract<StampPlan, { action: 'add' }> }
  | { readonly to: 'unchanged'; readonly kind: 'unmarked' | 'already-marked'; readonly detail: string }
  | { readonly to: 'review'; readonly reasons: readonly string[]; readonly codes: readonly ReviewReason[] };

export interface Routed {
  readonly verdict: Verdict;
  /** The check against the source, for a translation or copy whose source is known. */
  readonly derived?: DerivedCheck;
  readonly route: Route;
}

export function routeCarrier(verdict: Verdict, parties: Pick<PlanOptions, 'from' | 'to' | 'russian'>, source?: Source): Routed {
  const { reasons, codes } = verdictReasons(verdict);
  let derivedProblem = false;
  let derived: DerivedCheck | undefined;
  if (source && 'unknown' in source) {
    derivedProblem = true;
    codes.push({ code: 'source-not-registered', sourceId: source.unknown, index: reasons.length });
    reasons.push(`its source ${source.unknown} is not in the register`);
  } else if (source) {
    derived = checkDerived(source.verdict, verdict);
    if (derived.status !== 'ok') {
      derivedProblem = true;
      codes.push(...derivedReasons(verdict, derived, reasons.length));
      reasons.push(...derived.findings.map((f) => f.message));
    }
  }
  const withDerived = { verdict, ...(derived ? { derived } : {}) };
  if (verdict.status === 'conflict' || verdict.status === 'review' || derivedProblem) return { ...withDerived, route: { to: 'review', reasons, codes } };
  const plan = planReceivingStamp(verdict, { ...parties, ...(derived ? { derived } : {}) });
  if (plan.action === 'add') return { ...withDerived, route: { to: 'stamp', plan } };
  return { ...withDerived, route: { to: 'unchanged', kind: plan.reason === 'already-stamped' ? 'already-marked' : 'unmarked', detail: plan.detail } };
}
