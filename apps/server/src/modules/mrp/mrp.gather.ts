import {
  basisPoints,
  days,
  demandId,
  type IsoDate,
  itemId,
  type MrpBomLine,
  type MrpDemand,
  type MrpInput,
  type MrpItem,
  type MrpReceipt,
  qty,
  receiptId,
} from '@takt/domain';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { SupplierOffer } from '../purchasing/purchaseorder.rules.ts';
import { supplierOffers } from './mrp.repo.ts';

/**
 * Reads the plan's inputs in a handful of set queries (no per-item round trips):
 *  - items with lead time, lot sizing and safety stock; *make* when the item has an active BOM
 *    (production lead days), *buy* otherwise (purchase lead days);
 *  - the lines of active BOMs (effective dates are not applied: the active version is the one used);
 *  - on hand per item outside quarantine locations;
 *  - scheduled receipts and demands from the sources below.
 *
 * Extension points: a module that adds supply or demand (forecasts from an outside system, rework
 * orders) adds one function to RECEIPT_SOURCES or DEMAND_SOURCES. Open work orders are one such
 * pair: their remaining output is a receipt (kind 'work_order') on the due date, their unissued
 * material an 'allocation' demand on the due date less the item's production lead time.
 */
export type ReceiptSource = (db: Db) => Promise<MrpReceipt[]>;
export type DemandSource = (db: Db) => Promise<MrpDemand[]>;

const OPEN_PO = ['approved', 'sent', 'partially_received'];
const OPEN_LINE = ['open', 'partially_received'];
const OPEN_SALES = ['confirmed', 'in_production', 'partially_shipped'];

/** Remaining quantities of open purchase order lines, due on the supplier's due date. */
const openPurchaseLines: ReceiptSource = async (db) => {
  const rows = await db.kysely
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as o', 'o.id', 'l.po_id')
    .where('o.status', 'in', OPEN_PO as never[])
    .where('l.status', 'in', OPEN_LINE)
    .where(sql<boolean>`l.qty > l.received_qty`)
    .select(['l.id', 'l.item_id', 'l.qty', 'l.received_qty', 'l.due_date'])
    .execute();
  return rows.map((r) => ({
    id: receiptId(r.id),
    item: itemId(r.item_id),
    qty: qty(Number(r.qty) - Number(r.received_qty)),
    due: r.due_date as IsoDate,
    kind: 'purchase_order' as const,
  }));
};

/** Unshipped quantities of open sales order lines, on the promised date or else the requested one. */
const openSalesLines: DemandSource = async (db) => {
  const rows = await db.kysely
    .selectFrom('sales_order_lines as l')
    .innerJoin('sales_orders as o', 'o.id', 'l.sales_order_id')
    .where('o.status', 'in', OPEN_SALES)
    .where(sql<boolean>`l.qty > l.shipped_qty`)
    .select(['l.id', 'l.item_id', 'l.qty', 'l.shipped_qty', 'l.requested_date', 'l.promised_date'])
    .execute();
  return rows.map((r) => ({
    id: demandId(`SO:${r.id}`),
    item: itemId(r.item_id),
    qty: qty(Number(r.qty) - Number(r.shipped_qty)),
    due: (r.promised_date ?? r.requested_date) as IsoDate,
    kind: 'sales_order' as const,
  }));
};

/** Demand entered for planning only (forecasts, spares, samples). */
const independentDemands: DemandSource = async (db) => {
  const rows = await db.kysely.selectFrom('mrp_demands').selectAll().execute();
  return rows.map((r) => ({
    id: demandId(`D:${r.id}`),
    item: itemId(r.item_id),
    qty: qty(Number(r.qty)),
    due: r.due_date as IsoDate,
    kind: r.kind === 'forecast' ? ('forecast' as const) : ('other' as const),
  }));
};

const OPEN_WO = ['draft', 'released', 'dispatched', 'in_progress', 'paused', 'on_hold'];
const dayOffset = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10) as IsoDate;

