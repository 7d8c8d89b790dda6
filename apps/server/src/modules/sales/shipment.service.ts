import type { Shipment, ShipmentCreate } from '@takt/contracts';
import type { Qty } from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ShipmentLinesTable, ShipmentsTable } from '../../platform/db/schema-sales.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { postInTx } from '../inventory/inventory.service.ts';
import { fail, saveOrder, withOrder } from './salesorder.actions.ts';
import * as orders from './salesorder.repo.ts';
import {
  checkShipQty,
  humanCode,
  rollupStatus,
  type SalesOrderStatus,
  transition,
} from './salesorder.rules.ts';
import { availableOf, consumeReservation, lockItems, openReservations } from './salesorder.stock.ts';
import { localDay, nextInSequence } from '../../platform/sequences.ts';
import { renderDeliveryNote } from './shipment.pdf.ts';
import * as repo from './shipment.repo.ts';

/**
 * Shipping against sales order lines: one transaction posts a `shipment` stock move per line (the
 * ledger refuses more than is on hand at the location), uses the line's reservation first, adds to
 * the shipped quantity (never beyond ordered + tolerance) and rolls the order status up.
 */

/** Over-shipment tolerance in thousandths of the unit: none, a customer gets what it ordered. */
export const OVER_SHIPMENT_TOLERANCE = 0;

type ShipmentRow = ShipmentsTable & { lines: ShipmentLinesTable[] };

export function toShipment(s: ShipmentRow): Shipment {
  return {
    id: s.id,
    code: s.code,
    salesOrderId: s.sales_order_id,
    note: s.note,
    lines: s.lines.map((l) => ({
      id: l.id,
      lineId: l.sales_order_line_id,
      itemId: l.item_id,
      qty: formatQty(Number(l.qty)),
      fromLocationId: l.from_location_id,
      lot: l.lot,
      moveId: l.move_id,
    })),
    actorId: s.actor_id,
    createdAt: s.created_at,
  };
}

/** Ledger refusals name fields of one move (`/qty`); the caller sent lines (`/lines/2/qty`). */
function atLine(err: unknown, i: number): unknown {
  if (!(err instanceof AppError)) return err;
  return new AppError(err.code, err.message, {
    fieldErrors: err.fieldErrors.map((f) => ({
      ...f,
      field: `/lines/${i}${f.field === '/' ? '' : f.field}`,
    })),
    extra: { ...err.extra },
  });
}

