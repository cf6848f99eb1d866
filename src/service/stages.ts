/**
 * The service's stages, free of BullMQ: extract, decide, stamp, and the routes a carrier ends by.
 * The queue workers (workers/) call these; so could anything else. Every stage may run twice for
 * one carrier (BullMQ delivers at least once), and may be killed between any two steps. So each
 * step that moves a carrier is one commit(): its outputs written where only the register points
 * (store/, work/results/), then its transition appended under a fixed key (compare-and-set), then
 * the folders published from the register. A second delivery finds the event and only publishes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { examine, planDecidedStamp, routeCarrier, type CarrierText, type Source, type StampPlan, type Verdict } from '../core/index.js';
import { GrifError } from '../errors.js';
import type { ExtractContext, ProgressEvent } from '../extract/extractor.js';
import { newEvent, TransitionRefused, type EventKind, type EventRow, type NewEvent, type Register, type RegisterEntry } from '../register/register.js';
import { prepareCarrier, readCarrier, stampPrepared } from '../stamp/stamp-file.js';
import { writeAtomically } from '../stamp/write-output.js';
import { formatIncoming } from '../register/incoming.js';
import type { CarrierRef } from './carrier-ref.js';
import { textPathOf, type DataDir } from './data-dir.js';
import type { Logger } from './log.js';
import type { ServiceMetrics } from './metrics.js';
import { crashPoint } from '../crash-points.js';
import { resultNames } from './outcome-files.js';
import { publish, stageDocument, storeOutput } from './publish.js';
import { dropCarrierText } from './retention.js';
import { FINAL_STATES } from '../register/states.js';
import type { RejectionCode, ReviewReason } from './reason-codes.js';

export interface StageContext {
  readonly dir: DataDir;
  readonly register: Register;
  readonly extract: ExtractContext;
  readonly log: Logger;
  readonly metrics?: ServiceMetrics;
  /** 'grif <version>': who decided, for automatic decisions. */
  readonly agent: string;
  /** The receiving authority as it signs the registration block. */
  readonly authority?: string;
  /** How incoming numbers are written (incoming.ts); default {seq}/{yyyy}. */
  readonly incomingFormat?: string;
  /** Days a carrier's extracted text and previews are kept once it ended (retention.ts); default 0: they go at once. */
  readonly keepTextDays?: number;
}

/** The carrier's incoming number as the registry writes it (the register gave it at intake). */
async function incomingOf(c: Pick<StageContext, 'register' | 'incomingFormat'>, ref: CarrierRef): Promise<string> {
  return (await registrationOf(c, ref)).number;
}

/**
 * The registration block's number and date: the register's, given when the carrier was received.
 * So a carrier stamped again (a second delivery, a retry) bears the same block, and grif stamp
 * given the same number and date makes the same stamp.
 */
async function registrationOf(c: Pick<StageContext, 'register' | 'incomingFormat'>, ref: CarrierRef): Promise<{ number: string; date: Date }> {
  const entry = await c.register.carrier(ref.carrierId);
  return { number: formatIncoming(entry?.incoming ?? null, c.incomingFormat), date: entry ? new Date(entry.receivedAt) : new Date() };
}

/** Register event keys: one of each per carrier, whatever the number of deliveries. */
export const eventKey = (carrierId: string, what: 'extracted' | 'verdict' | 'to-stamp' | 'review' | 'decision' | 'outcome' | 'duplicate' | 'parked' | 'retried', round = 0): string =>
  round ? `${carrierId}:r${round}:${what}` : `${carrierId}:${what}`;

/**
 * How many times a person has taken the carrier again (grif retry): each round's events have keys
 * of their own, so that a retried carrier goes through every stage again.
 */
export const roundOf = (entry: Pick<RegisterEntry, 'events'>): number => entry.events.filter((e) => e.kind === 'retried').length;

