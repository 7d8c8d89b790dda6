import type {
  CrmSalesOrderUpsert,
  Customer,
  ErpCustomerUpsert,
  InboundResult,
  ReceiptResult,
  SalesOrder,
  Shipment,
  StockMove,
  WmsReceiptPosted,
  WmsShipmentPosted,
} from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { invalidField } from '../../platform/errors.ts';
import { createCustomer, listCustomers, updateCustomer } from '../customers/customer.service.ts';
import { moveFromInput, postInTx } from '../inventory/inventory.service.ts';
import { receive } from '../purchasing/purchasereceipt.service.ts';
import { getOrder } from '../sales/salesorder.query.ts';
import { createOrder, updateOrder } from '../sales/salesorder.service.ts';
import { postShipment } from '../sales/shipment.service.ts';
import { type Applied, applyOnce, findRef } from './inbound-refs.ts';
import {
  customerIdByCode,
  itemIdsByCode,
  locationIdByCode,
  purchaseOrderByNumber,
  salesOrderIdByCode,
} from './inbound-lookup.ts';

/**
 * The inbound business messages, shared by the HTTP routes and the broker consumer. Each takes the
 * sender's external id and its (validated) body, maps codes to records and calls the owning
 * module's service; `applyOnce` makes a repeat a no-op that returns the first result.
 */
export type InboundHandler<B> = (db: Db, ctx: Ctx, externalId: string, body: B) => Promise<InboundResult>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function orderApplied(v: unknown): Applied | null {
  if (!isObject(v) || typeof v.customerId !== 'string' || !Array.isArray(v.lines)) return null;
  const o = v as unknown as SalesOrder;
  return { internalId: o.id, code: o.code, ids: [o.id] };
}

/** CRM sales order: created on first sight, then updated while its state allows (409 otherwise). */
export const upsertCrmSalesOrder: InboundHandler<CrmSalesOrderUpsert> = async (db, ctx, externalId, body) => {
  const customerId = await customerIdByCode(db, '/customerCode', body.customerCode);
  const itemIds = await itemIdsByCode(
    db,
    body.lines.map((l) => l.itemCode),
    (i) => `/lines/${i}/itemCode`,
  );
  const key = { system: 'crm', kind: 'salesorder', externalId };
  return applyOnce(db, key, body, { changeable: true, applied: orderApplied }, async (existing) => {
    const lineFields = (l: CrmSalesOrderUpsert['lines'][number]) => ({
      qty: l.qty,
      unitPrice: l.unitPrice,
      ...(l.pricePer ? { pricePer: l.pricePer } : {}),
      ...(l.requestedDate ? { requestedDate: l.requestedDate } : {}),
    });
    if (!existing) {
      return createOrder(db, ctx, {
        customerId,
        externalRef: body.customerPo ?? '',
        ...(body.currency ? { currency: body.currency } : {}),
        ...(body.dueDate ? { dueDate: body.dueDate } : {}),
        note: body.note ?? '',
        lines: body.lines.map((l, i) => ({ itemId: itemIds[i]!, ...lineFields(l) })),
      });
    }
    const order = await getOrder(db, existing.internal_id);
    if (order.customerId !== customerId) {
      throw invalidField('/customerCode', 'cannot change on an existing order', 'IMMUTABLE');
    }
    // Lines are matched to the order's lines by item, in order; unmatched lines are added, the rest removed.
    const taken = new Set<string>();
    const lines = body.lines.map((l, i) => {
      const cur = order.lines.find((x) => x.itemId === itemIds[i] && !taken.has(x.id));
      if (cur) taken.add(cur.id);
      return cur ? { id: cur.id, ...lineFields(l) } : { itemId: itemIds[i]!, ...lineFields(l) };
    });
    return updateOrder(db, ctx, order.id, {
      version: order.version,
      externalRef: body.customerPo ?? '',
      ...(body.currency ? { currency: body.currency } : {}),
      dueDate: body.dueDate ?? null,
      note: body.note ?? '',
      lines,
      reason: `CRM update ${externalId}`.slice(0, 200),
    });
  });
};

