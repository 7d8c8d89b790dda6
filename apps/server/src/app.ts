import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import type { EventBus } from './platform/events/bus.ts';
import type { SseHub } from './platform/events/sse.ts';
import { registerAuthHook } from './platform/http/auth-hook.ts';
import {
  ReadCache,
  registerReadCacheKeeper,
  registerReadCacheCompressed,
  registerReadCacheLookup,
} from './platform/readmodel/read-cache.ts';
import { timeOrderedId } from './platform/http/request-id.ts';
import { lazyRequestLogger } from './platform/logger.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { registerRequestLog } from './modules/integration/request-log.writer.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { registerProblemHandlers } from './platform/http/problem.ts';
import './platform/http/types.ts';
import { validatorCompiler } from './platform/http/validation.ts';
import type { Metrics } from './platform/metrics.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { inventoryRoutes } from './modules/inventory/inventory.routes.ts';
import { salesOrderRoutes } from './modules/sales/salesorder.routes.ts';
import { itemRoutes } from './modules/items/item.routes.ts';
import { itemImportRoutes } from './modules/imports/import.routes.ts';
import { sheetRoutes } from './modules/imports/sheet.routes.ts';
import { changeRoutes } from './modules/integration/changes.routes.ts';
import { integrationRoutes } from './modules/integration/integration.routes.ts';
import { reconciliationRoutes } from './modules/reconciliation/recon.routes.ts';
import { notificationRoutes } from './modules/notifications/notify.routes.ts';
import { wireModules } from './modules/wiring.ts';
import { exceptionRoutes } from './modules/exceptions/exception.routes.ts';
import { inspectionRoutes } from './modules/quality/inspection.routes.ts';
import { payRoutes } from './modules/pay/pay.routes.ts';
import { floorRoutes } from './modules/shopfloor/floor.routes.ts';
import { workOrderRoutes } from './modules/production/workorder.routes.ts';
import { alertRoutes, operationRoutes, shopfloorRoutes } from './modules/shopfloor/shopfloor.routes.ts';
import { customerRoutes } from './modules/customers/customer.routes.ts';
import { employeeRoutes } from './modules/employees/employee.routes.ts';
import { masterdataRoutes } from './modules/masterdata/masterdata.routes.ts';
import { supplierRoutes } from './modules/suppliers/supplier.routes.ts';
import { toolRoutes } from './modules/tools/tool.routes.ts';
import { warehouseRoutes } from './modules/warehouses/warehouse.routes.ts';
import { bomRoutes } from './modules/boms/bom.routes.ts';
import { calendarRoutes } from './modules/calendars/calendar.routes.ts';
import { routingRoutes } from './modules/routings/routing.routes.ts';
import { purchaseOrderRoutes } from './modules/purchasing/purchaseorder.routes.ts';
import { mrpRoutes } from './modules/mrp/mrp.routes.ts';
import { schedulingRoutes } from './modules/scheduling/scheduling.routes.ts';
import { machineRoutes } from './modules/workcenters/machine.routes.ts';
import { workCenterRoutes } from './modules/workcenters/workcenter.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { webRoutes } from './modules/system/web.routes.ts';
import { performanceRoutes } from './modules/system/performance.routes.ts';
import { archiveRoutes } from './modules/archive/archive.routes.ts';
import { reportRoutes } from './modules/reports/reports.routes.ts';
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
  wireModules();
  const { config, db, metrics } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger | undefined,
    bodyLimit: 1024 * 1024,
    // One log line per request, written when it completes (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : timeOrderedId();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  registerProblemHandlers(app);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', String(request.id));
    done();
  });
  const log = deps.log;
  app.addHook('onResponse', (request, reply, done) => {
    const elapsed = reply.elapsedTime;
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, elapsed);
    // Written by the root logger with the request id, as the request's own child would, without
    // binding a child for it.
    if (log?.isLevelEnabled('info')) {
      log.info(
        {
          reqId: request.id,
          req: { method: request.method, url: request.url, remoteAddress: request.ip },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(elapsed * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });

  const security = registerSecurityHeaders(app, {
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
  const readCache =
    config.readCacheTtlMs > 0 ? new ReadCache(db.versions, { ttlMs: config.readCacheTtlMs }) : null;
  // Before compression: the plain body is what is kept.
  if (readCache) registerReadCacheKeeper(app, readCache);
  await app.register(compress, { threshold: 1024 });
  // After compression: keeps what it made of kept answers.
  if (readCache) registerReadCacheCompressed(app);
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

  registerAuthHook(app, db, config.secureCookies, config.userRateLimit);
  if (readCache) registerReadCacheLookup(app, readCache, db);
  registerIdempotency(app, db);
  registerRequestLog(app, db, deps.log, { bodyBytes: config.requestLogBodyBytes });

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
          // The stream writes its head on the raw response, past the reply's headers.
          security.applyRaw(reply.raw);
          await deps.sse.handle(request, reply, (request.query as { topics?: string }).topics);
        },
      );
    },
    { prefix: '/api/v1' },
  );
  await app.register(adminRoutes, { ...deps, prefix: '/api/v1/admin' });
  await app.register(identityRoutes, { ...deps, prefix: '/api/v1/identity' });
  await app.register(itemRoutes, { ...deps, prefix: '/api/v1/items' });
  await app.register(itemImportRoutes, { ...deps, prefix: '/api/v1/items' });
  await app.register(sheetRoutes, deps);
  await app.register(customerRoutes, { ...deps, prefix: '/api/v1/customers' });
  await app.register(supplierRoutes, { ...deps, prefix: '/api/v1/suppliers' });
  await app.register(warehouseRoutes, { ...deps, prefix: '/api/v1/warehouses' });
  await app.register(employeeRoutes, { ...deps, prefix: '/api/v1/employees' });
  await app.register(toolRoutes, { ...deps, prefix: '/api/v1/tools' });
  await app.register(masterdataRoutes, { ...deps, prefix: '/api/v1/masterdata' });
  await app.register(inventoryRoutes, { ...deps, prefix: '/api/v1/inventory' });
  await app.register(workOrderRoutes, { ...deps, prefix: '/api/v1/work-orders' });
  await app.register(operationRoutes, { ...deps, prefix: '/api/v1/operations' });
  await app.register(shopfloorRoutes, { ...deps, prefix: '/api/v1/shopfloor' });
  await app.register(alertRoutes, { ...deps, prefix: '/api/v1/alerts' });
  await app.register(changeRoutes, { ...deps, prefix: '/api/v1/changes' });
  await app.register(integrationRoutes, { ...deps, prefix: '/api/v1/integration' });
  await app.register(reconciliationRoutes, { ...deps, prefix: '/api/v1/integration/reconciliation' });
  await app.register(notificationRoutes, { ...deps, prefix: '/api/v1/integration/alerts' });
  await app.register(exceptionRoutes, { ...deps, prefix: '/api/v1/exceptions' });
  await app.register(inspectionRoutes, { ...deps, prefix: '/api/v1/quality/inspections' });
  await app.register(payRoutes, { ...deps, prefix: '/api/v1/shopfloor' });
  await app.register(floorRoutes, { ...deps, prefix: '/api/v1/shopfloor' });
  await app.register(salesOrderRoutes, { ...deps, prefix: '/api/v1/sales-orders' });
  await app.register(calendarRoutes, { ...deps, prefix: '/api/v1/calendars' });
  await app.register(workCenterRoutes, { ...deps, prefix: '/api/v1/work-centers' });
  await app.register(machineRoutes, { ...deps, prefix: '/api/v1/machines' });
  await app.register(bomRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(routingRoutes, { ...deps, prefix: '/api/v1/routings' });
  await app.register(purchaseOrderRoutes, { ...deps, prefix: '/api/v1/purchase-orders' });
  await app.register(mrpRoutes, { ...deps, prefix: '/api/v1/mrp' });
  await app.register(schedulingRoutes, { ...deps, prefix: '/api/v1/scheduling' });
  await app.register(performanceRoutes, { ...deps, prefix: '/api/v1/system' });
  await app.register(archiveRoutes, { ...deps, prefix: '/api/v1/archive' });
  await app.register(reportRoutes, { ...deps, prefix: '/api/v1/reports' });
  await app.register(webRoutes, deps);

  return app;
}
