import {
  CancelBody,
  FromPlanned,
  FromPlannedResult,
  IdParams,
  LatePage,
  LateQuery,
  PageQuery,
  PrintQuery,
  Problem,
  PurchaseOrder,
  PurchaseOrderCreate,
  PurchaseOrderExportQuery,
  PurchaseOrderListQuery,
  PurchaseOrderPage,
  PurchaseOrderUpdate,
  PurchaseReceiptPage,
  PurchasingSettings,
  PurchasingSettingsUpdate,
  ReceiptCreate,
  ReceiptResult,
  ReturnCreate,
  VersionBody,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { SHEET_PRODUCES, sendSheet } from '../imports/sheet-io.ts';
import { exportPurchaseOrders } from './purchaseorder.export.ts';
import { fromPlanned, lateList } from './purchaseorder.planned.ts';
import { type PrintLang, renderOrder } from './purchaseorder.print.ts';
import * as service from './purchaseorder.service.ts';
import { listReceipts, receive, returnToSupplier } from './purchasereceipt.service.ts';
import { getSettings, updateSettings } from './purchasing.settings.ts';

type Id = { id: string };

/**
 * Permissions: purchasing:read to look, :create to order, :update to change, send, close or cancel,
 * :approve to approve. Receipts and returns move stock, so they need inventory:create (the
 * warehouse receives, the buyer does not); the settings need admin:update.
 */
export async function purchaseOrderRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['purchasing'];
  const id = (request: { params: unknown }) => (request.params as Id).id;

  app.get(
    '/',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'Purchase orders, newest first',
        querystring: PurchaseOrderListQuery,
        response: { 200: PurchaseOrderPage },
      },
    },
    async (request) => service.listOrders(db, request.query as PurchaseOrderListQuery),
  );

  app.post(
    '/',
    {
      config: { permission: 'purchasing:create' },
      schema: {
        tags,
        summary: "Create a draft purchase order (unit prices default from the supplier's price list)",
        body: PurchaseOrderCreate,
        response: { 201: PurchaseOrder, 400: Problem },
      },
    },
    async (request, reply) => {
      const po = await service.createOrder(db, request.ctx, request.body as PurchaseOrderCreate);
      return reply.status(201).header('location', `/api/v1/purchase-orders/${po.id}`).send(po);
    },
  );

  app.post(
    '/from-planned',
    {
      config: { permission: 'purchasing:create' },
      schema: {
        tags,
        summary:
          'Draft purchase orders from MRP planned orders, one per supplier; idempotent per planned order',
        body: FromPlanned,
        response: { 200: FromPlannedResult, 400: Problem },
      },
    },
    async (request) => fromPlanned(db, request.ctx, (request.body as FromPlanned).plannedOrderIds),
  );

  app.get(
    '/export',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'Export the purchase orders matching the list filters as xlsx (default) or CSV, streamed',
        querystring: PurchaseOrderExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const query = request.query as PurchaseOrderExportQuery;
      const stream = await exportPurchaseOrders(db, query);
      return sendSheet(reply, query.format ?? 'xlsx', 'purchase-orders', stream);
    },
  );

  app.get(
    '/late',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'Open lines past their due date, with days late',
        querystring: LateQuery,
        response: { 200: LatePage },
      },
    },
    async (request) => lateList(db, request.query as LateQuery),
  );

  app.get(
    '/settings',
    {
      config: { permission: 'purchasing:read' },
      schema: { tags, summary: 'Purchasing settings', response: { 200: PurchasingSettings } },
    },
    async () => getSettings(db),
  );

  app.patch(
    '/settings',
    {
      config: { permission: 'admin:update' },
      schema: {
        tags,
        summary: 'Change purchasing settings (separate approver, default tolerance, plant time zone)',
        body: PurchasingSettingsUpdate,
        response: { 200: PurchasingSettings, 400: Problem, 409: Problem },
      },
    },
    async (request) => updateSettings(db, request.ctx, request.body as PurchasingSettingsUpdate),
  );

  app.get(
    '/:id',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'One purchase order',
        params: IdParams,
        response: { 200: PurchaseOrder, 404: Problem },
      },
    },
    async (request) => service.getOrder(db, id(request)),
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'purchasing:update' },
      schema: {
        tags,
        summary: 'Change a draft purchase order; send the version you read',
        params: IdParams,
        body: PurchaseOrderUpdate,
        response: { 200: PurchaseOrder, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateOrder(db, request.ctx, id(request), request.body as PurchaseOrderUpdate),
  );

  const actions = [
    [
      'approve',
      'purchasing:approve',
      'Approve a draft (a separate approver when the settings say so)',
      VersionBody,
    ],
    ['send', 'purchasing:update', 'Mark an approved order as sent to the supplier', VersionBody],
    [
      'close',
      'purchasing:update',
      'Close a (partially) received order; open lines are closed short',
      VersionBody,
    ],
    ['cancel', 'purchasing:update', 'Cancel an order nothing was received on', CancelBody],
  ] as const;
  for (const [action, permission, summary, body] of actions) {
    app.post(
      `/:id/${action}`,
      {
        config: { permission },
        schema: {
          tags,
          summary,
          params: IdParams,
          body,
          response: { 200: PurchaseOrder, 403: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => service.act(db, request.ctx, id(request), action, request.body as CancelBody),
    );
  }

  app.post(
    '/:id/receipts',
    {
      config: { permission: 'inventory:create' },
      schema: {
        tags,
        summary:
          'Receive goods against lines into a location (lots for lot-tracked items; tolerance enforced)',
        params: IdParams,
        body: ReceiptCreate,
        response: { 201: ReceiptResult, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await receive(db, request.ctx, id(request), request.body as ReceiptCreate)),
  );

  app.get(
    '/:id/receipts',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'Receipts and returns of an order',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: PurchaseReceiptPage, 404: Problem },
      },
    },
    async (request) => listReceipts(db, id(request), request.query as { limit?: number }),
  );

  app.post(
    '/:id/returns',
    {
      config: { permission: 'inventory:create' },
      schema: {
        tags,
        summary:
          'Return received goods to the supplier (stock leaves the location, the received quantity drops)',
        params: IdParams,
        body: ReturnCreate,
        response: { 201: ReceiptResult, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await returnToSupplier(db, request.ctx, id(request), request.body as ReturnCreate)),
  );

  app.get(
    '/:id/print',
    {
      config: { permission: 'purchasing:read' },
      schema: {
        tags,
        summary: 'The order as a printable HTML document (zh-CN or en)',
        params: IdParams,
        querystring: PrintQuery,
        produces: ['text/html'],
        response: { 404: Problem },
      },
    },
    async (request, reply) => {
      const po = await service.getOrder(db, id(request));
      const lang = ((request.query as { lang?: PrintLang }).lang ?? 'zh-CN') as PrintLang;
      return reply.type('text/html; charset=utf-8').send(renderOrder(po, lang));
    },
  );
}