/** The stamps of a verdict as the register and receipts keep them: no text beyond the marking. */
function stampsOf(v: Verdict) {
  return v.stamps.map((s) => ({ lang: s.lang, level: s.level, page: s.page, evidence: s.evidence, ...(s.bbox ? { bbox: s.bbox } : {}) }));
}

/** A register event by the service itself (decidedBy: the agent, unless a person's decision says otherwise). */
function registerEvent(c: Pick<StageContext, 'agent'>, carrierId: string, kind: NewEvent['kind'], fields: Partial<Omit<NewEvent, 'carrierId' | 'kind'>> = {}): NewEvent {
  const { decidedBy, ...rest } = fields;
  return newEvent(carrierId, kind, decidedBy ?? c.agent, rest);
}

export type Committed = 'created' | 'exists' | 'refused';

/**
 * One step of a carrier's life: its document staged (outputs are staged by the caller, before),
 * then its transition committed, then the folders published from whatever the register now says.
 * 'exists': a delivery before this one committed it; 'refused': the carrier had moved on (a
 * person decided, a retry began) and this step no longer applies; neither changes anything.
 */
export async function commit(c: Pick<StageContext, 'dir' | 'register' | 'keepTextDays'>, event: NewEvent, doc?: object): Promise<Committed> {
  if (doc) await stageDocument(c.dir, event.key!, event.outputSha256, doc);
  crashPoint(`before-commit:${event.kind}`);
  let result: Committed;
  try {
    result = (await c.register.addEvent(event)).created ? 'created' : 'exists';
  } catch (err) {
    if (!(err instanceof TransitionRefused)) throw err;
    result = 'refused';
  }
  crashPoint(`after-commit:${event.kind}`);
  // By hash, not size: the file a step publishes is the one its event names, whatever was there.
  const shown = await publish(c, event.carrierId, { verify: true });
  // Ended: its body in readable form goes now, unless the operator keeps it a while (the reconciler drops it then).
  if (shown?.state && FINAL_STATES.includes(shown.state) && !c.keepTextDays) await dropCarrierText(c.dir, event.carrierId);
  return result;
}

/** A carrier's event under one of the fixed keys (its outcome, its review, a person's decision), if any. */
export function keyedEvent(entry: RegisterEntry, what: 'review' | 'outcome' | 'decision'): EventRow | undefined {
  const key = eventKey(entry.id, what, roundOf(entry));
  return entry.events.find((e) => e.key === key);
}

/** Whether the register holds any of these keyed events for the carrier. */
export async function routed(c: Pick<StageContext, 'register'>, carrierId: string, what: readonly ('review' | 'outcome' | 'decision')[]): Promise<boolean> {
  const entry = await c.register.carrier(carrierId);
  return !!entry && what.some((w) => keyedEvent(entry, w));
}

const storedBytes = (c: StageContext, ref: CarrierRef): Promise<Buffer> => readFile(join(c.dir.root, ref.stored));

async function loadText(c: Pick<StageContext, 'dir'>, ref: CarrierRef): Promise<CarrierText> {
  return JSON.parse(await readFile(textPathOf(c.dir, ref.carrierId), 'utf8')) as CarrierText;
}

// ---------------------------------------------------------------------------------------------
// 1. Extract

/** Reads the carrier's text (text layer or OCR) into work/<id>.text.json. Returns its page count. */
export async function extractStage(c: StageContext, ref: CarrierRef, onProgress?: (e: ProgressEvent) => void): Promise<number> {
  // Delivered again after the step was committed: its text may be gone already (retention.ts).
  const done = (await c.register.carrier(ref.carrierId))?.events.find((e) => e.key === eventKey(ref.carrierId, 'extracted', ref.round));
  if (done) return Number(/^(\d+)/.exec(done.detail ?? '')?.[1] ?? 0);
  const path = textPathOf(c.dir, ref.carrierId);
  let text = await readFile(path, 'utf8').then((s) => JSON.parse(s) as CarrierText, () => undefined);
  if (!text) {
    ({ text } = await readCarrier(ref.name, await storedBytes(c, ref), { ...c.extract, ...(onProgress ? { onProgress } : {}) }));
    await writeAtomically(path, new TextEncoder().encode(JSON.stringify(text)), { inputs: [], force: true });
    c.metrics?.pages.inc(text.pages.length);
  }
  // The text is written before the transition that says so (a second delivery finds both).
  await commit(c, registerEvent(c, ref.carrierId, 'extracted', { detail: `${text.pages.length} page(s)`, key: eventKey(ref.carrierId, 'extracted', ref.round) }));
  return text.pages.length;
}

