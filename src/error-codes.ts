/**
 * Whose fault an error is, in one place: every GrifError code with the party at fault and the HTTP
 * status it is answered with.
 *
 * - carrier: the carrier itself (damaged, encrypted, too large, refused by a rule): rejected at
 *   once, never retried; trying again cannot help.
 * - service: grif's own trouble (OCR data missing, a disk full or unwritable, Redis or the register
 *   down, a timeout): retried with backoff, then parked to be retried by a person; never rejected.
 * - request: what a caller asked for (a bad form, a decision someone else took first).
 *
 * An error that is no GrifError (a bug, an I/O error) is the service's.
 */
import { GrifError } from './errors.js';

export type Fault = 'carrier' | 'service' | 'request';

export interface ErrorRule {
  readonly fault: Fault;
  /** The HTTP status a request meeting it is answered with. */
  readonly http: number;
}

/** By exact code first, then by the code's family (the part before '/'). */
export const ERROR_CODES: Readonly<Record<string, ErrorRule>> = {
  // The carrier's own.
  'input/not-found': { fault: 'carrier', http: 422 },
  'input/not-a-file': { fault: 'carrier', http: 422 },
  'input/permission': { fault: 'service', http: 503 },
  'input/unsupported-type': { fault: 'carrier', http: 415 },
  'input/wrong-content': { fault: 'carrier', http: 415 },
  'input/not-utf8': { fault: 'carrier', http: 422 },
  'input/damaged': { fault: 'carrier', http: 422 },
  'input/encrypted': { fault: 'carrier', http: 422 },
  'input/too-many-pages': { fault: 'carrier', http: 413 },
  'input/too-many-pixels': { fault: 'carrier', http: 413 },
  'input/too-large': { fault: 'carrier', http: 413 },
  'input/too-much-memory': { fault: 'carrier', http: 413 },
  'input/unreadable': { fault: 'carrier', http: 422 },
  'input/source': { fault: 'carrier', http: 422 },
  'stamp/failed': { fault: 'carrier', http: 422 },
  // grif's own.
  'ocr/unavailable': { fault: 'service', http: 503 },
  'ocr/timeout': { fault: 'service', http: 503 },
  'ocr/failed': { fault: 'service', http: 503 },
  'extract/crashed': { fault: 'service', http: 503 },
  register: { fault: 'service', http: 503 },
  redis: { fault: 'service', http: 503 },
  output: { fault: 'service', http: 503 },
  internal: { fault: 'service', http: 500 },
  // A wipe that left contents behind (permissions, a disk error): finished by grif destroy --resume.
  'destroy/incomplete': { fault: 'service', http: 500 },
  // The request's.
  'register/state': { fault: 'request', http: 409 },
  'review/not-found': { fault: 'request', http: 404 },
  'review/not-in-review': { fault: 'request', http: 409 },
  'review/decided': { fault: 'request', http: 409 },
  'review/invalid': { fault: 'request', http: 400 },
  'review/refused': { fault: 'request', http: 422 },
  'retry/not-found': { fault: 'request', http: 404 },
  'retry/not-retryable': { fault: 'request', http: 409 },
  'retry/invalid': { fault: 'request', http: 400 },
  'notice/refused': { fault: 'request', http: 422 },
  'notice/not-found': { fault: 'request', http: 404 },
  'notice/state': { fault: 'request', http: 409 },
  'confirm/refused': { fault: 'request', http: 409 },
  'copy/refused': { fault: 'request', http: 422 },
  'disposal/refused': { fault: 'request', http: 422 },
  'destroy/refused': { fault: 'request', http: 422 },
  usage: { fault: 'request', http: 400 },
  users: { fault: 'request', http: 400 },
  http: { fault: 'request', http: 400 },
};

/** The rule listed for an error code: exact, else its family's ('input/damaged', then 'input'); undefined when neither is listed. */
export function listedRule(code: string): ErrorRule | undefined {
  return ERROR_CODES[code] ?? ERROR_CODES[code.split('/')[0]!];
}

/** The rule of an error code: the listed one, else the service's. */
export function ruleOf(code: string): ErrorRule {
  return listedRule(code) ?? ERROR_CODES.internal!;
}

/** Whose fault an error is. */
export function faultOf(err: unknown): Fault {
  if (!(err instanceof GrifError)) return 'service';
  // A GrifError that says a second try may help is trouble of the moment, whatever its code.
  if (err.retryable) return 'service';
  return ruleOf(err.code).fault;
}
