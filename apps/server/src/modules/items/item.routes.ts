import {
  AuditPage,
  ConvertQuery,
  ConvertResult,
  IdParams,
  Item,
  ItemCreate,
  ItemListQuery,
  ItemPage,
  ItemUpdate,
  NearDuplicateQuery,
  NearDuplicates,
  PageQuery,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as service from './item.service.ts';

export async function itemRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];

  app.get(
    '/',
    {
      config: { permission: 'masterdata:read', readCache: true },
      schema: {
        tags,
        summary: 'List items (filter, sort, cursor pages)',
        querystring: ItemListQuery,
        response: { 200: ItemPage },
      },
    },
    async (request) => service.listItems(db, request.query as ItemListQuery),
  );

  app.get(
    '/:id',
    {
      config: { permission: 'masterdata:read', readCache: true },
      schema: { tags, summary: 'One item', params: IdParams, response: { 200: Item, 404: Problem } },
    },
    async (request, reply) => {
      const item = await service.getItem(db, (request.params as { id: string }).id);
      reply.header('etag', `W/"${item.version}"`);
      return item;
    },
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create an item (the response carries NEAR_DUPLICATE warnings when similar items exist)',
        body: ItemCreate,
        response: { 201: Item, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const item = await service.createItem(db, request.ctx, request.body as ItemCreate);
      return reply.status(201).header('location', `/api/v1/items/${item.id}`).send(item);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: 'Change an item; send the version you read (409 when someone changed it since)',
        params: IdParams,
        body: ItemUpdate,
        response: { 200: Item, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.updateItem(db, request.ctx, (request.params as { id: string }).id, request.body as ItemUpdate),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete an item nothing refers to (409 IN_USE otherwise: deactivate it instead)',
        params: IdParams,
        response: { 204: { type: 'null' }, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.deleteItem(db, request.ctx, (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/near-duplicates',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Items with the same name and specification after normalising (warn before saving)',
        querystring: NearDuplicateQuery,
        response: { 200: NearDuplicates },
      },
    },
    async (request) => service.findNearDuplicates(db, request.query as NearDuplicateQuery),
  );

  app.get(
    '/:id/convert',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary:
          "Convert a quantity between two of the item's units, exactly (rounded to 3 decimals if needed)",
        params: IdParams,
        querystring: ConvertQuery,
        response: { 200: ConvertResult, 400: Problem, 404: Problem },
      },
    },
    async (request) =>
      service.convertItemQty(db, (request.params as { id: string }).id, request.query as ConvertQuery),
  );

  app.get(
    '/:id/history',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Changes to one item, oldest first (its audit entries)',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: AuditPage },
      },
    },
    async (request) =>
      service.itemHistory(
        db,
        (request.params as { id: string }).id,
        request.query as { limit?: number; cursor?: string },
      ),
  );
}
