import {
  CustomFieldsUpdate,
  IdParams,
  MaterialIssue,
  OutputReport,
  Problem,
  WorkOrderAction,
  WorkOrderCreate,
  WorkOrderDetail,
  WorkOrderExportQuery,
  WorkOrderListQuery,
  WorkOrderPage,
  WorkOrderSummary,
} from '@takt/contracts';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { SHEET_PRODUCES, sendSheet } from '../imports/sheet-io.ts';
import { exportWorkOrders } from './workorder.export.ts';
import { cancelWorkOrdersForSalesOrder, workOrdersForSalesOrder } from './workorder.mto.ts';
import { renderTraveler } from './workorder.traveler.ts';
import * as service from './workorder.service.ts';

type Id = { id: string };

export async function workOrderRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['production'];

  app.get(
    '/',
    {
      config: { permission: 'production:read', readCache: true },
      schema: {
        tags,
        summary: 'Work orders, newest first',
        querystring: WorkOrderListQuery,
        response: { 200: WorkOrderPage, 400: Problem },
      },
    },
    async (request) => service.listWorkOrders(db, request.query as WorkOrderListQuery),
  );

  app.get(
    '/export',
    {
      config: { permission: 'production:read' },
      schema: {
        tags,
        summary:
          'Export the work orders matching the list filters (archived=true: the archive) as xlsx (default) ' +
          'or CSV, streamed',
        querystring: WorkOrderExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const query = request.query as WorkOrderExportQuery;
      const stream = await exportWorkOrders(db, query);
      return sendSheet(
        reply,
        query.format ?? 'xlsx',
        query.archived ? 'archived-work-orders' : 'work-orders',
        stream,
      );
    },
  );

  app.get(
    '/:id',
    {
      config: { permission: 'production:read', readCache: true },
      schema: {
        tags,
        summary: 'A work order with materials, operations, children and history',
        params: IdParams,
        response: { 200: WorkOrderDetail, 404: Problem },
      },
    },
    async (request) => service.getWorkOrder(db, (request.params as Id).id),
  );

  app.get(
    '/:id/traveler.pdf',
    {
      config: { permission: 'production:read' },
      schema: {
        tags,
        summary: 'Printable job traveler with QR codes for the order and each operation',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const wo = await service.getWorkOrder(db, (request.params as Id).id);
      const machineIds = wo.operations.map((o) => o.machineId).filter((m): m is string => m !== null);
      const machines = machineIds.length
        ? await db.kysely
            .selectFrom('machines')
            .select(['id', 'code'])
            .where('id', 'in', machineIds)
            .execute()
        : [];
      const pdf = await renderTraveler(wo, new Map(machines.map((m) => [m.id, m.code])));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${wo.code}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/',
    {
      config: { permission: 'production:create' },
      schema: {
        tags,
        summary: 'Create a work order from the active BOM and routing, with child orders for made components',
        body: WorkOrderCreate,
        response: { 201: WorkOrderDetail, 400: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createWorkOrder(db, request.ctx, request.body as WorkOrderCreate)),
  );

  app.post(
    '/from-sales-order',
    {
      config: { permission: 'production:create' },
      schema: {
        tags,
        summary: 'Make-to-order: work orders for the shortages of a confirmed sales order (idempotent)',
        body: Type.Object(
          { salesOrderId: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(WorkOrderSummary), 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      workOrdersForSalesOrder(db, request.ctx, (request.body as { salesOrderId: string }).salesOrderId),
  );

  app.post(
    '/cancel-for-sales-order',
    {
      config: { permission: 'production:execute' },
      schema: {
        tags,
        summary: 'Cancel the work orders of a sales order that have no output yet (with their child orders)',
        body: Type.Object(
          {
            salesOrderId: Type.String({ minLength: 1, maxLength: 64 }),
            reason: Type.String({ minLength: 1, maxLength: 300 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ cancelled: Type.Array(Type.String()), kept: Type.Array(Type.String()) }),
        },
      },
    },
    async (request) => {
      const body = request.body as { salesOrderId: string; reason: string };
      return cancelWorkOrdersForSalesOrder(db, request.ctx, body.salesOrderId, body.reason);
    },
  );

  app.post(
    '/:id/actions',
    {
      config: { permission: 'production:execute' },
      schema: {
        tags,
        summary:
          'Lifecycle action (release, hold, cancel, complete, close …); refusals are 409 with the reason',
        params: IdParams,
        body: WorkOrderAction,
        response: { 200: WorkOrderDetail, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.actOnWorkOrder(db, request.ctx, (request.params as Id).id, request.body as WorkOrderAction),
  );

  app.post(
    '/:id/issues',
    {
      config: { permission: 'inventory:create' },
      schema: {
        tags,
        summary: 'Issue materials to the work order',
        params: IdParams,
        body: MaterialIssue,
        response: { 200: WorkOrderDetail, 400: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.issueMaterials(db, request.ctx, (request.params as Id).id, request.body as MaterialIssue),
  );

  app.post(
    '/:id/output',
    {
      config: { permission: 'production:execute' },
      schema: {
        tags,
        summary: 'Report good and scrap output into stock, optionally backflushing materials',
        params: IdParams,
        body: OutputReport,
        response: { 200: WorkOrderDetail, 400: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.reportOutput(db, request.ctx, (request.params as Id).id, request.body as OutputReport),
  );

  app.patch(
    '/:id/custom-fields',
    {
      config: { permission: 'production:update' },
      schema: {
        tags,
        summary: 'Change custom field values of a work order; send the version you read (409 when stale)',
        params: IdParams,
        body: CustomFieldsUpdate,
        response: { 200: WorkOrderDetail, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) =>
      service.updateWorkOrderCustomFields(
        db,
        request.ctx,
        (request.params as Id).id,
        request.body as CustomFieldsUpdate,
      ),
  );
}
