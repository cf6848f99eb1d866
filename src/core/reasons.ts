/**
 * Why a carrier waits for a person, as data a page can put in the clerk's own language: the review
 * document's `reasonCodes` beside its English `reasons`. The English stays the record; these only
 * name it. (A rejection's `errorCode` is the error's own code: service/reason-codes.ts.)
 */
import { UNREAD_MARK_NOTE } from './decide.js';
import type { DerivedCheck, FindingKind } from './derived.js';
import type { Level } from './article3.js';
import type { Verdict } from './types.js';

export type ReviewReasonCode = 'not-equivalent' | 'weak-evidence' | 'unreadable-mark' | FindingKind | 'source-not-registered';

// A record, so that a new kind of finding cannot be left out of the list.
const REASON_CODES: Readonly<Record<ReviewReasonCode, true>> = {
  'not-equivalent': true,
  'weak-evidence': true,
  'unreadable-mark': true,
  'source-undecided': true,
  'derived-undecided': true,
  'derived-unmarked': true,
  'lower-than-source': true,
  'higher-than-source': true,
  'source-not-registered': true,
};
/** Every review reason code (a page's dictionary needs a sentence for each). */
export const REVIEW_REASON_CODES = Object.keys(REASON_CODES) as readonly ReviewReasonCode[];

/** The levels a reason speaks of (ids, never words). */
export interface ReasonLevels {
  /** not-equivalent: the levels the strong markings name, highest first. */
  readonly found?: readonly Level[];
  /** weak-evidence: the lowest level a person may choose. */
  readonly atLeast?: Level;
  /** lower-than-source, higher-than-source: the carrier's own level. */
  readonly carrier?: Level;
  /** derived-unmarked, lower-than-source, higher-than-source: the source's level. */
  readonly source?: Level;
}

export interface ReviewReason {
  readonly code: ReviewReasonCode;
  readonly levels?: ReasonLevels;
  /** source-not-registered: the source as the carrier names it (register id or SHA-256). */
  readonly sourceId?: string;
  /** The index in `reasons` of the English sentence this stands for. */
  readonly index: number;
}

const RANK: Readonly<Record<Level, number>> = { 'special-importance': 3, 'top-secret': 2, secret: 1 };

/**
 * The reasons a verdict gives (its notes) and the codes of those a person must act on. decide()
 * puts the note saying why the verdict is a conflict or a review first; the others (national
 * labels, tables of markings, marking words in running text) are context and carry no code.
 */
export function verdictReasons(verdict: Verdict): { reasons: string[]; codes: ReviewReason[] } {
  const reasons = [...verdict.notes];
  const codes: ReviewReason[] = [];
  if (reasons.length > 0 && verdict.status === 'conflict') {
    const found = [...new Set(verdict.stamps.filter((s) => s.evidence === 'strong').map((s) => s.level))].sort((a, b) => RANK[b] - RANK[a]);
    codes.push({ code: 'not-equivalent', levels: { found }, index: 0 });
  } else if (reasons.length > 0 && verdict.status === 'review' && !reasons[0]!.startsWith(UNREAD_MARK_NOTE)) {
    codes.push({ code: 'weak-evidence', ...(verdict.minLevel ? { levels: { atLeast: verdict.minLevel } } : {}), index: 0 });
  }
  // A stamp-like mark that could not be read: outlined on the page (the review JSON's unreadMarks).
  const unread = reasons.findIndex((r) => r.startsWith(UNREAD_MARK_NOTE));
  if (unread >= 0) codes.push({ code: 'unreadable-mark', ...(verdict.minLevel ? { levels: { atLeast: verdict.minLevel } } : {}), index: unread });
  return { reasons, codes };
}

/** The translation check's findings as codes, in the order of their messages. */
export function derivedReasons(verdict: Verdict, derived: DerivedCheck, firstIndex: number): ReviewReason[] {
  const source = derived.requiredLevel ?? undefined;
  const carrier = verdict.level ?? undefined;
  return derived.findings.map((f, i) => {
    const levels: ReasonLevels | undefined =
      f.kind === 'derived-unmarked'
        ? { ...(source ? { source } : {}) }
        : f.kind === 'lower-than-source' || f.kind === 'higher-than-source'
          ? { ...(carrier ? { carrier } : {}), ...(source ? { source } : {}) }
          : undefined;
    return { code: f.kind, ...(levels && Object.keys(levels).length ? { levels } : {}), index: firstIndex + i };
  });
}
