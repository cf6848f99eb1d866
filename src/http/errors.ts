/**
 * HTTP answers for grif's errors: a GrifError is the clerk's own problem (a 4xx with its message),
 * anything else is ours (500 'internal error', logged, its message never sent).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { listedRule } from '../error-codes.js';
import { GrifError } from '../errors.js';

export type HttpProblem = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'unsupported-type' | 'unavailable';

const STATUS: Readonly<Record<HttpProblem, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-type': 415,
  unavailable: 503,
};

/** A request grif cannot serve as sent; `statusCode` is the answer's status. */
export class HttpError extends GrifError {
  readonly statusCode: number;
  constructor(problem: HttpProblem, message: string) {
    super(message, { code: `http/${problem}` });
    this.statusCode = STATUS[problem];
  }
}

/** A GrifError's status, from the one table of codes (src/error-codes.ts). */
export function statusOf(err: GrifError): number {
  if (err instanceof HttpError) return err.statusCode;
  const rule = listedRule(err.code);
  if (rule) return err.retryable && rule.fault !== 'request' ? 503 : rule.http;
  return err.retryable ? 503 : 400;
}

/** ioredis gives up on a command while Redis is down: the service is unavailable, not broken. */
function redisDown(err: Error): boolean {
  return err.name === 'MaxRetriesPerRequestError' || /ECONNREFUSED|Connection is closed/.test(err.message);
}

export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof GrifError) {
    const status = statusOf(err);
    if (status >= 500) request.log.warn({ code: err.code, err: { message: err.message } }, 'request failed on the service side');
    void reply.status(status).send({ error: err.message, code: err.code });
    return;
  }
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own (malformed JSON, wrong content type, multipart limits): the request's fault.
    void reply.status(status).send({ error: err.message, code: (err as FastifyError).code ?? 'http/bad-request' });
    return;
  }
  if (redisDown(err)) {
    request.log.warn({ err: { name: err.name, message: err.message } }, 'queue unreachable');
    void reply.status(503).send({ error: 'the queue (Redis) cannot be reached; try again later', code: 'http/unavailable' });
    return;
  }
  // Only the error's name, message and stack: never a request body or a carrier's bytes.
  request.log.error({ err: { name: err.name, message: err.message, stack: err.stack } }, 'internal error');
  void reply.status(500).send({ error: 'internal error' });
}
