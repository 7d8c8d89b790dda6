import {
  AlertChannel,
  AlertChannelCreate,
  AlertChannelUpdate,
  AlertNotification,
  AlertNotificationPage,
  AlertNotificationQuery,
  AlertRule,
  AlertRuleCreate,
  AlertRuleUpdate,
  IdParams,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as channels from './channel.service.ts';
import * as rules from './rule.service.ts';

const tags = ['integration'];
const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;
const ChannelList = Type.Object({ items: Type.Array(AlertChannel) });
const RuleList = Type.Object({ items: Type.Array(AlertRule) });
const NoContent = { type: 'null' } as const;

/** `/api/v1/integration/alerts`: channels (chat robots, webhooks), routing rules and the notification log. */
export async function notificationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const read = { permission: 'integration:read' };
  app.get(
    '/channels',
    {
      config: read,
      schema: {
        tags,
        summary: 'Alert channels (secrets are never returned)',
        response: { 200: ChannelList },
      },
    },
    async () => channels.listChannels(db),
  );
  app.post(
    '/channels',
    {
      config: { permission: 'integration:create' },
      schema: {
        tags,
        summary: 'Add a channel: WeCom, DingTalk or Feishu group robot, generic webhook, or in-app',
        body: AlertChannelCreate,
        response: { 201: AlertChannel, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const ch = await channels.createChannel(db, request.ctx, request.body as AlertChannelCreate);
      return reply.status(201).header('location', `/api/v1/integration/alerts/channels/${ch.id}`).send(ch);
    },
  );
  app.get(
    '/channels/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One channel',
        params: IdParams,
        response: { 200: AlertChannel, 404: Problem },
      },
    },
    async (request) => channels.getChannel(db, idOf(request)),
  );
  app.patch(
    '/channels/:id',
    {
      config: { permission: 'integration:update' },
      schema: {
        tags,
        summary: 'Change a channel; `secret: null` stops signing',
        params: IdParams,
        body: AlertChannelUpdate,
        response: { 200: AlertChannel, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      channels.updateChannel(db, request.ctx, idOf(request), request.body as AlertChannelUpdate),
  );
  app.delete(
    '/channels/:id',
    {
      config: { permission: 'integration:delete' },
      schema: {
        tags,
        summary: 'Delete a channel, its rules and its log',
        params: IdParams,
        response: { 204: NoContent, 404: Problem },
      },
    },
    async (request, reply) => {
      await channels.deleteChannel(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
  app.post(
    '/channels/:id/test',
    {
      config: { permission: 'integration:execute' },
      schema: {
        tags,
        summary: 'Send a test message now and return how it went',
        params: IdParams,
        response: { 200: AlertNotification, 404: Problem },
      },
    },
    async (request) => channels.testChannel(db, request.ctx, idOf(request)),
  );
  app.get(
    '/rules',
    { config: read, schema: { tags, summary: 'Alert routing rules', response: { 200: RuleList } } },
    async () => rules.listRules(db),
  );
  app.post(
    '/rules',
    {
      config: { permission: 'integration:create' },
      schema: {
        tags,
        summary: 'Route alerts of a kind pattern and minimum severity to a channel',
        body: AlertRuleCreate,
        response: { 201: AlertRule, 400: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await rules.createRule(db, request.ctx, request.body as AlertRuleCreate)),
  );
  app.patch(
    '/rules/:id',
    {
      config: { permission: 'integration:update' },
      schema: {
        tags,
        summary: 'Change a rule',
        params: IdParams,
        body: AlertRuleUpdate,
        response: { 200: AlertRule, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => rules.updateRule(db, request.ctx, idOf(request), request.body as AlertRuleUpdate),
  );
  app.delete(
    '/rules/:id',
    {
      config: { permission: 'integration:delete' },
      schema: {
        tags,
        summary: 'Delete a rule',
        params: IdParams,
        response: { 204: NoContent, 404: Problem },
      },
    },
    async (request, reply) => {
      await rules.deleteRule(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
  app.get(
    '/notifications',
    {
      config: read,
      schema: {
        tags,
        summary: 'Notifications sent, held, summarised or failed, newest first',
        querystring: AlertNotificationQuery,
        response: { 200: AlertNotificationPage },
      },
    },
    async (request) => channels.listNotifications(db, request.query as AlertNotificationQuery),
  );
}
