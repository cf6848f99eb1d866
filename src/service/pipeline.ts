/**
 * The pipeline, declared once: the stages in order, the step of the marking core or the stamper
 * each runs, the register transitions (register/states.ts) each may commit, and which result sends
 * the carrier to which stage next. The BullMQ workers (workers/stage-workers.ts) run the stages as
 * jobs, one commit each, from this table; grif stamp (stamp/stamp-file.ts stampFile) runs the same
 * steps in one go without the register. Any stage may also end a carrier 'rejected' (its own fault)
 * or 'parked' (the service's, after its retries): ON_ERROR.
 */
import type { TransitionName } from '../register/states.js';

export interface StageSpec {
  readonly stage: string;
  /** The function that does the stage's work, shared with grif stamp. */
  readonly step: 'readCarrier' | 'routeCarrier' | 'stampPrepared';
  readonly commits: readonly TransitionName[];
  /** The stage a result sends the carrier on to; a result not listed ends the carrier's way (for now). */
  readonly next: Readonly<Record<string, string>>;
}

export const PIPELINE = [
  { stage: 'extract', step: 'readCarrier', commits: ['extracted'], next: { extracted: 'decide' } },
  { stage: 'decide', step: 'routeCarrier', commits: ['to-stamp', 'review', 'unmarked', 'already-marked'], next: { stamp: 'stamp' } },
  { stage: 'stamp', step: 'stampPrepared', commits: ['stamped', 'unmarked', 'already-marked'], next: {} },
] as const satisfies readonly StageSpec[];

export type Stage = (typeof PIPELINE)[number]['stage'];
export const STAGES: readonly Stage[] = PIPELINE.map((s) => s.stage);

/** What any stage commits when it fails: the carrier's fault, or the service's after every retry. */
export const ON_ERROR: readonly TransitionName[] = ['rejected', 'parked'];

/** The stage a stage's result sends the carrier to, if any. */
export function nextStage(stage: Stage, result: string): Stage | undefined {
  const spec: StageSpec = PIPELINE.find((s) => s.stage === stage)!;
  return spec.next[result] as Stage | undefined;
}
