/**
 * Who may do what over HTTP, as data: every route with the roles that may use it. A clerk uploads
 * carriers and follows them (status, downloads, previews, the register); a reviewer also decides
 * the carriers held for review; an admin also takes carriers again (retry), reads the metrics and
 * the queue dashboard. The service's shared token is an admin. A route missing from the table is
 * refused to everyone (fail closed), and the server will not start with one (server.ts).
 */
export const ROLES = ['clerk', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: unknown): s is Role => typeof s === 'string' && (ROLES as readonly string[]).includes(s);

const ALL: readonly Role[] = ROLES;
const REVIEWERS: readonly Role[] = ['reviewer', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

/** Open without a token: liveness and readiness, and the web page's own files (web.ts). */
export const OPEN_ROUTES: readonly string[] = ['GET /livez', 'GET /readyz'];

/** `METHOD /route/:pattern` → the roles that may call it. HEAD goes with GET. */
export const ROUTE_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'GET /me': ALL,
  'GET /openapi.json': ALL,
  'POST /carriers': ALL,
  'GET /carriers/:id': ALL,
  'GET /carriers/:id/pdf': ALL,
  'GET /carriers/:id/receipt': ALL,
  'GET /carriers/:id/preview/original.png': ALL,
  'GET /carriers/:id/preview/stamped.png': ALL,
  'GET /register': ALL,
  'GET /register/:id': ALL,
  'GET /register.csv': ALL,
  'GET /review': REVIEWERS,
  'POST /review/:id': REVIEWERS,
  'POST /carriers/:id/retry': ADMINS,
  // After intake: clerks confirm receipt; reviewers and admins record notices and re-mark.
  'GET /transfers': ALL,
  'POST /transfers/:ref/confirmation': ALL,
  'GET /outgoing/:year/:seq': ALL,
  'GET /notices': ALL,
  'POST /notices': REVIEWERS,
  'POST /carriers/:id/remark': REVIEWERS,
  // Art. 6.4 and 6.2: reviewers and admins copy, return and destroy; everyone reads the account.
  'POST /carriers/:id/copies': REVIEWERS,
  'GET /carriers/:id/copies/:number': REVIEWERS,
  'POST /returns': REVIEWERS,
  'POST /destructions': REVIEWERS,
  'GET /destructions/:act/pdf': REVIEWERS,
  'GET /inventory': ALL,
  'GET /metrics': ADMINS,
  // The queue dashboard (bull-board), read-only: its page, its assets and its API.
  'GET /queues': ADMINS,
  'GET /queues/*': ADMINS,
  // Its actions (clean, retry, pause, add, remove…): no one. A job's life is the register's to record.
  'POST /queues/*': [],
  'PUT /queues/*': [],
  'PATCH /queues/*': [],
};

/** The key of a request's route in ROUTE_ROLES: its method (HEAD as GET) and its pattern. */
export function routeKey(method: string, pattern: string): string {
  const m = method === 'HEAD' ? 'GET' : method;
  if (pattern === '/queues/' || pattern.startsWith('/queues/')) return `${m} /queues/*`;
  return `${m} ${pattern}`;
}

/** The roles that may call a route; none for a route not in the table. */
export function rolesFor(method: string, pattern: string): readonly Role[] {
  return ROUTE_ROLES[routeKey(method, pattern)] ?? [];
}

/** What a role may do, for the web page (GET /me): it shows only these. */
export function abilitiesOf(role: Role): { review: boolean; retry: boolean; dashboard: boolean; metrics: boolean; notices: boolean; disposal: boolean } {
  return {
    review: rolesFor('POST', '/review/:id').includes(role),
    notices: rolesFor('POST', '/notices').includes(role),
    disposal: rolesFor('POST', '/destructions').includes(role),
    retry: rolesFor('POST', '/carriers/:id/retry').includes(role),
    dashboard: rolesFor('GET', '/queues').includes(role),
    metrics: rolesFor('GET', '/metrics').includes(role),
  };
}
