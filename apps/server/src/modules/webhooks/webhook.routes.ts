import {
  IdParams,
  Problem,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  type WebhookDeliveryQuery,
  WebhookDeliveryQuery as DeliveryQuery,
  WebhookReplayRange,
  WebhookReplayResult,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionList,
  WebhookSubscriptionUpdate,
  WebhookSubscriptionWithSecret,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as query from './webhook.query.ts';
import * as service from './webhook.service.ts';

const tags = ['integration'];
const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

/** Outbound webhook subscriptions (Standard Webhooks), their delivery log and replays. */
export async function webhookRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  app.get(
    '/subscriptions',
    {
      config: { permission: 'integration:read' },
      schema: { tags, summary: 'Webhook subscriptions', response: { 200: WebhookSubscriptionList } },
    },
    async () => service.listSubscriptions(db),
  );
  app.post(
    '/subscriptions',
    {
      config: { permission: 'integration:create' },
      schema: {
        tags,
        summary: 'Subscribe an endpoint to events; the signing secret is in this response only',
        body: WebhookSubscriptionCreate,
        response: { 201: WebhookSubscriptionWithSecret, 400: Problem },
      },
    },
    async (request, reply) => {
      const sub = await service.createSubscription(
        db,
        request.ctx,
        request.body as WebhookSubscriptionCreate,
      );
      return reply
        .status(201)
        .header('location', `/api/v1/integration/webhooks/subscriptions/${sub.id}`)
        .send(sub);
    },
  );
  app.get(
    '/subscriptions/:id',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'One subscription',
        params: IdParams,
        response: { 200: WebhookSubscription, 404: Problem },
      },
    },
    async (request) => service.getSubscription(db, idOf(request)),
  );
  app.patch(
    '/subscriptions/:id',
    {
      config: { permission: 'integration:update' },
      schema: {
        tags,
        summary: 'Change a subscription; `active: true` re-enables one disabled after failures',
        params: IdParams,
        body: WebhookSubscriptionUpdate,
        response: { 200: WebhookSubscription, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.updateSubscription(db, request.ctx, idOf(request), request.body as WebhookSubscriptionUpdate),
  );
  app.delete(
    '/subscriptions/:id',
    {
      config: { permission: 'integration:delete' },
      schema: {
        tags,
        summary: 'Delete a subscription and its log',
        params: IdParams,
        response: { 204: { type: 'null' }, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteSubscription(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
  app.post(
    '/subscriptions/:id/rotate-secret',
    {
      config: { permission: 'integration:update' },
      schema: {
        tags,
        summary: 'New signing secret; the previous one keeps signing beside it for 24 hours',
        params: IdParams,
        response: { 200: WebhookSubscriptionWithSecret, 404: Problem },
      },
    },
    async (request) => service.rotateSecret(db, request.ctx, idOf(request)),
  );
  app.post(
    '/subscriptions/:id/replay',
    {
      config: { permission: 'integration:execute' },
      schema: {
        tags,
        summary: "Send the subscription's events in a sequence range again (same webhook-id)",
        params: IdParams,
        body: WebhookReplayRange,
        response: { 200: WebhookReplayResult, 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      service.replayRange(db, request.ctx, idOf(request), request.body as WebhookReplayRange),
  );
  app.get(
    '/deliveries',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary: 'Deliveries, newest first',
        querystring: DeliveryQuery,
        response: { 200: WebhookDeliveryPage },
      },
    },
    async (request) => query.listDeliveries(db, request.query as WebhookDeliveryQuery),
  );
  app.get(
    '/deliveries/:id',
    {
      config: { permission: 'integration:read' },
      schema: {
        tags,
        summary:
          'One delivery with its payload and every attempt (request headers, status, response, duration)',
        params: IdParams,
        response: { 200: WebhookDeliveryDetail, 404: Problem },
      },
    },
    async (request) => query.getDelivery(db, idOf(request)),
  );
  app.post(
    '/deliveries/:id/replay',
    {
      config: { permission: 'integration:execute' },
      schema: {
        tags,
        summary: 'Send a delivered or dead delivery again',
        params: IdParams,
        response: { 200: WebhookDelivery, 404: Problem, 409: Problem },
      },
    },
    async (request) => query.replayDelivery(db, request.ctx, idOf(request)),
  );
}
