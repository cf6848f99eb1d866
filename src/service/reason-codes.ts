/**
 * The codes a page puts in the clerk's own language: why a carrier waits for a person (the core's
 * review reasons, core/reasons.ts) and why one was rejected (the error's own code).
 */
import { GrifError } from '../errors.js';

export { REVIEW_REASON_CODES, derivedReasons, verdictReasons, type ReasonLevels, type ReviewReason, type ReviewReasonCode } from '../core/reasons.js';

/**
 * What a rejection's `errorCode` may be: a GrifError's code (input/encrypted, input/damaged,
 * stamp/failed, ocr/timeout, …), 'review/rejected' (a person's decision), 'inbox/…' (a drop-folder
 * file that could not be queued), or 'internal' (anything else).
 */
export type RejectionCode = string;

/** A thrown error's code for the rejection document. */
export function rejectionCodeOf(err: unknown): RejectionCode {
  return err instanceof GrifError ? err.code : 'internal';
}
