/** The marking core: pure TypeScript, no I/O. The CLI, the workers and the tests all call this. */
export * from './article3.js';
export * from './types.js';
export * from './labels.js';
export { DEFAULT_SETTINGS, type DetectorSettings } from './settings.js';
export { detect } from './detector.js';
export { decide, UNREAD_MARK_NOTE } from './decide.js';
export { checkDerived, type DerivedCheck, type Finding, type FindingKind, type DerivedStatus } from './derived.js';
export { routeCarrier, type Route, type Routed, type Source } from './route.js';
export { REVIEW_REASON_CODES, derivedReasons, verdictReasons, type ReasonLevels, type ReviewReason, type ReviewReasonCode } from './reasons.js';
export { planDecidedStamp, planReceivingStamp, type DecidedPlan, type ReviewDecision, type StampPlan, type PlanOptions, type PlannedMarking } from './plan.js';

import { detect } from './detector.js';
import { decide } from './decide.js';
import type { DetectorSettings } from './settings.js';
import type { CarrierText, TextPage, Verdict } from './types.js';

/** Detect, then decide: the verdict on one carrier's text. */
export function examine(carrier: CarrierText, settings?: DetectorSettings): Verdict {
  return decide(detect(carrier, settings));
}

/**
 * Whether one page's text settles the matter by itself: marked, with every stamp strong. The
 * extractors stop reading a page (no more OCR) only then.
 */
export function pageDecides(page: TextPage, settings?: DetectorSettings): boolean {
  const v = examine({ pages: [page] }, settings);
  return v.status === 'marked' && v.stamps.every((s) => s.evidence === 'strong');
}
