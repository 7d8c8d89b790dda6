import { AuditPage, IdParams, PageQuery, Problem } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { historyOf } from './mutation.ts';

/**
 * The routes every master-data record has: list, one, create, change (with version), delete (only
 * when unreferenced; otherwise deactivate with `active: false`) and history (its audit entries).
 */
export interface CrudRouteSpec<Dto extends { id: string; version: number }> {
  readonly db: Db;
  readonly tags: string[];
  /** Human name for summaries, e.g. 'customer'. */
  readonly noun: string;
  /** Audit entity type for the history route. */
  readonly entity: string;
  /** Where a created record lives, for the location header. */
  readonly location: (dto: Dto) => string;
  readonly schemas: { dto: TSchema; create: TSchema; update: TSchema; query: TSchema; page: TSchema };
  readonly service: {
    list(query: unknown): Promise<unknown>;
    get(id: string): Promise<Dto>;
    create(ctx: Ctx, body: unknown): Promise<Dto>;
    update(ctx: Ctx, id: string, body: unknown): Promise<Dto>;
    remove(ctx: Ctx, id: string): Promise<void>;
  };
}

export function registerCrudRoutes<Dto extends { id: string; version: number }>(
  app: FastifyInstance,
  spec: CrudRouteSpec<Dto>,
): void {
  const { tags, noun, schemas, service } = spec;
  const id = (params: unknown) => (params as { id: string }).id;

  app.get(
    '/',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `List ${noun}s (filter, sort, cursor pages)`,
        querystring: schemas.query,
        response: { 200: schemas.page, 400: Problem },
      },
    },
    async (request) => service.list(request.query),
  );

  app.get(
    '/:id',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `One ${noun}`,
        params: IdParams,
        response: { 200: schemas.dto, 404: Problem },
      },
    },
    async (request, reply) => {
      const dto = await service.get(id(request.params));
      reply.header('etag', `W/"${dto.version}"`);
      return dto;
    },
  );

  app.post(
    '/',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: `Create a ${noun}`,
        body: schemas.create,
        response: { 201: schemas.dto, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const dto = await service.create(request.ctx, request.body);
      return reply.status(201).header('location', spec.location(dto)).send(dto);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'masterdata:update' },
      schema: {
        tags,
        summary: `Change a ${noun} (active: false deactivates); send the version you read (409 when stale)`,
        params: IdParams,
        body: schemas.update,
        response: { 200: schemas.dto, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.update(request.ctx, id(request.params), request.body),
  );

  app.delete(
    '/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: `Delete a ${noun} nothing refers to (409 IN_USE otherwise: deactivate it instead)`,
        params: IdParams,
        response: { 204: { type: 'null' }, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await service.remove(request.ctx, id(request.params));
      return reply.status(204).send();
    },
  );

  app.get(
    '/:id/history',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: `Changes to one ${noun}, oldest first (its audit entries)`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: AuditPage },
      },
    },
    async (request) =>
      historyOf(
        spec.db,
        spec.entity,
        id(request.params),
        request.query as { limit?: number; cursor?: string },
      ),
  );
}
