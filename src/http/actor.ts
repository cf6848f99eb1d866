/** Who did something over HTTP, as the register records it. */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import { normalName } from './users.js';

/** Who did it: a personal token's holder (another name given is refused), else the name given. */
export function actor(req: FastifyRequest, given: string | undefined, field: string): string {
  const who = req.identity;
  const named = given === undefined ? undefined : normalName(given);
  if (who?.kind === 'user') {
    if (named && named !== who.name) {
      throw new HttpError('forbidden', `this token is ${who.name}'s: what is done with it is recorded as theirs, so "${field}" must be "${who.name}" or left out (got ${JSON.stringify(named.slice(0, 80))})`);
    }
    return who.name;
  }
  if (!named) throw new HttpError('bad-request', `with the service's token, say who does it: "${field}"`);
  return named;
}
