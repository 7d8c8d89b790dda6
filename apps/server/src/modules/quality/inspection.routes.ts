import {
  IdParams,
  Inspection,
  InspectionListQuery,
  InspectionRequest,
  InspectionResult,
  Problem,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import * as service from './inspection.service.ts';

type Id = { id: string };

export async function inspectionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['quality'];
  app.get(
    '/',
    {
      config: { permission: 'quality:read' },
      schema: {
        tags,
        summary: 'Inspections, newest request first; filter by state, work order or operation',
        querystring: InspectionListQuery,
        response: { 200: Type.Array(Inspection) },
      },
    },
    async (request) => service.listInspections(db, request.query as InspectionListQuery),
  );
  app.get(
    '/:id',
    {
      config: { permission: 'quality:read' },
      schema: {
        tags,
        summary: 'One inspection with its measured characteristics',
        params: IdParams,
        response: { 200: Inspection, 404: Problem },
      },
    },
    async (request) => service.getInspection(db, (request.params as Id).id),
  );
  app.post(
    '/',
    {
      config: { permission: 'quality:create' },
      schema: {
        tags,
        summary:
          'Request a first-article inspection of an operation (200 with the open request when one exists)',
        body: InspectionRequest,
        response: { 200: Inspection, 201: Inspection, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const r = await service.requestInspection(db, request.ctx, request.body as InspectionRequest);
      return reply.status(r.created ? 201 : 200).send(r.inspection);
    },
  );
  app.post(
    '/:id/result',
    {
      config: { permission: 'quality:approve' },
      schema: {
        tags,
        summary: 'Record pass or fail with the sample size and measured characteristics',
        params: IdParams,
        body: InspectionResult,
        response: { 200: Inspection, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.recordInspectionResult(
        db,
        request.ctx,
        (request.params as Id).id,
        request.body as InspectionResult,
      ),
  );
}
