import {
  Deleted,
  IdParams,
  Problem,
  QtyQuery,
  Routing,
  RoutingCreate,
  RoutingDuration,
  RoutingListQuery,
  RoutingPage,
  RoutingUpdate,
  VersionBody,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { routingDuration } from './routing.duration.ts';
import * as lifecycle from './routing.lifecycle.ts';
import * as service from './routing.service.ts';

const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

export async function routingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  const read = { permission: 'masterdata:read' };
  const update = { permission: 'masterdata:update' };

  app.get(
    '/',
    {
      config: read,
      schema: {
        tags,
        summary: 'List routing versions',
        querystring: RoutingListQuery,
        response: { 200: RoutingPage },
      },
    },
    async (request) => service.listRoutings(db, request.query as RoutingListQuery),
  );

  app.get(
    '/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One routing version with its operations',
        params: IdParams,
        response: { 200: Routing, 404: Problem },
      },
    },
    async (request, reply) => {
      const routing = await service.getRouting(db, idOf(request));
      reply.header('etag', `W/"${routing.version}"`);
      return routing;
    },
  );

  app.get(
    '/:id/duration',
    {
      config: read,
      schema: {
        tags,
        summary: 'Setup and run minutes per operation and eligible machine for qty units',
        params: IdParams,
        querystring: QtyQuery,
        response: { 200: RoutingDuration, 400: Problem, 404: Problem },
      },
    },
    async (request) => routingDuration(db, idOf(request), (request.query as QtyQuery).qty),
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create a draft routing version (400 ROUTING_CYCLE when operations wait in a loop)',
        body: RoutingCreate,
        response: { 201: Routing, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const routing = await service.createRouting(db, request.ctx, request.body as RoutingCreate);
      return reply.status(201).header('location', `/api/v1/routings/${routing.id}`).send(routing);
    },
  );

  app.patch(
    '/:id',
    {
      config: update,
      schema: {
        tags,
        summary: 'Change a draft (label, dates, operations) or the dates of an active version',
        params: IdParams,
        body: RoutingUpdate,
        response: { 200: Routing, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateRouting(db, request.ctx, idOf(request), request.body as RoutingUpdate),
  );

  app.post(
    '/:id/activate',
    {
      config: update,
      schema: {
        tags,
        summary: 'Make this the item’s active routing; the previous one is archived',
        params: IdParams,
        body: VersionBody,
        response: { 200: Routing, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      lifecycle.activateRouting(db, request.ctx, idOf(request), (request.body as VersionBody).version),
  );

  app.post(
    '/:id/archive',
    {
      config: update,
      schema: {
        tags,
        summary: 'Take a routing version out of use',
        params: IdParams,
        body: VersionBody,
        response: { 200: Routing, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      lifecycle.archiveRouting(db, request.ctx, idOf(request), (request.body as VersionBody).version),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete a draft routing version',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await lifecycle.deleteRouting(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
}