// ---------------------------------------------------------------------------------------------
// 2. Decide

/** The level a registered source carrier ended with, as a verdict for the translation check. */
async function sourceVerdict(c: Pick<StageContext, 'register'>, sourceId: string): Promise<Verdict | undefined> {
  const entry = await c.register.carrier(sourceId);
  if (!entry) return undefined;
  const final = [...entry.events].reverse().find((e) => e.kind === 'stamped' || e.kind === 'already-marked' || e.kind === 'unmarked' || e.kind === 'decision');
  if (!final) return { status: 'review', level: null, minLevel: null, stamps: [], notes: [] };
  if (final.kind === 'unmarked') return { status: 'unmarked', level: null, minLevel: null, stamps: [], notes: [] };
  return { status: final.level ? 'marked' : 'review', level: final.level, minLevel: final.level, stamps: [], notes: [] };
}

export type DecideResult = 'stamp' | 'unmarked' | 'already-stamped' | 'review';

/** Detects and verifies (the pure core) and either hands the carrier to the stamper or routes it. */
export async function decideStage(c: StageContext, ref: CarrierRef): Promise<DecideResult | 'already-done'> {
  // Delivered again after the carrier was routed (or decided by a person since): nothing to do.
  if (await routed(c, ref.carrierId, ['review', 'outcome'])) return 'already-done';
  const verdict = examine(await loadText(c, ref));
  await c.register.addEvent(
    registerEvent(c, ref.carrierId, 'verdict', { level: verdict.level, stamps: stampsOf(verdict), detail: verdict.status, key: eventKey(ref.carrierId, 'verdict', ref.round) }),
  );

  // The same decision grif stamp takes (core/route.ts), with the source as the register has it.
  const { route } = routeCarrier(verdict, ref, await sourceOf(c, ref));
  if (route.to === 'review') {
    await toReview(c, ref, verdict, route.reasons, route.codes);
    return 'review';
  }
  if (route.to === 'stamp') {
    const done = await commit(c, registerEvent(c, ref.carrierId, 'to-stamp', { level: route.plan.level, key: eventKey(ref.carrierId, 'to-stamp', ref.round) }));
    return done === 'refused' ? 'already-done' : 'stamp';
  }
  // Unmarked, or already bearing the receiving side's equivalent marking: out unchanged.
  await finishUnchanged(c, ref, verdict, route.kind, route.detail);
  return route.kind === 'already-marked' ? 'already-stamped' : 'unmarked';
}

/** A translation's or copy's source as the register has it (core/route.ts's Source). */
async function sourceOf(c: Pick<StageContext, 'register'>, ref: CarrierRef): Promise<Source | undefined> {
  if (!ref.derivedFrom) return undefined;
  const verdict = await sourceVerdict(c, ref.derivedFrom);
  return verdict ? { verdict } : { unknown: ref.derivedFrom };
}

async function receiptBase(c: Pick<StageContext, 'agent' | 'register' | 'incomingFormat'>, ref: CarrierRef, incoming?: string) {
  return {
    incoming: incoming ?? (await incomingOf(c, ref)),
    carrierId: ref.carrierId,
    name: ref.name,
    sha256: ref.sha256,
    from: ref.from,
    to: ref.to,
    ...(ref.derivedFrom ? { derivedFrom: ref.derivedFrom } : {}),
    intake: ref.intake,
    by: c.agent,
  };
}

