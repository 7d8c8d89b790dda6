import {
  IdParams,
  Problem,
  SalesOrder,
  SalesOrderAction,
  SalesOrderCreate,
  SalesOrderExportQuery,
  SalesOrderLines,
  SalesOrderListQuery,
  SalesOrderPage,
  SalesOrderProgress,
  SalesOrderUpdate,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { SHEET_PRODUCES, sendSheet } from '../imports/sheet-io.ts';
import { cancelOrder, closeOrder, confirmOrder } from './salesorder.actions.ts';
import { exportSalesOrders } from './salesorder.export.ts';
import * as queries from './salesorder.query.ts';
import * as service from './salesorder.service.ts';
import { shipmentRoutes } from './shipment.routes.ts';

/**
 * /api/v1/sales-orders. Reading needs sales:read, creating sales:create, editing sales:update;
 * confirming, cancelling and closing commit the factory (stock, plans) and need sales:approve.
 */
export async function salesOrderRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const tags = ['sales'];
  const idOf = (request: { params: unknown }) => (request.params as { id: string }).id;

  app.get(
    '/',
    {
      config: { permission: 'sales:read', readCache: true },
      schema: {
        tags,
        summary: 'List sales orders (status, customer, due date range, text; cursor pages)',
        querystring: SalesOrderListQuery,
        response: { 200: SalesOrderPage, 400: Problem },
      },
    },
    async (request) => queries.listOrders(db, request.query as SalesOrderListQuery),
  );

  app.get(
    '/export',
    {
      config: { permission: 'sales:read' },
      schema: {
        tags,
        summary:
          'Export the sales orders matching the list filters, in its sort, as xlsx (default) or CSV, streamed',
        querystring: SalesOrderExportQuery,
        produces: SHEET_PRODUCES,
        response: { 400: Problem },
      },
    },
    async (request, reply) => {
      const query = request.query as SalesOrderExportQuery;
      const stream = await exportSalesOrders(db, query);
      return sendSheet(reply, query.format ?? 'xlsx', 'sales-orders', stream);
    },
  );

  app.get(
    '/:id',
    {
      config: { permission: 'sales:read', readCache: true },
      schema: {
        tags,
        summary: 'One sales order with its lines',
        params: IdParams,
        response: { 200: SalesOrder, 404: Problem },
      },
    },
    async (request, reply) => {
      const order = await queries.getOrder(db, idOf(request));
      reply.header('etag', `W/"${order.version}"`);
      return order;
    },
  );

  app.get(
    '/:id/lines',
    {
      config: { permission: 'sales:read', readCache: true },
      schema: {
        tags,
        summary: 'The lines of a sales order',
        params: IdParams,
        response: { 200: SalesOrderLines, 404: Problem },
      },
    },
    async (request) => queries.orderLines(db, idOf(request)),
  );

  app.get(
    '/:id/progress',
    {
      config: { permission: 'sales:read', readCache: true },
      schema: {
        tags,
        summary: 'Ordered, reserved and shipped per line (live: follow salesorder.* and shipment.* events)',
        params: IdParams,
        response: { 200: SalesOrderProgress, 404: Problem },
      },
    },
    async (request) => queries.orderProgress(db, idOf(request)),
  );

  app.post(
    '/',
    {
      config: { permission: 'sales:create' },
      schema: {
        tags,
        summary: 'Create a draft sales order (code SO-YYMMDD-NNNN)',
        body: SalesOrderCreate,
        response: { 201: SalesOrder, 400: Problem },
      },
    },
    async (request, reply) => {
      const order = await service.createOrder(db, request.ctx, request.body as SalesOrderCreate);
      return reply.status(201).header('location', `/api/v1/sales-orders/${order.id}`).send(order);
    },
  );

  app.patch(
    '/:id',
    {
      config: { permission: 'sales:update' },
      schema: {
        tags,
        summary:
          'Change a sales order; on a confirmed order, quantity and date changes re-balance reservations (salesorder.changed)',
        params: IdParams,
        body: SalesOrderUpdate,
        response: { 200: SalesOrder, 400: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => service.updateOrder(db, request.ctx, idOf(request), request.body as SalesOrderUpdate),
  );

  const actions = [
    ['confirm', confirmOrder, 'Confirm: reserve available stock per line and promise dates'],
    ['cancel', cancelOrder, 'Cancel: release reservations (a reason is required once confirmed)'],
    ['close', closeOrder, 'Close a shipped order, or a partially shipped one short with a reason'],
  ] as const;
  for (const [name, run, summary] of actions) {
    app.post(
      `/:id/${name}`,
      {
        config: { permission: 'sales:approve' },
        schema: {
          tags,
          summary,
          params: IdParams,
          body: SalesOrderAction,
          response: { 200: SalesOrder, 400: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => run(db, request.ctx, idOf(request), (request.body ?? {}) as SalesOrderAction),
    );
  }

  await shipmentRoutes(app, deps);
}
