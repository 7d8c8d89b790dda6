import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { newId } from './platform/ids.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import type { EventBus } from './platform/events/bus.ts';
import type { SseHub } from './platform/events/sse.ts';
import { registerAuthHook } from './platform/http/auth-hook.ts';
import { registerProblemHandlers } from './platform/http/problem.ts';
import './platform/http/types.ts';
import { validatorCompiler } from './platform/http/validation.ts';
import type { Metrics } from './platform/metrics.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { itemRoutes } from './modules/items/item.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { webRoutes } from './modules/system/web.routes.ts';
import type { Logger } from 'pino';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  readonly sse: SseHub;
  readonly log?: Logger;
  readonly version?: string;
}

export type App = FastifyInstance;

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** Builds the HTTP application; listening is the caller's business (main.ts, tests use inject()). */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger | undefined,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerProblemHandlers(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(compress, { threshold: 1024 });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Takt API',
        version: deps.version ?? '0.1.0',
        description:
          'Production management API. Errors are RFC 9457 problem+json with a stable `code`. Lists use cursor pagination.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'takt_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuthHook(app, db, config.secureCookies);

  await app.register(systemRoutes, deps);
  await app.register(authRoutes, { ...deps, prefix: '/api/v1/auth' });
  await app.register(
    async (api) => {
      api.get(
        '/events',
        {
          config: { permission: 'authenticated' },
          schema: {
            tags: ['events'],
            summary: 'Live domain events (Server-Sent Events), filtered by topic',
            querystring: {
              type: 'object',
              properties: { topics: { type: 'string', maxLength: 500 } },
              additionalProperties: false,
            },
          },
        },
        async (request, reply) => {
          await deps.sse.handle(request, reply, (request.query as { topics?: string }).topics);
        },
      );
    },
    { prefix: '/api/v1' },
  );
  await app.register(adminRoutes, { ...deps, prefix: '/api/v1/admin' });
  await app.register(itemRoutes, { ...deps, prefix: '/api/v1/items' });
  await app.register(webRoutes, deps);

  return app;
}
