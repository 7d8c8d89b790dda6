import {
  ExceptionListQuery,
  ExceptionRaise,
  ExceptionUpdate,
  FloorException,
  IdParams,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { requirePermission } from '../../platform/http/auth-hook.ts';
import * as service from './exception.service.ts';

type Id = { id: string };

export async function exceptionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['shopfloor'];
  app.post(
    '/',
    {
      bodyLimit: 2 * 1024 * 1024,
      config: { permission: 'shopfloor:create' },
      schema: {
        tags,
        summary: 'Raise a breakdown, shortage, quality or tooling problem (optionally with a photo)',
        body: ExceptionRaise,
        response: { 201: FloorException, 400: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.raiseException(db, request.ctx, request.body as ExceptionRaise)),
  );
  app.get(
    '/',
    {
      config: { permission: 'shopfloor:read' },
      schema: {
        tags,
        summary: 'Exceptions, newest first',
        querystring: ExceptionListQuery,
        response: { 200: Type.Array(FloorException) },
      },
    },
    async (request) => service.listExceptions(db, request.query as ExceptionListQuery),
  );
  app.patch(
    '/:id',
    {
      // Acknowledging needs alerts:acknowledge; assigning and resolving production:update (checked below).
      config: { permission: 'alerts:acknowledge' },
      schema: {
        tags,
        summary: 'Acknowledge (alerts:acknowledge), assign an owner or resolve (production:update)',
        params: IdParams,
        body: ExceptionUpdate,
        response: { 200: FloorException, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => {
      const body = request.body as ExceptionUpdate;
      // Naming an owner assigns, whatever the action.
      const assigns = body.action !== 'acknowledge' || body.owner !== undefined;
      if (assigns) requirePermission(request.ctx.actor, 'production:update');
      return service.updateException(db, request.ctx, (request.params as Id).id, body);
    },
  );
  app.get(
    '/:id/photo',
    {
      config: { permission: 'shopfloor:read' },
      schema: { tags, summary: 'The photo taken with the exception', params: IdParams },
    },
    async (request, reply) => {
      const photo = await service.exceptionPhoto(db, (request.params as Id).id);
      return reply.type(photo.type).send(photo.data);
    },
  );
}
