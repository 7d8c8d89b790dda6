import { CustomFieldFilter, Problem, SheetFormat } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { type ArchiveExportQuery, exportArchivedWorkOrders } from './archive.export.ts';
import { requestArchiveRun } from './archive.job.ts';

const ArchiveRunRequest = Type.Object(
  {
    afterDays: Type.Integer({
      minimum: 0,
      maximum: 36_500,
      description: 'move work orders closed and stock moves made longer ago than this many days',
    }),
  },
  { additionalProperties: false },
);
const ArchiveRunQueued = Type.Object({ jobId: Type.String() });
const ArchiveExportQuerySchema = Type.Object(
  {
    format: Type.Optional(SheetFormat),
    status: Type.Optional(Type.String({ maxLength: 40 })),
    itemId: Type.Optional(Type.String({ maxLength: 64 })),
    salesOrderId: Type.Optional(Type.String({ maxLength: 64 })),
    rootId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 60, description: 'code contains' })),
    ...CustomFieldFilter,
  },
  { additionalProperties: false },
);

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The archive (mounted under /api/v1/archive): archived work orders are listed and read through the
 * work-order routes (`?archived=true`); here they are exported, and a run is queued on demand.
 */
export async function archiveRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['production'];

  app.get(
    '/work-orders/export',
    {
      config: { permission: 'production:read' },
      schema: {
        tags,
        summary: 'Export archived work orders matching the list filters as xlsx (default) or CSV, streamed',
        querystring: ArchiveExportQuerySchema,
        produces: [TYPES.xlsx, 'text/csv'],
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const query = request.query as ArchiveExportQuery;
      const format = query.format ?? 'xlsx';
      const stream = await exportArchivedWorkOrders(db, query);
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type(TYPES[format])
        .header('content-disposition', `attachment; filename="archived-work-orders-${stamp}.${format}"`)
        .send(stream);
    },
  );

  app.post(
    '/runs',
    {
      config: { permission: 'admin:execute' },
      schema: {
        tags: ['admin'],
        summary:
          'Queue an archive run now: work orders closed or cancelled and stock moves made more than ' +
          '`afterDays` days ago move to the archive tables',
        body: ArchiveRunRequest,
        response: { 202: ArchiveRunQueued, 400: Problem },
      },
    },
    async (request, reply) => {
      const { afterDays } = request.body as { afterDays: number };
      return reply.status(202).send(await requestArchiveRun(db, request.ctx, afterDays));
    },
  );
}
