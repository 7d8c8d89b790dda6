import {
  Deleted,
  Bom,
  BomCreate,
  BomListQuery,
  BomPage,
  BomUpdate,
  Explosion,
  IdParams,
  Problem,
  QtyQuery,
  VersionBody,
  WhereUsed,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import * as lifecycle from './bom.lifecycle.ts';
import * as service from './bom.service.ts';
import { explodeBom, whereUsed } from './bom.structure.ts';

const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

/** BOMs under /api/v1/boms, and where-used under /api/v1/items/{id}/where-used. */
export async function bomRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  const read = { permission: 'masterdata:read' };
  const update = { permission: 'masterdata:update' };

  app.get(
    '/boms',
    {
      config: read,
      schema: { tags, summary: 'List BOM versions', querystring: BomListQuery, response: { 200: BomPage } },
    },
    async (request) => service.listBoms(db, request.query as BomListQuery),
  );

  app.get(
    '/boms/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One BOM version with its lines',
        params: IdParams,
        response: { 200: Bom, 404: Problem },
      },
    },
    async (request, reply) => {
      const bom = await service.getBom(db, idOf(request));
      reply.header('etag', `W/"${bom.version}"`);
      return bom;
    },
  );

  app.get(
    '/boms/:id/explode',
    {
      config: read,
      schema: {
        tags,
        summary: 'Multi-level explosion for qty parents (scrap included, rounded up per level)',
        params: IdParams,
        querystring: QtyQuery,
        response: { 200: Explosion, 400: Problem, 404: Problem },
      },
    },
    async (request) => explodeBom(db, idOf(request), (request.query as QtyQuery).qty),
  );

  app.get(
    '/items/:id/where-used',
    {
      config: read,
      schema: {
        tags,
        summary: 'Where an item is used in active BOMs, all levels up, with paths',
        params: IdParams,
        response: { 200: WhereUsed, 404: Problem },
      },
    },
    async (request) => whereUsed(db, idOf(request)),
  );

  app.post(
    '/boms',
    {
      config: { permission: 'masterdata:create' },
      schema: {
        tags,
        summary: 'Create a draft BOM version (409 BOM_CYCLE when it would close a loop)',
        body: BomCreate,
        response: { 201: Bom, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const bom = await service.createBom(db, request.ctx, request.body as BomCreate);
      return reply.status(201).header('location', `/api/v1/boms/${bom.id}`).send(bom);
    },
  );

  app.patch(
    '/boms/:id',
    {
      config: update,
      schema: {
        tags,
        summary: 'Change a draft (label, dates, lines) or the dates of an active version',
        params: IdParams,
        body: BomUpdate,
        response: { 200: Bom, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateBom(db, request.ctx, idOf(request), request.body as BomUpdate),
  );

  app.post(
    '/boms/:id/activate',
    {
      config: update,
      schema: {
        tags,
        summary: 'Make this the item’s active version; the previous one is archived',
        params: IdParams,
        body: VersionBody,
        response: { 200: Bom, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      lifecycle.activateBom(db, request.ctx, idOf(request), (request.body as VersionBody).version),
  );

  app.post(
    '/boms/:id/archive',
    {
      config: update,
      schema: {
        tags,
        summary: 'Take a version out of use (the item has no active BOM until another is activated)',
        params: IdParams,
        body: VersionBody,
        response: { 200: Bom, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      lifecycle.archiveBom(db, request.ctx, idOf(request), (request.body as VersionBody).version),
  );

  app.delete(
    '/boms/:id',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary: 'Delete a draft version (active and archived ones are archived, never deleted)',
        params: IdParams,
        response: { 204: Deleted, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      await lifecycle.deleteBom(db, request.ctx, idOf(request));
      return reply.status(204).send();
    },
  );
}
