/**
 * Who may call the service: the service's bearer token (GRIF_TOKEN or DIR/http.token), or a
 * user's own token from DIR/users.json (src/http/users.ts). Every route but GET /healthz and the
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
import { newToken, tokenDigest, type UserStore } from './users.js';

/** Who sent a request: the holder of the service's token, or a user by their own token. */
export type Identity = { readonly kind: 'service'; readonly name: null } | { readonly kind: 'user'; readonly name: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; null on the routes open without a token. */
    identity: Identity | null;
  }
}

const SERVICE: Identity = { kind: 'service', name: null };

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
 * The onRequest hook: lets the request on with its identity, or answers 401. `open` lists the
 * paths GET and HEAD may reach without a token: exact paths, or a predicate (the web page's own
 * files). `users`: the per-user tokens, if any.
 */
export function authHook(token: string, open: readonly string[], openPath: (path: string) => boolean = () => false, users?: UserStore) {
  const matches = tokenMatcher(token);
  const identify = async (candidate: string | undefined): Promise<Identity | undefined> => {
    if (candidate === undefined) return undefined;
    const service = matches(candidate);
    const user = await users?.identify(candidate);
    if (service) return SERVICE;
    return user ? { kind: 'user', name: user.name } : undefined;
  };
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const path = pathOf(req.url);
      if (open.includes(path) || openPath(path)) return undefined;
    }
    const bearer = bearerOf(req);
    const cookie = cookieOf(req.headers.cookie, TOKEN_COOKIE);
    const who = (await identify(bearer)) ?? (await identify(cookie));
    if (who) {
      req.identity = who;
      return undefined;
    }
    if (onDashboard(req.url)) {
      const query = queryToken(req.url);
      const byQuery = await identify(query);
      if (byQuery && query !== undefined) {
        req.identity = byQuery;
        void reply.header('set-cookie', tokenCookie(query, req.protocol === 'https'));
        return undefined;
      }
    }
    void reply
      .status(401)
      .header('www-authenticate', 'Bearer realm="grif"')
      .send({ error: 'a valid token is needed: send the header "Authorization: Bearer <token>"', code: 'http/unauthorized' });
    return reply;
  };
}
