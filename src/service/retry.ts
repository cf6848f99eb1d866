/**
 * Taking a carrier again (`grif retry`, POST /carriers/{id}/retry): a parked carrier once the
 * service's trouble is mended, or a rejected one a person wants read again. The register's
 * transition parked|rejected → received is recorded with who and why; the carrier then goes
 * through every stage again as a new round (its events and jobs keyed apart from the first).
 */
import { GrifError } from '../errors.js';
import { lastTransition, newEvent } from '../register/register.js';
import type { CarrierRef } from './carrier-ref.js';
import { loadRef, type IntakeContext } from './intake.js';
import { publish } from './publish.js';
import { jobIdOf, jobOptions } from './queues.js';
import { eventKey, roundOf } from './stages.js';

export class RetryError extends GrifError {
  constructor(message: string, code: 'retry/not-found' | 'retry/not-retryable' | 'retry/invalid') {
    super(message, { code });
  }
}

export interface RetryRequest {
  /** Who takes it again. */
  readonly by: string;
  /** Why (the fault mended, a person's request): kept in the register. */
  readonly reason: string;
}

export async function retryCarrier(c: IntakeContext, carrierId: string, r: RetryRequest): Promise<{ status: 'queued'; round: number }> {
  const by = r.by.trim();
  const reason = r.reason.trim();
  if (!by) throw new RetryError('a retry must name who asks for it', 'retry/invalid');
  if (!reason) throw new RetryError('a retry must say why (the fault mended, the decision taken)', 'retry/invalid');
  const ref = await loadRef(c.dir, carrierId);
  const entry = await c.register.carrier(carrierId);
  if (!ref || !entry) throw new RetryError(`${carrierId}: no such carrier`, 'retry/not-found');
  const now = lastTransition(entry);
  if (now?.state !== 'parked' && now?.state !== 'rejected') {
    throw new RetryError(`${ref.name} is ${now?.state ?? 'not registered'}${now ? ` since ${now.at}` : ''}: only a parked or rejected carrier can be retried`, 'retry/not-retryable');
  }
  const round = roundOf(entry) + 1;
  // The register first: of two retries at once, one is recorded (the other's key is taken).
  const { created, event } = await c.register.addEvent(
    newEvent(carrierId, 'retried', by, { reference: reason, detail: `round ${round}, from ${now.state}`, key: eventKey(carrierId, 'retried', round) }),
  );
  if (!created) throw new RetryError(`${ref.name}: already retried by ${event.decidedBy} at ${event.at}`, 'retry/not-retryable');
  // Its rejection notice goes: the folders follow the register, and the carrier is no longer rejected.
  await publish(c, carrierId);
  const again: CarrierRef = { ...ref, round };
  delete (again as { decision?: unknown }).decision;
  await c.queues.extract.add('extract', again, jobOptions(jobIdOf(again), c.queueSettings));
  c.log.info({ carrierId, round, by }, 'carrier taken again');
  return { status: 'queued', round };
}
