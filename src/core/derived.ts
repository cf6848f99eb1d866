/**
 * The verifier's second half, the translation check (Art. 6.1): a carrier produced by translating
 * or copying another must be marked no lower than its source.
 */
import { compareLevels, type Level } from './article3.js';
import type { Verdict } from './types.js';

export type FindingKind =
  | 'source-undecided'
  | 'derived-undecided'
  | 'derived-unmarked'
  | 'lower-than-source'
  | 'higher-than-source';

export interface Finding {
  readonly kind: FindingKind;
  /** violation: Art. 6.1 broken; review: a person must decide first; notice: allowed, worth a look. */
  readonly severity: 'violation' | 'review' | 'notice';
  readonly message: string;
}

export type DerivedStatus = 'ok' | 'violation' | 'review';

export interface DerivedCheck {
  readonly status: DerivedStatus;
  /** The lowest level the derived carrier may carry, or null when the source sets none. */
  readonly requiredLevel: Level | null;
  readonly findings: readonly Finding[];
}

function statusOf(findings: readonly Finding[]): DerivedStatus {
  if (findings.some((f) => f.severity === 'violation')) return 'violation';
  if (findings.some((f) => f.severity === 'review')) return 'review';
  return 'ok';
}

export function checkDerived(source: Verdict, derived: Verdict): DerivedCheck {
  const findings: Finding[] = [];
  if (source.status === 'conflict' || source.status === 'review') {
    findings.push({
      kind: 'source-undecided',
      severity: 'review',
      message: `the source is in ${source.status}: its level must be decided before the derived carrier can be checked`,
    });
  }
  if (derived.status === 'conflict' || derived.status === 'review') {
    findings.push({
      kind: 'derived-undecided',
      severity: 'review',
      message: `the derived carrier is in ${derived.status}: a person must decide its level`,
    });
  }
  const required = source.status === 'marked' ? source.level : null;
  if (findings.length === 0 && required) {
    if (derived.status === 'unmarked' || derived.level === null) {
      findings.push({
        kind: 'derived-unmarked',
        severity: 'violation',
        message: `the derived carrier has no marking, but its source is marked ${required}: Art. 6.1 requires at least ${required}`,
      });
    } else if (compareLevels(derived.level, required) < 0) {
      findings.push({
        kind: 'lower-than-source',
        severity: 'violation',
        message: `the derived carrier is marked ${derived.level}, lower than its source's ${required}: Art. 6.1 requires at least ${required}`,
      });
    } else if (compareLevels(derived.level, required) > 0) {
      findings.push({
        kind: 'higher-than-source',
        severity: 'notice',
        message: `the derived carrier is marked ${derived.level}, higher than its source's ${required} (allowed: no lower than the source)`,
      });
    }
  }
  return { status: statusOf(findings), requiredLevel: required, findings };
}
