import { PerformanceReport } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { performanceReport } from './performance.service.ts';

/** Performance figures of the answering process (administrators). */
export async function performanceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/performance',
    {
      config: { permission: 'admin:read' },
      schema: {
        tags: ['system'],
        summary:
          'Recent latency per route, slow queries, job backlog, outbox lag, pool, event loop and memory of the answering process',
        response: { 200: PerformanceReport },
      },
    },
    async () => performanceReport(deps),
  );
}