/** Output still to come from open work orders (good output not yet in stock). */
const openWorkOrders: ReceiptSource = async (db) => {
  const rows = await db.kysely
    .selectFrom('work_orders')
    .where('status', 'in', OPEN_WO)
    .where('due_date', 'is not', null)
    .select(['id', 'item_id', 'qty', 'qty_good', 'qty_received', 'due_date'])
    .execute();
  return rows
    .map((r) => ({
      id: receiptId(r.id),
      item: itemId(r.item_id),
      qty: qty(Math.max(0, Number(r.qty) - Math.max(Number(r.qty_good), Number(r.qty_received)))),
      due: r.due_date as IsoDate,
      kind: 'work_order' as const,
    }))
    .filter((r) => r.qty > 0);
};

/** Material of open work orders not issued yet, needed when the order starts. */
const workOrderMaterials: DemandSource = async (db) => {
  const rows = await db.kysely
    .selectFrom('work_order_materials as m')
    .innerJoin('work_orders as w', 'w.id', 'm.work_order_id')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .where('w.status', 'in', OPEN_WO)
    .where('w.due_date', 'is not', null)
    .where(sql<boolean>`m.qty_required > m.qty_issued`)
    .select(['m.id', 'm.item_id', 'm.qty_required', 'm.qty_issued', 'w.due_date', 'i.production_lead_days'])
    .execute();
  return rows.map((r) => ({
    id: demandId(`WO:${r.id}`),
    item: itemId(r.item_id),
    qty: qty(Number(r.qty_required) - Number(r.qty_issued)),
    due: dayOffset(String(r.due_date), Number(r.production_lead_days)),
    kind: 'allocation' as const,
  }));
};

export const RECEIPT_SOURCES: ReceiptSource[] = [openPurchaseLines, openWorkOrders];
export const DEMAND_SOURCES: DemandSource[] = [openSalesLines, independentDemands, workOrderMaterials];

export async function gatherInput(db: Db, start: string): Promise<MrpInput> {
  const k = db.kysely;
  const makes = new Set(
    (await k.selectFrom('boms').select('item_id').where('status', '=', 'active').execute()).map(
      (r) => r.item_id,
    ),
  );
  const itemRows = await k
    .selectFrom('items')
    .select([
      'id',
      'purchase_lead_days',
      'production_lead_days',
      'min_order_qty',
      'order_multiple',
      'safety_stock',
    ])
    .execute();
  const items: MrpItem[] = itemRows.map((r) => {
    const make = makes.has(r.id);
    return {
      id: itemId(r.id),
      source: make ? 'make' : 'buy',
      leadTimeDays: days(Number(make ? r.production_lead_days : r.purchase_lead_days)),
      minOrderQty: qty(Number(r.min_order_qty)),
      orderMultiple: qty(Number(r.order_multiple)),
      safetyStock: qty(Number(r.safety_stock)),
    };
  });
  const bomRows = await k
    .selectFrom('bom_lines as l')
    .innerJoin('boms as b', 'b.id', 'l.bom_id')
    .where('b.status', '=', 'active')
    .select(['b.item_id as parent', 'l.component_item_id as component', 'l.qty_per', 'l.scrap_bp'])
    .execute();
  const bom: MrpBomLine[] = bomRows.map((r) => ({
    parent: itemId(r.parent),
    component: itemId(r.component),
    qtyPer: qty(Number(r.qty_per)),
    scrap: basisPoints(Number(r.scrap_bp)),
  }));
  const stock = await k
    .selectFrom('stock_balances as s')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .where('l.kind', '<>', 'quarantine')
    .groupBy('s.item_id')
    .select(['s.item_id', sql<number>`sum(s.on_hand)`.as('qty')])
    .execute();
  const receipts = (await Promise.all(RECEIPT_SOURCES.map((s) => s(db)))).flat();
  const demands = (await Promise.all(DEMAND_SOURCES.map((s) => s(db)))).flat();
  return {
    items,
    bom,
    onHand: stock.map((r) => ({ item: itemId(r.item_id), qty: qty(Number(r.qty)) })),
    receipts,
    demands,
    start: start as IsoDate,
  };
}

/** Everything a run plans from: the netting input and the supplier offers for planned purchases. */
export interface GatheredPlan {
  readonly input: MrpInput;
  readonly offers: SupplierOffer[];
}

export async function gatherPlan(db: Db, start: string): Promise<GatheredPlan> {
  const input = await gatherInput(db, start);
  const offers = (await supplierOffers(db.kysely)).map((o) => ({ ...o, price: Number(o.price) }));
  return { input, offers };
}
