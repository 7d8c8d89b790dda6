import {
  Alert,
  DispatchListEntry,
  DispatchListQuery,
  DispatchTarget,
  IdParams,
  OperationActionBody,
  OperationDispatch,
  OperationReport,
  OperationState,
  Problem,
  ReportResult,
  StuckOperation,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { acknowledgeAlert } from '../../platform/alerts.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { AlertsTable } from '../../platform/db/schema-shopfloor.ts';
import { notePartitionRead, unnoted } from '../../platform/db/table-versions.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { formatQty } from '../../platform/units.ts';
import { firstArticleStatus } from '../quality/inspection.service.ts';
import { dispatchList } from './dispatch-list.ts';
import { actOnOperation, reportOperation } from './operation.actions.ts';
import { dispatchOperation, type OpRow } from './operation.service.ts';
import { findStuck } from './watchdog.job.ts';

type Id = { id: string };

function toState(o: OpRow): OperationState {
  return {
    id: o.id,
    workOrderId: o.work_order_id,
    seq: o.seq,
    name: o.name,
    status: o.status,
    machineId: o.machine_id,
    operatorId: o.operator_id,
    qtyGood: formatQty(Number(o.qty_good)),
    qtyScrap: formatQty(Number(o.qty_scrap)),
    dispatchError: o.dispatch_error,
    externalAckAt: o.external_ack_at,
    statusSince: o.status_since,
    version: o.version,
    instructionsUrl: o.instructions_url,
    drawingUrl: o.drawing_url,
  };
}

/** The state with its first-article status from the recorded inspections. */
async function fullState(db: AppDeps['db'], o: OpRow): Promise<OperationState> {
  const fa = await firstArticleStatus(db.kysely, o);
  return { ...toState(o), firstArticle: fa.state, firstArticleRequested: fa.requested };
}

const toAlert = (a: AlertsTable): Alert => ({
  id: a.id,
  severity: a.severity,
  kind: a.kind,
  title: a.title,
  detail: a.detail,
  entityType: a.entity_type,
  entityId: a.entity_id,
  createdAt: a.created_at,
  acknowledgedAt: a.acknowledged_at,
});

export async function operationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['shopfloor'];

  app.get(
    '/:id',
    {
      config: { permission: 'shopfloor:read', readCache: true },
      schema: {
        tags,
        summary: 'One operation',
        params: IdParams,
        response: { 200: OperationState, 404: Problem },
      },
    },
    async (request) => {
      const id = (request.params as Id).id;
      // Its own row only: a report on another operation leaves a kept answer current (table-versions.ts).
      const row = await unnoted(() =>
        db.kysely.selectFrom('work_order_operations').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      notePartitionRead('work_order_operations', 'id', id);
      if (!row) throw notFound('Operation', id);
      return fullState(db, row);
    },
  );

  app.post(
    '/:id/dispatch',
    {
      config: { permission: 'production:execute' },
      schema: {
        tags,
        summary:
          'Dispatch to a machine (idempotent); sent on to the work center’s external endpoint when one is set',
        params: IdParams,
        body: OperationDispatch,
        response: { 200: OperationState, 400: Problem, 409: Problem },
      },
    },
    async (request) => {
      const body = request.body as OperationDispatch;
      return fullState(
        db,
        await dispatchOperation(
          db,
          request.ctx,
          (request.params as Id).id,
          body.machineId,
          body.operatorEmployeeId ?? null,
        ),
      );
    },
  );

  app.post(
    '/:id/actions',
    {
      config: { permission: 'shopfloor:execute' },
      schema: {
        tags,
        summary:
          'Start (now, or at the earlier time given in startedAt), pause, resume, complete, hold, cancel, ' +
          'retry a failed dispatch',
        params: IdParams,
        body: OperationActionBody,
        response: { 200: OperationState, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      fullState(
        db,
        await actOnOperation(db, request.ctx, (request.params as Id).id, request.body as OperationActionBody),
      ),
  );

  app.post(
    '/:id/reports',
    {
      config: { permission: 'shopfloor:create' },
      schema: {
        tags,
        summary: 'Report good and scrap; the idempotency key makes a resent report count once',
        params: IdParams,
        body: OperationReport,
        response: { 200: ReportResult, 201: ReportResult, 400: Problem, 409: Problem },
      },
    },
    async (request, reply) => {
      const id = (request.params as Id).id;
      const { operation, ...result } = await reportOperation(
        db,
        request.ctx,
        id,
        request.body as OperationReport,
      );
      return reply
        .status(result.duplicate ? 200 : 201)
        .send({ ...result, operation: await fullState(db, operation) });
    },
  );
}

export async function shopfloorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['shopfloor'];

  app.get(
    '/dispatch-list',
    {
      config: { permission: 'shopfloor:read', readCache: true },
      schema: {
        tags,
        summary: 'What to run next, per work center or machine, in sequence',
        querystring: DispatchListQuery,
        response: { 200: Type.Array(DispatchListEntry) },
      },
    },
    async (request) => dispatchList(db, request.query as DispatchListQuery),
  );

  app.get(
    '/stuck',
    {
      config: { permission: 'production:read' },
      schema: {
        tags,
        summary: 'Operations sitting in a status longer than the watchdog allows',
        response: { 200: Type.Array(StuckOperation) },
      },
    },
    async () => findStuck(db),
  );

  app.put(
    '/dispatch-targets/:id',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Set the external dispatch endpoint of a work center (id = work center id)',
        params: IdParams,
        body: DispatchTarget,
        response: { 200: DispatchTarget, 400: Problem },
      },
    },
    async (request) => {
      const wcId = (request.params as Id).id;
      const body = request.body as DispatchTarget;
      if (!/^https?:\/\//.test(body.url))
        throw invalidField('/url', 'must start with http:// or https://', { detail: 'url must be http(s)' });
      await db.transaction(async (tx) => {
        const wc = await tx.selectFrom('work_centers').select('id').where('id', '=', wcId).executeTakeFirst();
        if (!wc) throw notFound('Work center', wcId);
        const before = await tx
          .selectFrom('dispatch_targets')
          .selectAll()
          .where('work_center_id', '=', wcId)
          .executeTakeFirst();
        const row = {
          work_center_id: wcId,
          url: body.url,
          active: body.active === false ? 0 : 1,
          updated_at: nowIso(),
        };
        await tx
          .insertInto('dispatch_targets')
          .values(row)
          .onConflict((oc) =>
            oc
              .column('work_center_id')
              .doUpdateSet({ url: row.url, active: row.active, updated_at: row.updated_at }),
          )
          .execute();
        await recordAudit(tx, request.ctx, {
          entityType: 'dispatch_target',
          entityId: wcId,
          action: before ? 'update' : 'create',
          before: before ?? null,
          after: row,
        });
      });
      return { url: body.url, active: body.active !== false };
    },
  );
}

export async function alertRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['alerts'];
  app.get(
    '/',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Alerts, open ones first',
        querystring: Type.Object(
          {
            open: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Alert) },
      },
    },
    async (request) => {
      const q = request.query as { open?: boolean; limit?: number };
      let query = db.kysely
        .selectFrom('alerts')
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(q.limit ?? 100);
      if (q.open) query = query.where('acknowledged_at', 'is', null);
      return (await query.execute()).map(toAlert);
    },
  );
  app.post(
    '/:id/ack',
    {
      config: { permission: 'alerts:acknowledge' },
      schema: {
        tags,
        summary: 'Acknowledge an alert',
        params: IdParams,
        response: { 200: Alert, 404: Problem },
      },
    },
    async (request) => toAlert(await acknowledgeAlert(db, request.ctx, (request.params as Id).id)),
  );
}
