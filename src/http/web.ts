/**
 * The clerks' web page (web/, built to dist/web/ by `npm run build`): index.html at `/`, its
 * scripts, style and dictionaries under /web/. These files hold no data and load without the
 * token: the page shows the sign-in form, and every API call it makes sends the token as a
 * bearer header. Nothing is fetched from elsewhere (the Content-Security-Policy says so).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastifyStatic } from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_PREFIX = '/web/';

/** Only our own files; images may be blobs (previews fetched with the token) or data: URLs. */
export const PAGE_CSP = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/web of this checkout: found from this module upwards (src/http when run from source, dist/src/http when built). */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'web');
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>grif</title>
<p>The web page of grif is not built here: run <code>npm run build</code>, then restart the service.
The API answers as usual (see <a href="/openapi.json">/openapi.json</a>, with the token).</p></html>`;

/** Whether a path is one of the page's own files (open without a token). */
export function isWebAsset(path: string): boolean {
  return path === '/' || path === '/index.html' || (path.startsWith(WEB_PREFIX) && !path.includes('..') && !/%2e|%2f|%5c/i.test(path));
}

export async function mountWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const built = existsSync(join(webDir, 'index.html'));
  const index = async () => (built ? readFile(join(webDir, 'index.html'), 'utf8') : NOT_BUILT);
  for (const path of ['/', '/index.html']) {
    app.get(path, async (_req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(await index()));
  }
  if (!built) return;
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: WEB_PREFIX,
    // bull-board registers its own @fastify/static inside /queues; both decorating replies would clash.
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    wildcard: true,
  });
}
