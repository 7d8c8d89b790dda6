import {
  CrmSalesOrderUpsert,
  CustomerCodeParams,
  ErpCustomerUpsert,
  ExternalIdParams,
  InboundResult,
  Problem,
  WmsReceiptPosted,
  WmsShipmentPosted,
} from '@takt/contracts';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import type { AppDeps } from '../../app.ts';
import {
  type InboundHandler,
  postWmsReceipt,
  postWmsShipment,
  upsertCrmSalesOrder,
  upsertErpCustomer,
} from './inbound-handlers.ts';

const tags = ['integration'];

/**
 * `/api/v1/integration/inbound`: business messages from CRM, WMS and ERP systems, addressed by the
 * sender's own id. Sending the same message again returns the first result and changes nothing.
 */
export async function inboundRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const route = <B>(
    url: string,
    permission: string,
    summary: string,
    params: TSchema,
    body: TSchema,
    handler: InboundHandler<B>,
  ) =>
    app.put(
      url,
      {
        config: { permission },
        schema: {
          tags,
          summary,
          params,
          body,
          response: { 200: InboundResult, 400: Problem, 404: Problem, 409: Problem },
        },
      },
      async (request) => {
        const p = request.params as { externalId?: string; code?: string };
        return handler(db, request.ctx, (p.externalId ?? p.code)!, request.body as B);
      },
    );

  route(
    '/sales-orders/:externalId',
    'sales:create',
    'Create or update a sales order from a CRM by its id there (customer and item codes mapped; 409 once the order can no longer change)',
    ExternalIdParams,
    CrmSalesOrderUpsert,
    upsertCrmSalesOrder,
  );
  route(
    '/receipts/:externalId',
    'inventory:create',
    'Post a WMS goods receipt, against a purchase order line or unplanned into a location, once per WMS id',
    ExternalIdParams,
    WmsReceiptPosted,
    postWmsReceipt,
  );
  route(
    '/shipments/:externalId',
    'inventory:create',
    'Post a WMS shipment against a sales order, once per WMS id',
    ExternalIdParams,
    WmsShipmentPosted,
    postWmsShipment,
  );
  route(
    '/customers/:code',
    'masterdata:create',
    'Create or update a customer from an ERP by its code',
    CustomerCodeParams,
    ErpCustomerUpsert,
    upsertErpCustomer,
  );
}
