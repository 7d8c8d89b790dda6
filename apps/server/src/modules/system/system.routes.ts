import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { sendProblem } from '../../platform/http/problem.ts';

/** Liveness, readiness, metrics, OpenAPI and build facts. */
export async function systemRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, metrics } = deps;
  const hide = { hide: true } as const;

  app.get('/health', { config: { public: true }, schema: { ...hide } }, async () => ({ status: 'ok' }));

  app.get('/ready', { config: { public: true }, schema: { ...hide } }, async (request, reply) => {
    try {
      const pending = await db.pendingMigrations();
      if (pending.length > 0) {
        return sendProblem(request, reply, 503, 'NOT_READY', `Migrations not applied: ${pending.join(', ')}`);
      }
      return { status: 'ready', database: db.dialect };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return sendProblem(request, reply, 503, 'NOT_READY', 'The database is not reachable');
    }
  });

  app.get('/metrics', { config: { public: true }, schema: { ...hide } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { ...hide } }, async () => app.swagger());

  app.get(
    '/api/v1/meta',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Product name, version and the database in use',
        response: {
          200: Type.Object({
            name: Type.String(),
            version: Type.String(),
            database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
            demo: Type.Boolean(),
          }),
        },
      },
    },
    async () => ({
      name: 'Takt',
      version: deps.version ?? '0.1.0',
      database: db.dialect,
      demo: deps.config.demo,
    }),
  );
}
