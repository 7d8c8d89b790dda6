import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';

/**
 * The HTTP surface of a `TAKT_ROLE=worker` process: liveness, readiness and Prometheus metrics only,
 * so the orchestrator and the scraper can watch it while it serves no API.
 */
export async function buildOpsApp(deps: {
  db: Db;
  metrics: Metrics;
  log?: Logger;
}): Promise<FastifyInstance> {
  const { db, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger | undefined,
    disableRequestLogging: true,
  });
  app.get('/health', async () => ({ status: 'ok', role: 'worker' }));
  app.get('/ready', async (_request, reply) => {
    try {
      const pending = await db.pendingMigrations();
      if (pending.length === 0) return { status: 'ready', database: db.dialect, role: 'worker' };
      reply.code(503).type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Not ready',
        status: 503,
        code: 'NOT_READY',
        detail: `Migrations not applied: ${pending.join(', ')}`,
      };
    } catch {
      reply.code(503).type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Not ready',
        status: 503,
        code: 'NOT_READY',
        detail: 'The database is not reachable',
      };
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  return app;
}
