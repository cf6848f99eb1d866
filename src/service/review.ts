/**
 * Carriers that need a person (conflicts, weak evidence, a failed translation check), and a
 * person's decision on one: a level, citing the written permission or decision reference, or a
 * rejection. The decision goes to the register first, then the carrier goes on (stamp) or out
 * (rejected/).
 */
import { isLevel, planDecidedStamp, type Level, type UnreadMark } from '../core/index.js';
import { lastTransition, newEvent, type RegisterEntry } from '../register/register.js';
import { GrifError } from '../errors.js';
import type { CarrierRef } from './carrier-ref.js';
import { loadRef, type IntakeContext } from './intake.js';
import { publish, readResultDoc, resultOf } from './publish.js';
import { jobIdOf, jobOptions } from './queues.js';
import type { ReviewReason } from './reason-codes.js';
import { DecisionRefused, eventKey, keyedEvent, rejectStage, roundOf, sourceVerdict, storedVerdict } from './stages.js';

export interface ReviewItem {
  readonly carrierId: string;
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly verdict: string;
  readonly minLevel: Level | null;
  readonly candidates: readonly Level[];
  readonly stamps: readonly unknown[];
  /** Stamp-like marks that could not be read, to outline (page, bbox in page units, kind). */
  readonly unreadMarks?: readonly UnreadMark[];
  readonly reasons: readonly string[];
  /** The reasons as codes (absent in files written before there were any). */
  readonly reasonCodes?: readonly ReviewReason[];
  readonly writtenAt: string;
}

/**
 * The carriers waiting for a person, oldest first, as the register has them (state review): each
 * with the reasons its review transition staged. Read from the register, not from review/, which
 * follows it a moment later (and still shows a decided carrier until it is stamped or rejected).
 */
export async function listReview(c: Pick<IntakeContext, 'dir' | 'register'>): Promise<ReviewItem[]> {
  const items: ReviewItem[] = [];
  for (const entry of await c.register.inState(['review'])) {
    const ref = await loadRef(c.dir, entry.id);
    const r = ref && resultOf(c.dir, ref, entry);
    const doc = r && (await readResultDoc(r));
    // A waiting carrier is never hidden: without its document, it is listed with what the register holds.
    items.push(doc ? (JSON.parse(Buffer.from(doc).toString('utf8')) as ReviewItem) : withoutDocument(entry));
  }
  return items.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
}

function withoutDocument(entry: RegisterEntry): ReviewItem {
  const since = lastTransition(entry);
  return {
    carrierId: entry.id,
    name: entry.name,
    from: entry.from,
    to: entry.to,
    verdict: 'review',
    minLevel: null,
    candidates: [],
    stamps: [],
    reasons: ['its review document is missing: read the carrier itself before deciding'],
    writtenAt: since?.at ?? entry.receivedAt,
  };
}

export class ReviewError extends GrifError {
  constructor(message: string, code: 'review/not-found' | 'review/not-in-review' | 'review/invalid' | 'review/decided') {
    super(message, { code });
  }
}

/**
 * Records a person's decision: the register's transition review → decided, checked and written in
 * one transaction. Of decisions sent at once for one carrier, one is written; every other is
 * refused, naming who decided and when (HTTP 409), and changes nothing.
 */
async function recordDecision(c: IntakeContext, name: string, event: Parameters<IntakeContext['register']['addEvent']>[0]): Promise<void> {
  const { created, event: written } = await c.register.addEvent(event);
  if (!created) throw new ReviewError(`${name}: already decided by ${written.decidedBy} at ${written.at} (${written.reference ?? 'no reference'})`, 'review/decided');
  // Decided: out of review/ at once (the folders follow the register).
  await publish(c, event.carrierId);
}

export type Decision =
  | { readonly level: Level; readonly reference: string; readonly decidedBy: string }
  | { readonly reject: true; readonly reference: string; readonly decidedBy: string };

export async function decideReview(c: IntakeContext, carrierId: string, d: Decision): Promise<{ status: 'queued' | 'rejected' }> {
  const ref = await loadRef(c.dir, carrierId);
  if (!ref) throw new ReviewError(`${carrierId}: no such carrier`, 'review/not-found');
  const entry = await c.register.carrier(carrierId);
  const taken = entry && keyedEvent(entry, 'decision');
  if (taken) throw new ReviewError(`${ref.name}: already decided by ${taken.decidedBy} at ${taken.at} (${taken.reference ?? 'no reference'})`, 'review/decided');
  if (!entry || !keyedEvent(entry, 'review') || keyedEvent(entry, 'outcome')) {
    throw new ReviewError(`${ref.name}: not waiting for review (never in review, or already out of it)`, 'review/not-in-review');
  }
  const reference = d.reference.trim();
  const decidedBy = d.decidedBy.trim();
  if (!reference) throw new ReviewError('a decision must cite the written permission or decision reference', 'review/invalid');
  if (!decidedBy) throw new ReviewError('a decision must name who decided', 'review/invalid');
  const round = roundOf(entry);
  const decision = (level: Level | null, detail: string) => newEvent(carrierId, 'decision', decidedBy, { level, reference, detail, key: eventKey(carrierId, 'decision', round) });

  if ('reject' in d) {
    await recordDecision(c, ref.name, decision(null, 'rejected by a person'));
    await rejectStage(c, round ? { ...ref, round } : ref, `rejected in review by ${decidedBy} (${reference})`, { decidedBy, reference }, 'review/rejected');
    return { status: 'rejected' };
  }
  if (!isLevel(d.level)) throw new ReviewError(`${String(d.level)} is not a level of Article 3`, 'review/invalid');
  // Refuse a level below the evidence (or the source's) now, so the person hears it at once.
  const source = ref.derivedFrom ? await sourceVerdict(c, ref.derivedFrom) : undefined;
  const plan = planDecidedStamp(await storedVerdict(c, ref), { level: d.level, reference, decidedBy }, {
    from: ref.from,
    to: ref.to,
    russian: ref.russian,
    sourceLevel: source?.level ?? null,
  });
  if (plan.action === 'refused') throw new DecisionRefused(`${ref.name}: ${plan.detail}`);
  await recordDecision(c, ref.name, decision(d.level, 'level set by a person'));
  const decided: CarrierRef = { ...ref, decision: { level: d.level, reference, decidedBy }, ...(round ? { round } : {}) };
  await c.queues.stamp.add('stamp', decided, jobOptions(jobIdOf(decided), c.queueSettings));
  return { status: 'queued' };
}
