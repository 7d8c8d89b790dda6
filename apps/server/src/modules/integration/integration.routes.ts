import { IntegrationMonitor } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { webhookRoutes } from '../webhooks/webhook.routes.ts';
import { integrationMonitor } from './monitor.service.ts';

/** `/api/v1/integration`: monitor, webhooks, reconciliation. */
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
}
