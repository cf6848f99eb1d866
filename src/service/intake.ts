/**
 * Accepting a carrier, from the drop folder or over HTTP: store its bytes, register it, queue its
 * first stage. A carrier already registered (same bytes, same parties) is not processed again:
 * the register's content hash decides, not only BullMQ's job ids, which BullMQ forgets once a job
 * is removed.
 */
import type { PartyId } from '../core/index.js';
import { writeAtomically } from '../stamp/write-output.js';
import type { Register } from '../register/register.js';
import { carrierIdOf, isCarrierId, safeName, type CarrierRef, type Intake } from './carrier-ref.js';
import { loadRef, refPathOf as refPath, sha256Of, storeCarrier, type DataDir } from './data-dir.js';
import type { Logger } from './log.js';
import { removeInboxFile, writeDuplicate } from './outcome-files.js';
import { jobIdOf, jobOptions, type QueueSettings, type StageQueues } from './queues.js';
import { keyedEvent } from './stages.js';
import { lastTransition, newEvent } from '../register/register.js';

export interface IntakeContext {
  readonly dir: DataDir;
  readonly register: Register;
  readonly queues: StageQueues;
  readonly log: Logger;
  readonly agent: string;
  readonly queueSettings?: QueueSettings;
  /** How incoming numbers are written for people (incoming.ts); default {seq}/{yyyy}. */
  readonly incomingFormat?: string;
}

export interface Submission {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly from: PartyId;
  readonly to: PartyId;
  readonly russian?: boolean;
  /** Register id or SHA-256 of the carrier this one is a translation or copy of. */
  readonly derivedFrom?: string;
  /** The transfer it came in (Art. 5.3), and the sender's reference of it there. */
  readonly transfer?: string;
  readonly senderReference?: string;
  /** Produced jointly by both Parties (Art. 6.3). */
  readonly joint?: boolean;
  readonly intake: Intake;
  readonly inboxPath?: string;
}

export type Accepted =
  | { readonly status: 'queued'; readonly carrierId: string }
  /** This very submission was accepted before (a rescan of an inbox file still being processed). */
  | { readonly status: 'in-progress'; readonly carrierId: string }
  | {
      readonly status: 'duplicate';
      readonly carrierId: string;
      readonly firstName: string;
      /** For a carrier that ended rejected or parked: how to have it processed again. */
      readonly retry?: string;
    };

/** What a person can do with a carrier that ended rejected or parked: said wherever it is met again (retry.ts does it). */
export function retryHint(carrierId: string): string {
  return `to have it processed again, run \`grif retry ${carrierId} --reason "…"\` or POST /carriers/${carrierId}/retry`;
}

// Where a carrier's reference is kept (data-dir.ts); re-exported for the callers that know intake.
export { loadRef } from './data-dir.js';

/** The register id a `derivedFrom` names: a carrier id as it is, a SHA-256 looked up. */
async function resolveSource(register: Register, given: string): Promise<string> {
  const s = given.trim();
  if (isCarrierId(s)) return s;
  if (/^[0-9a-f]{64}$/i.test(s)) {
    const rows = await register.findBySha(s.toLowerCase());
    if (rows[0]) return rows[0].id;
  }
  // Unknown: kept as given; the decide stage sends the carrier to review naming it.
  return s;
}

async function duplicate(c: IntakeContext, s: Submission, carrierId: string, sha256: string, first: { name: string; receivedAt?: string }): Promise<Accepted> {
  const name = safeName(s.name);
  const ref: CarrierRef = { carrierId, sha256, stored: '', name, from: s.from, to: s.to, russian: !!s.russian, intake: s.intake, ...(s.inboxPath ? { inboxPath: s.inboxPath } : {}) };
  if (s.intake === 'inbox') {
    await writeDuplicate(c.dir, ref, {
      carrierId,
      name,
      sha256,
      status: 'duplicate',
      detail: `the same carrier (same content, same parties) was received before as "${first.name}"${first.receivedAt ? ` on ${first.receivedAt}` : ''}; it is not processed again`,
      firstName: first.name,
      writtenAt: new Date().toISOString(),
    });
  }
  const entry = await c.register.carrier(carrierId);
  if (entry) {
    await c.register.addEvent(newEvent(carrierId, 'duplicate', c.agent, { detail: `received again as "${name}" (${s.intake})` }));
  }
  await removeInboxFile(ref);
  c.log.info({ carrierId, intake: s.intake }, 'duplicate carrier: not processed again');
  // Sent again after it was rejected or parked: the answer says how to take it again instead.
  const now = entry && lastTransition(entry);
  const retry = now?.state === 'rejected' || now?.state === 'parked' ? `it was ${now.state} (${now.at}); ${retryHint(carrierId)}` : undefined;
  return { status: 'duplicate', carrierId, firstName: first.name, ...(retry ? { retry } : {}) };
}

