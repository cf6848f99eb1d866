/**
 * The HTTP intake (docs/service.md): clerks upload carriers, follow them, download the stamped
 * PDFs and receipts, decide carriers held for review, and read the register; operators get
 * /metrics, /openapi.json and the queue dashboard at /queues; clerks and reviewers have a web page
 * at / (src/http/web.ts). A bearer token guards all of it but GET /livez, /readyz and the page's own
 * files: the service's (an admin), or a user's own (DIR/users.json) with its role (roles.ts: what
 * each role may call), whose review decisions are then recorded under that user's name. Binds to loopback unless told otherwise.
 */
import { fastifyMultipart } from '@fastify/multipart';
import fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { GrifError } from '../errors.js';
import { statusOf, toCsv } from '../register/export.js';
import { formatIncoming } from '../register/incoming.js';
import type { RegisterEntry } from '../register/register.js';
import { searchRegister } from '../register/search.js';
import { localDay, pendingNotices } from '../service/notices.js';
import type { IntakeContext } from '../service/intake.js';
import type { ServiceMetrics } from '../service/metrics.js';
import { queueName, STAGES, type StageQueues } from '../service/queues.js';
import { decideReview, listReview, ReviewError, type Decision, type ReviewItem } from '../service/review.js';
import type { StageContext } from '../service/stages.js';
import { authHook, checkToken, DASHBOARD_PREFIX, withoutToken } from './auth.js';
import { abilitiesOf, OPEN_ROUTES, routeKey, ROUTE_ROLES } from './roles.js';
import { readiness } from './readiness.js';
import { afterIntakeRoutes } from './after-intake.js';
import { disposalRoutes } from './disposal.js';
import { carrierLink, carrierRoutes } from './carriers.js';
import { mountDashboard } from './dashboard.js';
import { errorHandler, HttpError } from './errors.js';
import type { DecisionBody, RegisterQueryValue } from './api-schema.js';
import { attachSchemas, mountOpenApi, validationError } from './openapi.js';
import { pageSizes, previewRoutes } from './preview.js';
import { actor } from './actor.js';
import { UserStore } from './users.js';
import { defaultWebDir, isWebAsset, mountWeb } from './web.js';

/** A register entry as the API gives it: its incoming number written as the registry writes it, and its status. */
function withNumber(e: RegisterEntry, format?: string): RegisterEntry & { incomingNumber: string; status: string } {
  return { ...e, incomingNumber: formatIncoming(e.incoming, format), status: statusOf(e) };
}

export { tokenFromEnv } from './auth.js';


export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8470;
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export interface HttpOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8470; 0: any free port. */
  port?: number;
  /** The bearer token (at least 16 characters). */
  token: string;
  /** Default 512 MiB. */
  maxUploadBytes?: number;
  /** The built web page (default: dist/web of this checkout). */
  webDir?: string;
  /** The receiving authority, for confirmations of receipt that do not name one (grif serve without workers: GRIF_AUTHORITY). */
  authority?: string;
  /**
   * The users file (DIR/users.json; src/http/users.ts): users' own tokens, besides the service's.
   * Read again whenever it changes; none when it is not there. Default: no users.
   */
  usersFile?: string;
}

export interface HttpDeps {
  intake: IntakeContext;
  metrics: ServiceMetrics;
  queues: StageQueues;
  /** Re-marking reads and writes PDFs: an extraction session of its own (none: POST /carriers/:id/remark answers 503). */
  stage?: StageContext;
  /** The receiving authority, for confirmations of receipt that do not name one (GRIF_AUTHORITY). */
  authority?: string;
}

export interface HttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  readonly app: FastifyInstance;
}

