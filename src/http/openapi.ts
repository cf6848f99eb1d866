/**
 * The schemas put to work: each route gets its schema from the one table (route-schemas.ts) as it
 * is registered, Fastify validates requests with it, and /openapi.json is generated from the same
 * schemas by @fastify/swagger. A validation failure answers 400 with a sentence naming the field.
 */
import { fastifySwagger } from '@fastify/swagger';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';
import { HttpError } from './errors.js';
import { routeKey } from './roles.js';
import { ROUTE_SCHEMAS, type RouteSchema } from './route-schemas.js';

const SCHEMAS: Readonly<Record<string, RouteSchema>> = ROUTE_SCHEMAS;

/** The schema a route is served with; none for the page's files and the dashboard's own routes. */
export function schemaFor(method: string, url: string): RouteSchema | undefined {
  return SCHEMAS[routeKey(method, url)];
}

/** A multipart body is read by its route as a stream; its schema documents the form and the route checks it. */
const streamed = (s: RouteSchema): boolean => s.consumes?.includes('multipart/form-data') === true;

function runtimeSchema(s: RouteSchema): FastifySchema {
  const { body, ...rest } = s;
  return { ...rest, ...(body && !streamed(s) ? { body } : {}) } as FastifySchema;
}

const WHERE: Readonly<Record<SchemaErrorDataVar, string>> = { body: 'the body', querystring: 'the query', params: 'the path', headers: 'the headers' };


/** What Ajv (Fastify's validator) and TypeBox's own checker say of a value that fails. */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message?: string | undefined;
}

/** One validation error as a sentence a caller can act on. */
export function sentence(e: SchemaError, dataVar: SchemaErrorDataVar): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `"${String(params['missingProperty'])}" is missing from ${WHERE[dataVar]}`;
  const field = path ? `"${path}"` : WHERE[dataVar];
  if (dataVar === 'params' && path === 'id' && e.keyword === 'pattern') return 'the path does not name a carrier: a carrier id is 32 hex digits, then -KZ-KG or -KG-KZ';
  if (e.keyword === 'pattern' && params['pattern'] === '\\S') return `${field} must not be blank`;
  if (e.keyword === 'pattern' && path === 'derivedFrom') return `${field} must name the source carrier by its register id (…-KZ-KG) or its SHA-256 (64 hex digits)`;
  if (e.keyword === 'pattern' && path === 'act') return `${field}, the act's number, must be one line of text, not "." or ".."`;
  if (e.keyword === 'enum') return `${field} must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`;
  if (e.keyword === 'type') return `${field} must be ${params['type'] === 'integer' ? 'a whole number' : `of type ${String(params['type'])}`}`;
  if (e.keyword === 'minimum' || e.keyword === 'maximum') return `${field} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}`;
  if (e.keyword === 'maxLength') return `${field} is too long (at most ${String(params['limit'])} characters)`;
  if (e.keyword === 'minLength') return `${field} must not be empty`;
  return `${field} ${e.message ?? 'is not valid'}`;
}

export function validationError(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): Error {
  const first = errors[0];
  const text = first ? sentence(first, dataVar) : `${WHERE[dataVar]} is not valid`;
  return new HttpError('bad-request', `${text} (see /openapi.json)`);
}

/**
 * Every route the service declares gets its schema from the table; one missing from the table is
 * listed in `unlisted` (the server then refuses to start). The page's files and the dashboard's
 * own routes (assets, its API) are not part of the API and stay out of the document.
 */
export function attachSchemas(app: FastifyInstance, isInternal: (url: string) => boolean, unlisted: string[]): void {
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = [r.method].flat();
    const s = methods.map((m) => schemaFor(m, r.url)).find((x) => x !== undefined);
    if (s) {
      // The table's word wins, also over a plugin's own (bull-board hides its page from documents).
      const { hide: _hidden, ...own } = (r.schema ?? {}) as FastifySchema & { hide?: boolean };
      r.schema = { ...own, ...runtimeSchema(s) };
      return;
    }
    if (methods.every((m) => m === 'HEAD' || m === 'OPTIONS') || isInternal(r.url)) return;
    unlisted.push(...methods.map((m) => routeKey(m, r.url)));
  });
}

export async function mountOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'grif stamping service',
        version: '1',
        description:
          'Intake of classified carriers exchanged between the Republic of Kazakhstan and the Kyrgyz Republic: upload a carrier, ' +
          'follow it through extraction, detection and stamping, download the stamped PDF and its receipt, decide carriers held for review, ' +
          'and read the register (Art. 6.2). Every route but GET /livez, GET /readyz and the web page (/ and its files under /web/) needs a bearer token ' +
          "in the Authorization header: the service's (an admin), or a user's own (grif users add NAME --role clerk|reviewer|admin), with which review " +
          "decisions are recorded under that user's name. Clerks upload and read; reviewers also decide reviews; admins also retry carriers and read " +
          '/metrics and the read-only queue dashboard. A route the role may not use answers 403; a request from a page of another site, 403. ' +
          'A request that does not match its schema answers 400 naming the field.',
      },
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      tags: [{ name: 'carriers' }, { name: 'review' }, { name: 'register' }, { name: 'after intake', description: 'Receipt confirmed (Art. 5.3), levels changed on notice (Art. 6.3)' }, { name: 'copies, return, destruction', description: 'Copies with permission, return and destruction on notice (Art. 6.4), the inventory (Art. 6.2)' }, { name: 'operations' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: "GRIF_TOKEN, or the token grif up printed at start (DIR/http.token); or a user's own, from grif users add (DIR/users.json)",
          },
        },
      },
    },
    // Routes without tags (the page's files, the dashboard's assets and API) are not the API.
    hideUntagged: true,
    // A streamed multipart body is documented from the table, though Fastify does not validate it.
    transform: ({ schema, url, route }) => {
      const s = [route.method].flat().map((m) => schemaFor(m, url)).find((x) => x !== undefined);
      // The dashboard's page answers at /queues and /queues/ (a prefixed '/'); the document names it once.
      return { schema: s && streamed(s) ? ({ ...schema, body: s.body, consumes: s.consumes } as typeof schema) : schema, url: url.length > 1 ? url.replace(/\/$/, '') : url };
    },
  });
}