/** Whether two submissions are the same one (an inbox file seen again by a rescan). */
const sameSubmission = (a: Pick<CarrierRef, 'intake' | 'inboxPath'>, b: Pick<Submission, 'intake' | 'inboxPath'>): boolean =>
  a.intake === 'inbox' && b.intake === 'inbox' && a.inboxPath === b.inboxPath;

/** Registers a carrier (insert-or-ignore) and queues its first stage (a no-op while its job exists). */
async function registerAndQueue(c: IntakeContext, ref: CarrierRef): Promise<void> {
  await c.register.addCarrier({
    id: ref.carrierId,
    name: ref.name,
    from: ref.from,
    to: ref.to,
    inputSha256: ref.sha256,
    kind: ref.derivedFrom ? 'copy' : 'carrier',
    derivedFrom: ref.derivedFrom ?? null,
    intake: ref.intake,
  });
  // What the sender said of it, as notes after its registration (keyed: written once, also when
  // a crash between the two is mended by the same submission again).
  if (ref.transfer) {
    await c.register.addEvent(
      newEvent(ref.carrierId, 'transfer', c.agent, {
        reference: ref.transfer,
        detail: ref.senderReference ? JSON.stringify({ senderReference: ref.senderReference }) : null,
        key: `${ref.carrierId}:transfer`,
      }),
    );
  }
  if (ref.joint) await c.register.addEvent(newEvent(ref.carrierId, 'jointly-produced', c.agent, { key: `${ref.carrierId}:jointly-produced` }));
  await c.queues.extract.add('extract', ref, jobOptions(jobIdOf(ref), c.queueSettings));
}

export async function acceptCarrier(c: IntakeContext, s: Submission): Promise<Accepted> {
  const sha256 = sha256Of(s.bytes);
  const carrierId = carrierIdOf(sha256, s.from, s.to);
  const first = await loadRef(c.dir, carrierId);
  if (first) {
    const known = await c.register.carrier(carrierId);
    // Ended, waiting for a person (review), or parked until a person retries it: not to be queued again.
    const parked = !!known && lastTransition(known)?.state === 'parked';
    const finished = !!known && (!!(keyedEvent(known, 'outcome') ?? keyedEvent(known, 'review')) || parked);
    // The same inbox file seen again, or an upload retried before its carrier got anywhere (say
    // Redis was down when it was queued): make sure it is registered and queued, once. A crash
    // between storing, registering and queueing is mended the same way.
    if (sameSubmission(first, s) || (s.intake !== 'inbox' && !finished)) {
      if (finished) await removeInboxFile(first);
      else await registerAndQueue(c, first);
      return { status: 'in-progress', carrierId };
    }
    return duplicate(c, s, carrierId, sha256, { name: known?.name ?? first.name, ...(known ? { receivedAt: known.receivedAt } : {}) });
  }

  // Registered before, though its reference is gone (a cleaned work folder): the register's
  // content hash still says it is the same carrier.
  const registered = await c.register.carrier(carrierId);
  if (registered) return duplicate(c, s, carrierId, sha256, { name: registered.name, receivedAt: registered.receivedAt });

  const name = safeName(s.name);
  const stored = await storeCarrier(c.dir, s.bytes, sha256, name);
  const derivedFrom = s.derivedFrom ? await resolveSource(c.register, s.derivedFrom) : undefined;
  const mine: CarrierRef = {
    carrierId,
    sha256,
    stored,
    name,
    from: s.from,
    to: s.to,
    russian: !!s.russian,
    ...(derivedFrom ? { derivedFrom } : {}),
    ...(s.transfer ? { transfer: s.transfer } : {}),
    ...(s.senderReference ? { senderReference: s.senderReference } : {}),
    ...(s.joint ? { joint: true } : {}),
    intake: s.intake,
    ...(s.inboxPath ? { inboxPath: s.inboxPath } : {}),
  };
  // The first submission's reference wins (link semantics: never replaced); a concurrent second
  // one finds it and is a duplicate.
  await writeAtomically(refPath(c.dir, carrierId), new TextEncoder().encode(JSON.stringify(mine)), { inputs: [] }).catch(() => undefined);
  const ref = await loadRef(c.dir, carrierId);
  if (!ref) throw new Error(`${refPath(c.dir, carrierId)} could not be written`);
  if (!sameSubmission(ref, s) && JSON.stringify(ref) !== JSON.stringify(mine)) return duplicate(c, s, carrierId, sha256, { name: ref.name });
  await registerAndQueue(c, ref);
  c.log.info({ carrierId, sha256, from: s.from, to: s.to, intake: s.intake, bytes: s.bytes.length }, 'carrier queued');
  return { status: 'queued', carrierId };
}