const QUEUE_STATES = ['wait', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * The decision in a request's body (its shape checked by the Decision schema), decided by whom
 * actor() says: a personal token's holder, or the "decidedBy" named with the service's token.
 */
function decisionOf(req: FastifyRequest<{ Body: DecisionBody }>): Decision {
  const b = req.body;
  const decidedBy = actor(req, b.decidedBy, 'decidedBy');
  if (b.reject === true) {
    if (b.level !== undefined) throw new ReviewError('a decision either sets a level or rejects, not both', 'review/invalid');
    return { reject: true, reference: b.reference, decidedBy };
  }
  if (b.level === undefined) throw new ReviewError('a decision must set a "level" (special-importance, top-secret or secret) or "reject": true', 'review/invalid');
  return { level: b.level, reference: b.reference, decidedBy };
}

/** Fastify's request log line, without the query string's token. */
const requestSerializer = (req: FastifyRequest) => ({ method: req.method, url: withoutToken(req.url), remoteAddress: req.ip });

export async function buildApp(deps: HttpDeps, opts: HttpOptions): Promise<FastifyInstance> {
  checkToken(opts.token);
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes <= 0) throw new GrifError('the upload limit must be a whole number of bytes above 0', { code: 'http/config', exitCode: 2 });
  const { intake, metrics, queues } = deps;
  const log = intake.log.child({ component: 'http' });
  const users = opts.usersFile
    ? new UserStore(opts.usersFile, (err) => log.error({ usersFile: opts.usersFile, err: err.message }, 'the users file cannot be used: no user token is accepted until it is fixed'))
    : undefined;
  // A users file that is there but broken stops the start, with the reason.
  await users?.open();

  const app = fastify({
    // The service's pino logger; Fastify logs requests (method, URL without a token), never bodies.
    loggerInstance: intake.log.child({ component: 'http' }, { serializers: { req: requestSerializer } }) as FastifyBaseLogger,
    // Uploads are multipart (their own limit below); JSON bodies are small decisions.
    bodyLimit: 64 * 1024,
    trustProxy: false,
    // On close, end every connection, not only idle ones: a download that finished just as the
    // service stops would otherwise hold shutdown for the keep-alive timeout.
    forceCloseConnections: true,
    // A request that does not match its route's schema (route-schemas.ts): 400, naming the field.
    schemaErrorFormatter: validationError,
  });
  app.setErrorHandler(errorHandler);
  // Every route must be in the roles table (roles.ts) or open, and have its schema
  // (route-schemas.ts): one left out would be refused to everyone at run time, or served
  // unchecked; better that the service does not start.
  const internal = (url: string) => url === '/index.html' || url.startsWith(`${DASHBOARD_PREFIX}/`) || url.startsWith('/web/') || (isWebAsset(url) && url !== '/');
  const unlisted: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = routeKey(method, r.url);
      if (!(key in ROUTE_ROLES) && !OPEN_ROUTES.includes(key) && !isWebAsset(r.url) && r.url !== '/' && r.url !== '/index.html' && !r.url.startsWith('/web/')) unlisted.push(key);
    }
  });
  const schemaless: string[] = [];
  attachSchemas(app, internal, schemaless);
  await mountOpenApi(app);
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: 'no such route (see /openapi.json)', code: 'http/not-found' }));
  app.decorateRequest('identity', null);
  app.addHook('onRequest', authHook(opts.token, OPEN_ROUTES, isWebAsset, users));
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    if (!req.url.startsWith(`${DASHBOARD_PREFIX}/static/`)) void reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: maxUploadBytes, fields: 16, fieldSize: 4096, parts: 32, headerPairs: 100 },
    // The route checks `truncated` and answers 413 itself.
    throwFileSizeLimit: false,
  });

  // Liveness: the process answers. Readiness: it can do its work (Redis, the register, the store, workers).
  app.get('/livez', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const r = await readiness({ intake, queues });
    return reply.status(r.ready ? 200 : 503).send(r);
  });

  // Who the token is: a user by name and role, or the service (an admin, whose callers name
  // themselves in decisions); and what the role may do, so the page shows only that.
  app.get('/me', async (req) => {
    const role = req.identity?.role ?? 'admin';
    return { name: req.identity?.name ?? null, kind: req.identity?.kind ?? 'service', role, may: abilitiesOf(role) };
  });

  carrierRoutes(app, { intake, queues }, maxUploadBytes);
  afterIntakeRoutes(app, { intake, ...(deps.stage ? { stage: deps.stage } : {}), ...(deps.authority ? { authority: deps.authority } : {}) });
  disposalRoutes(app, { intake, ...(deps.stage ? { stage: deps.stage } : {}), ...(deps.authority ? { authority: deps.authority } : {}) });
  previewRoutes(app, intake);

  // The carriers still waiting for a person, as the register says, each with its pages' sizes in
  // the units of its stamps' boxes (to outline them).
  app.get('/review', async () => {
    const waiting: (ReviewItem & { pageSizes: Awaited<ReturnType<typeof pageSizes>> })[] = [];
    for (const item of await listReview(intake)) waiting.push({ ...item, pageSizes: await pageSizes(intake.dir, item.carrierId) });
    return { items: waiting };
  });

  app.post<{ Params: { id: string }; Body: DecisionBody }>('/review/:id', async (req, reply) => {
    const id = req.params.id;
    const decision = decisionOf(req);
    const { status } = await decideReview(intake, id, decision);
    req.log.info({ carrierId: id, status, decidedBy: decision.decidedBy, by: req.identity?.kind ?? 'service' }, 'review decided');
    return reply.status(202).send({ status, carrierId: id, links: { self: carrierLink(id) } });
  });

  app.get<{ Querystring: RegisterQueryValue }>('/register', async (req) => {
    const search = req.query.search?.trim();
    const options = { ...(search ? { search } : {}), limit: req.query.limit, offset: req.query.offset };
    const found = await searchRegister(intake.register, options);
    return { ...found, entries: found.entries.map((e) => withNumber(e, intake.incomingFormat)), limit: options.limit, offset: options.offset };
  });

  app.get<{ Params: { id: string } }>('/register/:id', async (req) => {
    const id = req.params.id;
    const entry = await intake.register.carrier(id);
    if (!entry) throw new HttpError('not-found', `${id}: no such carrier in the register`);
    return withNumber(entry, intake.incomingFormat);
  });

  app.get<{ Querystring: { search?: string } }>('/register.csv', async (req, reply) => {
    const search = req.query.search?.trim();
    // A byte-order mark first: spreadsheet programs otherwise read the Cyrillic as another code page.
    const csv = '\uFEFF' + toCsv((await searchRegister(intake.register, search ? { search } : {})).entries, intake.incomingFormat);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="grif-register.csv"').send(csv);
  });

  // Deadlines run in days: the register is read whole for them at most once a minute, not at every scrape.
  let overdue = { at: -Infinity, count: 0 };
  app.get('/metrics', async (_req, reply) => {
    if (Date.now() - overdue.at >= 60_000) {
      overdue = { at: Date.now(), count: (await pendingNotices(intake.register, localDay())).filter((p) => p.overdue).length };
    }
    metrics.noticesOverdue.set(overdue.count);
    for (const stage of STAGES) {
      const counts = await queues[stage].getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) metrics.queueDepth.set({ queue: queueName(stage), state }, counts[state] ?? 0);
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/openapi.json', async () => app.swagger());

  await mountDashboard(app, queues);
  await mountWeb(app, opts.webDir ?? defaultWebDir());
  await app.ready();
  if (unlisted.length) throw new GrifError(`routes missing from the roles table (src/http/roles.ts): ${unlisted.join(', ')}`, { code: 'internal' });
  if (schemaless.length) throw new GrifError(`routes without a schema (src/http/route-schemas.ts): ${schemaless.join(', ')}`, { code: 'internal' });
  return app;
}

export async function startHttp(deps: HttpDeps, opts: HttpOptions): Promise<HttpServer> {
  const app = await buildApp(deps, opts);
  const host = opts.host ?? DEFAULT_HTTP_HOST;
  try {
    await app.listen({ host, port: opts.port ?? DEFAULT_HTTP_PORT });
  } catch (err) {
    await app.close().catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
      throw new GrifError(`cannot listen on ${host}:${opts.port ?? DEFAULT_HTTP_PORT} (${e.code}): choose another --port or --host`, { code: 'http/listen', cause: err });
    }
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? DEFAULT_HTTP_PORT);
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    app,
    close: () => app.close(),
  };
}
