import { IntegrationMonitor } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { webhookRoutes } from '../webhooks/webhook.routes.ts';
import { integrationMonitor } from './monitor.service.ts';
import { requestLogRoutes } from './request-log.routes.ts';
import { inboundRoutes } from './inbound.routes.ts';

/** `/api/v1/integration`: monitor, webhooks, request log, inbound business APIs. */
export async function integrationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/monitor',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags: ['integration'],
        summary:
          'Webhook success rates (24 h), backlogs, last errors, broker status, outbox lag, API token use',
        response: { 200: IntegrationMonitor },
      },
    },
    async () => integrationMonitor(deps.db, deps.config.brokerUrl),
  );
  await app.register(webhookRoutes, { ...deps, prefix: '/webhooks' });
  await app.register(requestLogRoutes, { ...deps, prefix: '/requests' });
  await app.register(inboundRoutes, { ...deps, prefix: '/inbound' });
}
