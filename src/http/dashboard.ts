/**
 * The queue dashboard (bull-board) at /queues. It sits behind the same token as the rest (the
 * server's onRequest hook); @bull-board/fastify brings its own @fastify/static and @fastify/view
 * and registers them inside its own encapsulated scope.
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
    queues: STAGES.map((stage) => new BullMQAdapter(queues[stage])),
    // @bull-board/fastify pins its own copy of @bull-board/api, whose types are nominally distinct.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'grif' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PREFIX });
}
