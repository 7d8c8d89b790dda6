import {
  IdParams,
  Problem,
  Tool,
  ToolCreate,
  ToolListQuery,
  ToolPage,
  ToolUpdate,
  ToolUsage,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCrudRoutes } from '../masterdata/crud.routes.ts';
import * as service from './tool.service.ts';

export async function toolRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  registerCrudRoutes<Tool>(app, {
    db,
    tags: ['masterdata'],
    noun: 'tool',
    entity: 'tool',
    location: (c) => `/api/v1/tools/${c.id}`,
    schemas: {
      dto: Tool,
      create: ToolCreate,
      update: ToolUpdate,
      query: ToolListQuery,
      page: ToolPage,
    },
    service: {
      list: (q) => service.listTools(db, q as ToolListQuery),
      get: (id) => service.getTool(db, id),
      create: (ctx, body) => service.createTool(db, ctx, body as ToolCreate),
      update: (ctx, id, body) => service.updateTool(db, ctx, id, body as ToolUpdate),
      remove: (ctx, id) => service.deleteTool(db, ctx, id),
    },
  });

  app.post(
    '/:id/usage',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags: ['masterdata'],
        summary: 'Count usage (shots, strokes); warns MAINTENANCE_DUE from 90 % of the maintenance limit',
        params: IdParams,
        body: ToolUsage,
        response: { 200: Tool, 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      service.recordUsage(db, request.ctx, (request.params as { id: string }).id, request.body as ToolUsage),
  );
}
