import {
  IdParams,
  MrpActionPage,
  MrpDemand,
  MrpDemandCreate,
  MrpDemandPage,
  MrpPlannedOrderPage,
  MrpResultQuery,
  MrpRun,
  MrpRunCreate,
  MrpRunPage,
  MrpShortagePage,
  PageQuery,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as service from './mrp.service.ts';

type Id = { id: string };

/** MRP: reading needs production:read; starting a run and entering demand need production:execute. */
export async function mrpRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['mrp'];
  const read = { permission: 'production:read' };
  const execute = { permission: 'production:execute' };

  app.post(
    '/runs',
    {
      config: execute,
      schema: {
        tags,
        summary: 'Start an MRP run in the background (202), or get the one already queued or running (200)',
        body: MrpRunCreate,
        response: { 200: MrpRun, 202: MrpRun, 400: Problem },
      },
    },
    async (request, reply) => {
      const { run, created } = await service.requestRun(
        db,
        request.ctx,
        (request.body ?? {}) as MrpRunCreate,
      );
      return reply
        .status(created ? 202 : 200)
        .header('location', `/api/v1/mrp/runs/${run.id}`)
        .send(run);
    },
  );

  app.get(
    '/runs',
    {
      config: read,
      schema: {
        tags,
        summary: 'MRP runs, newest first',
        querystring: PageQuery,
        response: { 200: MrpRunPage },
      },
    },
    async (request) => service.listRuns(db, request.query as { limit?: number; cursor?: string }),
  );

  app.get(
    '/runs/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One MRP run with its progress and summary',
        params: IdParams,
        response: { 200: MrpRun, 404: Problem },
      },
    },
    async (request) => service.getRun(db, (request.params as Id).id),
  );

  const results = [
    [
      'planned-orders',
      'Planned orders of a run (filter by item, kind buy|make)',
      MrpPlannedOrderPage,
      service.plannedOrders,
    ],
    [
      'shortages',
      'Shortages of a run: material needed before it can arrive',
      MrpShortagePage,
      service.shortages,
    ],
    [
      'actions',
      'Action messages of a run (expedite, defer, cancel, release)',
      MrpActionPage,
      service.actions,
    ],
  ] as const;
  for (const [path, summary, page, fn] of results) {
    app.get(
      `/runs/:id/${path}`,
      {
        config: read,
        schema: {
          tags,
          summary,
          params: IdParams,
          querystring: MrpResultQuery,
          response: { 200: page, 404: Problem },
        },
      },
      async (request) => fn(db, (request.params as Id).id, request.query as MrpResultQuery),
    );
  }

  app.get(
    '/demands',
    {
      config: read,
      schema: {
        tags,
        summary: 'Independent demand (forecasts, spares) planned besides sales orders',
        querystring: Type.Object(
          {
            itemId: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MrpDemandPage },
      },
    },
    async (request) => service.listDemands(db, request.query as { itemId?: string }),
  );

  app.post(
    '/demands',
    {
      config: execute,
      schema: {
        tags,
        summary: 'Add independent demand',
        body: MrpDemandCreate,
        response: { 201: MrpDemand, 400: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createDemand(db, request.ctx, request.body as MrpDemandCreate)),
  );

  app.delete(
    '/demands/:id',
    {
      config: execute,
      schema: {
        tags,
        summary: 'Remove independent demand',
        params: IdParams,
        response: { 204: { type: 'null' }, 404: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteDemand(db, request.ctx, (request.params as Id).id);
      return reply.status(204).send();
    },
  );
}
