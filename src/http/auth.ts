/**
 * Who may call the service: the service's bearer token (GRIF_TOKEN or DIR/http.token), or a
 * user's own token from DIR/users.json (src/http/users.ts). Every route but GET /livez, /readyz and the
 * web page's files asks for one. Tokens are compared in constant time (both sides hashed to 32
 * bytes, then timingSafeEqual), so neither their content nor their length leaks through timing.
 * The request then carries who it came from (`req.identity`): the service, or a named user. The
 * queue dashboard is opened by a browser, which cannot send a header when navigating: there the
 * token may come once as `?token=`, and a cookie (HttpOnly, SameSite=Strict) carries it from then
 * on.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GrifError } from '../errors.js';
import { rolesFor, type Role } from './roles.js';
import { newToken, tokenDigest, type UserStore } from './users.js';

/** Who sent a request: the holder of the service's token (an admin), or a user by their own token, with their role. */
export type Identity = { readonly kind: 'service'; readonly name: null; readonly role: 'admin' } | { readonly kind: 'user'; readonly name: string; readonly role: Role };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; null on the routes open without a token. */
    identity: Identity | null;
  }
}

const SERVICE: Identity = { kind: 'service', name: null, role: 'admin' };

export const TOKEN_COOKIE = 'grif_token';
export const MIN_TOKEN_LENGTH = 16;
/** Where the token may come in the query string (and is then kept in the cookie). */
export const DASHBOARD_PREFIX = '/queues';

/** GRIF_TOKEN, else a random 32-byte base64url token (the caller prints it once). */
export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>): { token: string; generated: boolean } {
  const given = env['GRIF_TOKEN']?.trim();
  if (given) return { token: given, generated: false };
  return { token: newToken(), generated: true };
}

export function checkToken(token: string): void {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new GrifError(`the HTTP token must be at least ${MIN_TOKEN_LENGTH} characters long (set GRIF_TOKEN, or leave it unset to have one generated)`, {
      code: 'http/token',
      exitCode: 2,
    });
  }
}

/** A matcher for one token, in constant time. */
export function tokenMatcher(token: string): (candidate: string | undefined) => boolean {
  const expected = tokenDigest(token);
  return (candidate) => candidate !== undefined && timingSafeEqual(tokenDigest(candidate), expected);
}

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const pathOf = (url: string): string => url.split('?', 1)[0] ?? '';
const onDashboard = (url: string): boolean => {
  const p = pathOf(url);
  return p === DASHBOARD_PREFIX || p.startsWith(`${DASHBOARD_PREFIX}/`);
};

function queryToken(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined;
}

export function tokenCookie(token: string, secure: boolean): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Takes the token out of a URL before it is logged. */
export function withoutToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[withheld]');
}

/**
 * Whether a browser sent the request from a page of this service itself. Browsers say where a
 * request comes from (Sec-Fetch-Site, Origin) and a page cannot forge either; a client that is not
 * a browser sends neither, and has no ambient cookie to abuse.
 */
function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  return origin === undefined;
}

/**
 * The onRequest hook: who the request is from, then whether their role may use the route
 * (roles.ts), or 401/403. `open` lists the routes anyone may GET (`GET /livez`); `openPath`, the
 * paths of the web page's own files. `users`: the per-user tokens, if any.
 *
 * Credentials come in the Authorization header, which no other site can make a browser send. The
 * one exception is the queue dashboard, which a browser opens by navigating: there the token may
 * come once as `?token=`, and a cookie (HttpOnly, SameSite=Strict) carries it on, for GET and HEAD
 * on /queues only (the dashboard is read-only), and only from this service's own pages.
 */
export function authHook(token: string, open: readonly string[], openPath: (path: string) => boolean = () => false, users?: UserStore) {
  const matches = tokenMatcher(token);
  const identify = async (candidate: string | undefined): Promise<Identity | undefined> => {
    if (candidate === undefined) return undefined;
    const service = matches(candidate);
    const user = await users?.identify(candidate);
    if (service) return SERVICE;
    return user ? { kind: 'user', name: user.name, role: user.role } : undefined;
  };
  const refuse = (reply: FastifyReply, status: 401 | 403, error: string, code: string): FastifyReply => {
    void reply.status(status);
    if (status === 401) void reply.header('www-authenticate', 'Bearer realm="grif"');
    void reply.send({ error, code });
    return reply;
  };
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const path = pathOf(req.url);
    const pattern = req.routeOptions.url;
    if (reading && ((pattern !== undefined && open.includes(`GET ${pattern}`)) || openPath(path))) return undefined;
    // A browser page of another site gets nothing: not even an answer it could time.
    if (!sameOrigin(req) && (req.headers.origin !== undefined || !reading)) {
      return refuse(reply, 403, 'a request from a page of another site is refused', 'http/cross-origin');
    }
    let who = await identify(bearerOf(req));
    if (!who && reading && onDashboard(req.url) && sameOrigin(req)) {
      who = await identify(cookieOf(req.headers.cookie, TOKEN_COOKIE));
      if (!who) {
        const query = queryToken(req.url);
        who = await identify(query);
        if (who && query !== undefined) void reply.header('set-cookie', tokenCookie(query, req.protocol === 'https'));
      }
    }
    if (!who) return refuse(reply, 401, 'a valid token is needed: send the header "Authorization: Bearer <token>"', 'http/unauthorized');
    req.identity = who;
    // No route: the not-found handler answers (404), whoever asks.
    if (pattern === undefined) return undefined;
    const allowed = rolesFor(req.method, pattern);
    if (!allowed.includes(who.role)) {
      return refuse(
        reply,
        403,
        allowed.length
          ? `${who.name ?? 'this token'} is a ${who.role}: ${req.method} ${pattern} is for ${allowed.join(' or ')} (grif users add NAME --role …)`
          : `${req.method} ${pattern} is not open to anyone${onDashboard(req.url) ? ': the queue dashboard is read-only' : ''}`,
        'http/forbidden',
      );
    }
    return undefined;
  };
}