async function finishUnchanged(c: StageContext, ref: CarrierRef, verdict: Verdict, kind: Extract<EventKind, 'unmarked' | 'already-marked'>, detail: string): Promise<void> {
  const status = kind === 'already-marked' ? 'already-stamped' : 'unmarked';
  const event = registerEvent(c, ref.carrierId, kind, {
    level: verdict.level,
    stamps: stampsOf(verdict),
    outputSha256: ref.sha256,
    outputPath: resultNames(c.dir, ref, 'outbox').carrier,
    detail,
    key: eventKey(ref.carrierId, 'outcome', ref.round),
  });
  const receipt = { ...(await receiptBase(c, ref)), status, level: verdict.level, stamps: stampsOf(verdict), detail, output: null, writtenAt: new Date().toISOString() };
  if ((await commit(c, event, receipt)) === 'created') c.metrics?.carriers.inc({ outcome: status });
}

async function toReview(c: StageContext, ref: CarrierRef, verdict: Verdict, reasons: readonly string[], reasonCodes: readonly ReviewReason[]): Promise<void> {
  const event = registerEvent(c, ref.carrierId, 'review', {
    stamps: stampsOf(verdict),
    outputPath: resultNames(c.dir, ref, 'review').carrier,
    detail: reasons.join('; '),
    key: eventKey(ref.carrierId, 'review', ref.round),
  });
  const reason = {
    ...(await receiptBase(c, ref)),
    status: 'review',
    verdict: verdict.status,
    minLevel: verdict.minLevel,
    candidates: [...new Set(verdict.stamps.map((s) => s.level))],
    stamps: stampsOf(verdict),
    unreadMarks: verdict.unreadMarks ?? [],
    reasons,
    reasonCodes,
    writtenAt: new Date().toISOString(),
  };
  if ((await commit(c, event, reason)) === 'created') c.metrics?.carriers.inc({ outcome: 'review' });
}

// ---------------------------------------------------------------------------------------------
// 3. Stamp

export class DecisionRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'review/refused', retryable: false });
  }
}

/** Stamps the carrier (the automatic plan, or a person's decided level) and writes outbox/. */
export async function stampStage(c: StageContext, ref: CarrierRef): Promise<'stamped' | 'already-done' | 'already-stamped'> {
  if (await routed(c, ref.carrierId, ['outcome'])) {
    await publish(c, ref.carrierId);
    return 'already-done';
  }
  const text = await loadText(c, ref);
  const verdict = examine(text);
  let plan: StampPlan;
  if (ref.decision) {
    const source = ref.derivedFrom ? await sourceVerdict(c, ref.derivedFrom) : undefined;
    const decided = planDecidedStamp(verdict, ref.decision, { from: ref.from, to: ref.to, russian: ref.russian, sourceLevel: source?.level ?? null });
    if (decided.action === 'refused') throw new DecisionRefused(`${ref.name}: ${decided.detail}`);
    plan = decided;
  } else {
    // The decide stage routed it here (its source checked then); the same text routes the same way.
    const { route } = routeCarrier(verdict, ref);
    if (route.to === 'review') throw new GrifError(`${ref.name}: routed to be stamped, yet its text now calls for review`, { code: 'internal' });
    plan = route.to === 'stamp' ? route.plan : { action: 'none', reason: route.kind === 'already-marked' ? 'already-stamped' : 'not-marked', detail: route.detail };
  }
  if (plan.action === 'none') {
    await finishUnchanged(c, ref, verdict, plan.reason === 'already-stamped' ? 'already-marked' : 'unmarked', plan.detail);
    return 'already-stamped';
  }
  const { number: incoming, date } = await registrationOf(c, ref);
  const prepared = await prepareCarrier(ref.name, await storedBytes(c, ref), c.extract.limits.maxPixels);
  const stamped = await stampPrepared(
    prepared,
    text,
    verdict,
    plan,
    {
      pages: 'first',
      registration: { ...(c.authority ? { authority: c.authority } : {}), number: incoming, date },
      wholeVerdict: !ref.decision,
    },
    c.extract,
  );
  // The stamped PDF is kept under its own hash before the register names it: a second delivery
  // that stamps again (another date, another byte) keeps its own, and only the committed one is published.
  const output = await storeOutput(c.dir, stamped.output);
  const outbox = resultNames(c.dir, ref, 'outbox').stamped;
  const event = registerEvent(c, ref.carrierId, 'stamped', {
    level: plan.level,
    stamps: stampsOf(verdict),
    ...(ref.decision ? { decidedBy: ref.decision.decidedBy, reference: ref.decision.reference } : {}),
    outputSha256: output.sha256,
    outputPath: outbox,
    detail: plan.markings.map((m) => m.text).join(' / '),
    key: eventKey(ref.carrierId, 'outcome', ref.round),
  });
  const receipt = {
    ...(await receiptBase(c, ref, incoming)),
    status: 'stamped',
    level: plan.level,
    added: plan.markings,
    stamps: stampsOf(verdict),
    placements: stamped.placements,
    update: stamped.update,
    ...(stamped.note ? { note: stamped.note } : {}),
    ...(ref.decision ? { decidedBy: ref.decision.decidedBy, reference: ref.decision.reference } : {}),
    output: outbox,
    outputSha256: output.sha256,
    writtenAt: new Date().toISOString(),
  };
  const done = await commit(c, event, receipt);
  if (done === 'created') c.metrics?.carriers.inc({ outcome: 'stamped' });
  return done === 'created' ? 'stamped' : 'already-done';
}

