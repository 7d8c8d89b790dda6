import {
  Deleted,
  IdParams,
  Problem,
  WorkCenter,
  WorkCenterCreate,
  WorkCenterListQuery,
  WorkCenterPage,
  WorkCenterUpdate,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as service from './workcenter.service.ts';

const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

export async function workCenterRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];

  app.get(
    '/',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'List work centers (machine groups)',
        querystring: WorkCenterListQuery,
        response: { 200: WorkCenterPage },
      },
    },
    async (request) => service.listWorkCenters(db, request.query as WorkCenterListQuery),
  );

  app.get(
    '/:id',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'One work center',
        params: IdParams,
        response: { 200: WorkCenter, 404: Problem },
      },
    },
    async (request, reply) => {
      const center = await service.getWorkCenter(db, idOf(request));
      reply.header('etag', `W/"${center.version}"`);
      return center;
    },
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create a work center',
        body: WorkCenterCreate,
        response: { 201: WorkCenter, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const center = await service.createWorkCenter(db, request.ctx, request.body as WorkCenterCreate);
      return reply.status(201).header('location', `/api/v1/work-centers/${center.id}`).send(center);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Change a work center (send the version you read); active: false deactivates it',
        params: IdParams,
        body: WorkCenterUpdate,
        response: { 200: WorkCenter, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.updateWorkCenter(db, request.ctx, idOf(request), request.body as WorkCenterUpdate),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete an unused work center (409 IN_USE when machines or routings use it)',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteWorkCenter(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
}