export async function postShipment(
  db: Db,
  ctx: Ctx,
  orderId: string,
  input: ShipmentCreate,
): Promise<Shipment> {
  const parsed = input.lines.map((l, i) => {
    const qty = parseQtyField(`/lines/${i}/qty`, l.qty);
    if (qty <= 0) throw invalidField(`/lines/${i}/qty`, 'must be greater than zero');
    return { ...l, qty, lot: l.lot?.trim() ?? '' };
  });
  return withOrder(db, orderId, undefined, async (tx, order, lines) => {
    const status = order.status as SalesOrderStatus;
    const can = transition(status, 'ship_partial');
    if (!can.ok) throw fail(can);
    const byId = new Map(lines.map((l) => [l.id, l]));
    const adds = new Map<string, { add: number; index: number }>();
    for (const [i, l] of parsed.entries()) {
      const line = byId.get(l.lineId);
      if (!line) throw invalidField(`/lines/${i}/lineId`, 'is not a line of this order');
      const add = (adds.get(l.lineId)?.add ?? 0) + l.qty;
      const check = checkShipQty({ qty: line.qty, shipped: line.shipped_qty }, add, OVER_SHIPMENT_TOLERANCE);
      if (!check.ok) throw fail(check, `/lines/${i}/qty`);
      adds.set(l.lineId, { add, index: adds.get(l.lineId)?.index ?? i });
    }
    await lockItems(
      tx,
      db.dialect,
      parsed.map((l) => byId.get(l.lineId)!.item_id),
    );
    const open = await openReservations(tx, [...adds.keys()]);
    // What a line ships beyond its own reservation must be free stock, not another order's reservation.
    const excess = new Map<string, { qty: number; index: number }>();
    for (const [lineId, { add, index }] of adds) {
      const beyond = add - (open.get(lineId)?.qty ?? 0);
      if (beyond <= 0) continue;
      const itemId = byId.get(lineId)!.item_id;
      excess.set(itemId, {
        qty: (excess.get(itemId)?.qty ?? 0) + beyond,
        index: excess.get(itemId)?.index ?? index,
      });
    }
    for (const [itemId, { qty, index }] of excess) {
      const available = await availableOf(tx, itemId);
      if (qty > available) {
        throw new AppError('INSUFFICIENT_AVAILABLE', 'The stock is reserved for other orders', {
          fieldErrors: [
            { field: `/lines/${index}/qty`, message: 'is more than this line reserved plus free stock' },
          ],
          extra: { available: formatQty(Math.max(0, available)) },
        });
      }
    }
    const day = localDay();
    const head: ShipmentsTable = {
      id: newId(),
      code: humanCode('SH', day, await nextInSequence(tx, 'SH', day)),
      sales_order_id: order.id,
      note: input.note?.trim() ?? '',
      actor_id: ctx.actor.id ?? ctx.actor.login,
      created_at: nowIso(),
    };
    const shipmentLines: ShipmentLinesTable[] = [];
    for (const [i, l] of parsed.entries()) {
      const line = byId.get(l.lineId)!;
      const move = await postInTx(tx, ctx, {
        move: {
          kind: 'shipment',
          itemId: line.item_id,
          qty: l.qty as Qty,
          fromLocationId: l.fromLocationId,
          toLocationId: null,
          lot: l.lot,
          reason: null,
        },
        ref: { type: 'shipment', id: head.id },
        reversesId: null,
      }).catch((err: unknown) => {
        throw atLine(err, i);
      });
      shipmentLines.push({
        id: newId(),
        shipment_id: head.id,
        sales_order_line_id: line.id,
        item_id: line.item_id,
        qty: l.qty,
        from_location_id: l.fromLocationId,
        lot: l.lot || null,
        move_id: move.id,
      });
    }
    for (const [lineId, { add, index }] of adds) {
      const line = byId.get(lineId)!;
      await consumeReservation(tx, ctx, open.get(lineId), add);
      if (!(await orders.addShipped(tx, lineId, add))) {
        const check = checkShipQty({ qty: line.qty, shipped: line.qty }, add);
        throw fail(
          check.ok ? { ok: false, code: 'OVER_SHIPMENT', message: 'over-shipment' } : check,
          `/lines/${index}/qty`,
        );
      }
    }
    await repo.insertShipment(tx, head, shipmentLines);
    const shipment = toShipment({ ...head, lines: shipmentLines });
    await recordAudit(tx, ctx, {
      entityType: 'shipment',
      entityId: head.id,
      action: 'post',
      before: null,
      after: shipment,
    });
    const next = rollupStatus(
      status,
      lines.map((l) => ({ qty: l.qty, shipped: l.shipped_qty + (adds.get(l.id)?.add ?? 0) })),
    );
    await saveOrder(
      tx,
      ctx,
      order,
      { status: next },
      'ship',
      next !== status ? { type: 'salesorder.status_changed', data: { from: status, to: next } } : null,
    );
    await appendEvent(tx, ctx, {
      type: 'shipment.posted',
      aggregateType: 'sales_order',
      aggregateId: order.id,
      data: {
        ...shipment,
        salesOrderCode: order.code,
        orderStatus: next,
        lines: shipment.lines.map((l) => {
          const line = byId.get(l.lineId)!;
          return { ...l, shippedTotal: formatQty(line.shipped_qty + (adds.get(l.lineId)?.add ?? 0)) };
        }),
      },
    });
    return shipment;
  });
}

export async function listShipments(db: Db, orderId: string): Promise<{ items: Shipment[] }> {
  if (!(await orders.findOrder(db.kysely, orderId))) throw notFound('Sales order', orderId);
  return { items: (await repo.shipmentsOf(db.kysely, orderId)).map(toShipment) };
}

export async function getShipment(db: Db, orderId: string, shipmentId: string): Promise<Shipment> {
  const [row] = await repo.shipmentsOf(db.kysely, orderId, shipmentId);
  if (!row) throw notFound('Shipment', shipmentId);
  return toShipment(row);
}

/** The delivery note of one shipment as a PDF. */
export async function deliveryNotePdf(db: Db, orderId: string, shipmentId: string): Promise<Buffer> {
  const shipment = await getShipment(db, orderId, shipmentId);
  const order = (await orders.findOrder(db.kysely, orderId))!;
  const customer = await orders.findCustomer(db.kysely, order.customer_id);
  const { items, locations } = await repo.deliveryNoteData(
    db.kysely,
    shipment.lines.map((l) => l.itemId),
    shipment.lines.map((l) => l.fromLocationId),
  );
  return renderDeliveryNote({
    shipmentCode: shipment.code,
    orderCode: order.code,
    customerRef: order.external_ref,
    customer: { code: order.customer_code, name: order.customer_name, address: customer?.address ?? '' },
    date: localDay(new Date(shipment.createdAt)),
    note: shipment.note,
    lines: shipment.lines.map((l) => {
      const item = items.get(l.itemId);
      return {
        itemCode: item?.code ?? l.itemId,
        name: item?.name ?? '',
        spec: item?.spec ?? '',
        uom: item?.uom ?? '',
        qty: l.qty,
        lot: l.lot ?? '',
        location: locations.get(l.fromLocationId) ?? '',
      };
    }),
  });
}