// ---------------------------------------------------------------------------------------------
// Rejection

/**
 * Ends a carrier in rejected/ with the error a clerk can act on; `errorCode` (a GrifError's code,
 * 'review/rejected' or 'internal') names it for a page that speaks the clerk's language.
 */
export async function rejectStage(
  c: Pick<StageContext, 'dir' | 'register' | 'agent' | 'metrics'>,
  ref: CarrierRef,
  message: string,
  by?: { decidedBy: string; reference: string },
  errorCode?: RejectionCode,
): Promise<void> {
  const event = registerEvent(c, ref.carrierId, 'rejected', {
    ...(by ?? {}),
    outputPath: resultNames(c.dir, ref, 'rejected').carrier,
    detail: message,
    key: eventKey(ref.carrierId, 'outcome', ref.round),
  });
  const error = { ...(await receiptBase(c, ref)), status: 'rejected', error: message, ...(errorCode ? { errorCode } : {}), ...(by ?? {}), writtenAt: new Date().toISOString() };
  if ((await commit(c, event, error)) === 'created') c.metrics?.carriers.inc({ outcome: 'rejected' });
}

/**
 * Parks a carrier whose processing a fault of the service stopped (OCR data missing, a disk full,
 * the register unreachable) after every retry: the register says so with the error, the carrier
 * and its files stay where they are, and a person takes it again with grif retry. Never rejected:
 * nothing is wrong with the carrier.
 */
export async function parkStage(c: Pick<StageContext, 'dir' | 'register' | 'agent' | 'metrics'>, ref: CarrierRef, message: string, errorCode: RejectionCode): Promise<void> {
  const event = registerEvent(c, ref.carrierId, 'parked', { detail: `${message} [${errorCode}]`, key: eventKey(ref.carrierId, 'parked', ref.round) });
  if ((await commit(c, event)) === 'created') c.metrics?.carriers.inc({ outcome: 'parked' });
}

/** The carrier's verdict from its stored text (for the review form and a person's decision). */
export async function storedVerdict(c: Pick<StageContext, 'dir'>, ref: CarrierRef): Promise<Verdict> {
  return examine(await loadText(c, ref));
}

export { sourceVerdict };
