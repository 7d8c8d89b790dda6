import {
  CustomFieldDef,
  CustomFieldDefCreate,
  CustomFieldDefQuery,
  CustomFieldDefUpdate,
  IdParams,
  MergeParams,
  MergeQuery,
  MergeRequest,
  MergeResult,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as service from './custom-fields.service.ts';
import { mergeRecords } from './merge.service.ts';

/** Custom field definitions (administrators) and merging duplicate master records. */
export async function customFieldRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['masterdata'];
  const id = (params: unknown) => (params as { id: string }).id;

  app.get(
    '/custom-fields',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'Custom field definitions, per entity in display order',
        querystring: CustomFieldDefQuery,
        response: { 200: Type.Array(CustomFieldDef) },
      },
    },
    async (request) => service.listDefs(db, request.query as CustomFieldDefQuery),
  );

  app.get(
    '/custom-fields/:id',
    {
      config: { permission: 'masterdata:read' },
      schema: {
        tags,
        summary: 'One custom field definition',
        params: IdParams,
        response: { 200: CustomFieldDef, 404: Problem },
      },
    },
    async (request) => service.getDef(db, id(request.params)),
  );

  app.post(
    '/custom-fields',
    {
      config: { permission: 'admin:create' },
      schema: {
        tags,
        summary: 'Add a custom field to items, customers, suppliers, machines or work orders',
        body: CustomFieldDefCreate,
        response: { 201: CustomFieldDef, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const dto = await service.createDef(db, request.ctx, request.body as CustomFieldDefCreate);
      return reply.status(201).header('location', `/api/v1/masterdata/custom-fields/${dto.id}`).send(dto);
    },
  );

  app.patch(
    '/custom-fields/:id',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Change labels, options, required or order; active: false retires the field',
        params: IdParams,
        body: CustomFieldDefUpdate,
        response: { 200: CustomFieldDef, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.updateDef(db, request.ctx, id(request.params), request.body as CustomFieldDefUpdate),
  );

  app.post(
    '/:entity/merge',
    {
      config: { permission: 'masterdata:delete' },
      schema: {
        tags,
        summary:
          'Merge duplicates into one record: references move to keepId, the others are deactivated (dryRun=true only counts)',
        params: MergeParams,
        querystring: MergeQuery,
        body: MergeRequest,
        response: { 200: MergeResult, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      mergeRecords(
        db,
        request.ctx,
        (request.params as MergeParams).entity,
        request.body as MergeRequest,
        (request.query as MergeQuery).dryRun === true,
      ),
  );
}
