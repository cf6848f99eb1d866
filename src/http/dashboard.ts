/**
 * The queue dashboard (bull-board) at /queues, for admins (roles.ts), read-only: it shows the
 * queues and jobs but changes nothing (a job's life is the register's to record; grif retry takes a
 * carrier again). The server refuses every request but GET and HEAD under /queues as well, so the
 * UI's mode is not the only guard. Nothing is fetched from elsewhere: the page's link to a web font
 * is taken out and a Content-Security-Policy allows this service alone. @bull-board/fastify brings
 * its own @fastify/static and @fastify/view and registers them inside its own encapsulated scope.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { STAGES, type StageQueues } from '../service/queues.js';
import { DASHBOARD_PREFIX } from './auth.js';

export async function mountDashboard(app: FastifyInstance, queues: StageQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PREFIX);
  createBullBoard({
    queues: STAGES.map((stage) => new BullMQAdapter(queues[stage], { readOnlyMode: true, allowRetries: false })),
    // @bull-board/fastify pins its own copy of @bull-board/api, whose types are nominally distinct.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'grif' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PREFIX });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith(DASHBOARD_PREFIX)) return payload;
    void reply.header('content-security-policy', DASHBOARD_CSP);
    if (typeof payload === 'string' && /^text\/html/.test(String(reply.getHeader('content-type') ?? ''))) return withoutRemoteLinks(payload);
    return payload;
  });
}

/** Only this service: scripts, styles, fonts, images and API calls alike (bull-board's page has inline parts). */
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** bull-board's page without its links to resources elsewhere (a web font): the browser would not load them anyway. */
export function withoutRemoteLinks(html: string): string {
  return html.replace(/<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>\s*/gi, '');
}