/** WMS receipt: against a purchase order (by number and line) or unplanned into a location. */
export const postWmsReceipt: InboundHandler<WmsReceiptPosted> = async (db, ctx, externalId, body) => {
  const locationId = await locationIdByCode(db, body.warehouseCode, body.locationCode);
  const key = { system: 'wms', kind: 'receipt', externalId };
  if (body.poNumber) {
    const po = await purchaseOrderByNumber(db, body.poNumber);
    const lines = body.lines.map((l, i) => {
      if (l.lineNo === undefined)
        throw invalidField(`/lines/${i}/lineNo`, 'is required against a purchase order');
      const lineId = po.lines.get(l.lineNo);
      if (!lineId)
        throw invalidField(`/lines/${i}/lineNo`, `is not a line of ${body.poNumber}`, 'UNKNOWN_LINE');
      return { lineId, qty: l.qty, ...(l.lot ? { lot: l.lot } : {}) };
    });
    const applied = (v: unknown): Applied | null => {
      if (!isObject(v) || !Array.isArray(v.receipts) || !isObject(v.purchaseOrder)) return null;
      const r = v as unknown as ReceiptResult;
      const ids = r.receipts.map((x) => x.id);
      return { internalId: ids[0] ?? r.purchaseOrder.id, code: r.purchaseOrder.code, ids };
    };
    return applyOnce(db, key, body, { changeable: false, applied }, () =>
      receive(db, ctx, po.id, {
        locationId,
        note: body.note ?? `WMS ${externalId}`.slice(0, 200),
        lines,
      }),
    );
  }
  const itemIds = await itemIdsByCode(
    db,
    body.lines.map((l) => l.itemCode),
    (i) => `/lines/${i}/itemCode`,
  );
  const postings = body.lines.map((l, i) => {
    if (!itemIds[i]) throw invalidField(`/lines/${i}/itemCode`, 'is required for an unplanned receipt');
    return moveFromInput({
      kind: 'receipt',
      itemId: itemIds[i]!,
      qty: l.qty,
      toLocationId: locationId,
      ...(l.lot ? { lot: l.lot } : {}),
      reason: (body.note ?? `WMS receipt ${externalId}`).slice(0, 200),
      ref: { type: 'wms_receipt', id: externalId.slice(0, 64) },
    });
  });
  const applied = (v: unknown): Applied | null => {
    if (!Array.isArray(v) || v.length === 0) return null;
    const ids = (v as StockMove[]).map((m) => m.id);
    return { internalId: ids[0]!, code: null, ids };
  };
  return applyOnce(db, key, body, { changeable: false, applied }, () =>
    db.transaction(async (tx) => {
      const moves: StockMove[] = [];
      for (const p of postings) moves.push(await postInTx(tx, ctx, p));
      return moves;
    }),
  );
};

/** WMS shipment against a sales order, by its number or the CRM id it came under. */
export const postWmsShipment: InboundHandler<WmsShipmentPosted> = async (db, ctx, externalId, body) => {
  let orderId: string;
  if (body.salesOrderCode) orderId = await salesOrderIdByCode(db, body.salesOrderCode);
  else if (body.crmOrderId) {
    const ref = await findRef(db, { system: 'crm', kind: 'salesorder', externalId: body.crmOrderId });
    if (!ref) throw invalidField('/crmOrderId', 'is not a sales order received from the CRM', 'UNKNOWN_CODE');
    orderId = ref.internal_id;
  } else throw invalidField('/salesOrderCode', 'is required (or crmOrderId)');
  const locationId = await locationIdByCode(db, body.warehouseCode, body.locationCode);
  const order = await getOrder(db, orderId);
  const lines = body.lines.map((l, i) => {
    const line = order.lines.find((x) => x.lineNo === l.lineNo);
    if (!line) throw invalidField(`/lines/${i}/lineNo`, `is not a line of ${order.code}`, 'UNKNOWN_LINE');
    return { lineId: line.id, qty: l.qty, fromLocationId: locationId, ...(l.lot ? { lot: l.lot } : {}) };
  });
  const applied = (v: unknown): Applied | null => {
    if (!isObject(v) || typeof v.salesOrderId !== 'string' || !Array.isArray(v.lines)) return null;
    const s = v as unknown as Shipment;
    return { internalId: s.id, code: s.code, ids: [s.id] };
  };
  const key = { system: 'wms', kind: 'shipment', externalId };
  return applyOnce(db, key, body, { changeable: false, applied }, () =>
    postShipment(db, ctx, orderId, { note: body.note ?? `WMS ${externalId}`.slice(0, 300), lines }),
  );
};

/** ERP customer by code: created, or updated to the message's fields. */
export const upsertErpCustomer: InboundHandler<ErpCustomerUpsert> = async (db, ctx, code, body) => {
  let outcome: 'created' | 'updated' = 'created';
  const applied = (v: unknown): Applied | null => {
    if (!isObject(v) || typeof v.tier !== 'string' || typeof v.code !== 'string') return null;
    const c = v as unknown as Customer;
    return { internalId: c.id, code: c.code, ids: [c.id], outcome };
  };
  const key = { system: 'erp', kind: 'customer', externalId: code };
  return applyOnce(db, key, body, { changeable: true, applied }, async () => {
    const page = await listCustomers(db, { q: code, limit: 500 });
    const current = page.items.find((c) => c.code.toLowerCase() === code.trim().toLowerCase());
    if (!current) return createCustomer(db, ctx, { code, ...body });
    outcome = 'updated';
    return updateCustomer(db, ctx, current.id, { ...body, version: current.version });
  });
};
