import { Problem, WorkOrderExportQuery } from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { SHEET_PRODUCES, sendSheet } from '../imports/sheet-io.ts';
import { exportWorkOrders } from '../production/workorder.export.ts';
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
/** The work-order export's filters; which orders is given by the route (`archived` is not a field). */
const ArchiveExportQuery = Type.Object(Type.Omit(WorkOrderExportQuery, ['archived']).properties, {
  additionalProperties: false,
});
type ArchiveExportQuery = Static<typeof ArchiveExportQuery>;

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
        querystring: ArchiveExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      // The same export as GET /work-orders/export?archived=true.
      const query = request.query as ArchiveExportQuery;
      const stream = await exportWorkOrders(db, { ...query, archived: true });
      return sendSheet(reply, query.format ?? 'xlsx', 'archived-work-orders', stream);
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
