import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { formatQty } from '../../platform/units.ts';
import { ledgerFindings } from '../inventory/inventory.query.ts';
import { brokerStatus, webhookDeliveries } from './recon.hub-checks.ts';
import { reportReadModel } from './recon.report-checks.ts';

/**
 * The checks of a reconciliation run. Each compares a figure a module keeps (a balance, a received or
 * shipped quantity, a reservation) with what the ledger or the delivery log says it should be. They
 * read other modules' tables on purpose: an auditor that asked the audited code would learn nothing.
 */
export interface Finding {
  readonly check: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly entityCode: string;
  readonly expected: string;
  readonly actual: string;
  readonly details: Record<string, unknown>;
}

export interface CheckOptions {
  /** A webhook delivery pending longer than this is reported (default one hour). */
  readonly pendingTooLongMs: number;
  /** Full days before today whose reports read model is compared with the history (default 7). */
  readonly reportDays: number;
}

export type Check = (db: Db, options: CheckOptions) => Promise<Finding[]>;

const n = (v: unknown): number => Number(v ?? 0);

/** Sums per key into a map. */
function sums(rows: { key: string | null; total: unknown }[], sign = 1, into = new Map<string, number>()) {
  for (const r of rows) if (r.key) into.set(r.key, (into.get(r.key) ?? 0) + sign * n(r.total));
  return into;
}

const ledgerBalance: Check = async (db) => {
  const rows = await ledgerFindings(db);
  if (rows.length === 0) return [];
  const items = await db.kysely
    .selectFrom('items')
    .select(['id', 'code'])
    .where(
      'id',
      'in',
      rows.map((r) => r.itemId),
    )
    .execute();
  const code = new Map(items.map((i) => [i.id, i.code]));
  return rows.map((r) => ({
    check: 'ledger_balance',
    entityType: 'stock_balance',
    entityId: `${r.itemId}:${r.locationId}:${r.lot ?? ''}`,
    entityCode: code.get(r.itemId) ?? r.itemId,
    expected: r.sumOfMoves,
    actual: r.balance,
    details: { itemId: r.itemId, locationId: r.locationId, lot: r.lot },
  }));
};

/** Work order received output against its `output` moves (net of reversals). */
const workOrderOutput: Check = async (db) => {
  const k = db.kysely;
  const moved = sums(
    await k
      .selectFrom('stock_moves_all')
      .select(['ref_id as key', sql<number>`sum(qty)`.as('total')])
      .where('kind', '=', 'output')
      .where('ref_type', '=', 'work_order')
      .where('reverses_id', 'is', null)
      .groupBy('ref_id')
      .execute(),
  );
  sums(
    await k
      .selectFrom('stock_moves_all as r')
      .innerJoin('stock_moves_all as o', 'o.id', 'r.reverses_id')
      .select(['o.ref_id as key', sql<number>`sum(r.qty)`.as('total')])
      .where('o.kind', '=', 'output')
      .where('o.ref_type', '=', 'work_order')
      .groupBy('o.ref_id')
      .execute(),
    -1,
    moved,
  );
  const orders = await k
    .selectFrom('work_orders')
    .select(['id', 'code', 'qty_received', 'status'])
    .where((eb) =>
      eb.or([
        eb('qty_received', '<>', 0),
        eb(
          'id',
          'in',
          eb
            .selectFrom('stock_moves_all')
            .select('ref_id')
            .where('kind', '=', 'output')
            .where('ref_type', '=', 'work_order'),
        ),
      ]),
    )
    .execute();
  return orders
    .filter((w) => n(w.qty_received) !== (moved.get(w.id) ?? 0))
    .map((w) => ({
      check: 'work_order_output',
      entityType: 'work_order',
      entityId: w.id,
      entityCode: w.code,
      expected: formatQty(moved.get(w.id) ?? 0),
      actual: formatQty(n(w.qty_received)),
      details: { status: w.status, field: 'qty_received' },
    }));
};

/** Sales order line shipped quantity against the moves of its shipment lines (net of reversals). */
const salesLineShipped: Check = async (db) => {
  const k = db.kysely;
  const moved = sums(
    await k
      .selectFrom('shipment_lines as sl')
      .innerJoin('stock_moves_all as m', 'm.id', 'sl.move_id')
      .select(['sl.sales_order_line_id as key', sql<number>`sum(m.qty)`.as('total')])
      .groupBy('sl.sales_order_line_id')
      .execute(),
  );
  sums(
    await k
      .selectFrom('stock_moves_all as r')
      .innerJoin('shipment_lines as sl', 'sl.move_id', 'r.reverses_id')
      .select(['sl.sales_order_line_id as key', sql<number>`sum(r.qty)`.as('total')])
      .groupBy('sl.sales_order_line_id')
      .execute(),
    -1,
    moved,
  );
  const lines = await k
    .selectFrom('sales_order_lines as l')
    .innerJoin('sales_orders as o', 'o.id', 'l.sales_order_id')
    .select(['l.id', 'l.line_no', 'l.shipped_qty', 'l.sales_order_id', 'o.code'])
    .where((eb) =>
      eb.or([
        eb('l.shipped_qty', '<>', 0),
        eb('l.id', 'in', eb.selectFrom('shipment_lines').select('sales_order_line_id')),
      ]),
    )
    .execute();
  return lines
    .filter((l) => n(l.shipped_qty) !== (moved.get(l.id) ?? 0))
    .map((l) => ({
      check: 'sales_line_shipped',
      entityType: 'sales_order_line',
      entityId: l.id,
      entityCode: `${l.code}/${l.line_no}`,
      expected: formatQty(moved.get(l.id) ?? 0),
      actual: formatQty(n(l.shipped_qty)),
      details: { salesOrderId: l.sales_order_id, field: 'shipped_qty' },
    }));
};

/** Purchase order line received quantity against receipt moves minus return moves (net of reversals). */
const purchaseLineReceived: Check = async (db) => {
  const k = db.kysely;
  const signed = sql<number>`sum(case when pr.kind = 'return' then -m.qty else m.qty end)`;
  const moved = sums(
    await k
      .selectFrom('purchase_receipts as pr')
      .innerJoin('stock_moves_all as m', 'm.id', 'pr.move_id')
      .select(['pr.po_line_id as key', signed.as('total')])
      .groupBy('pr.po_line_id')
      .execute(),
  );
  sums(
    await k
      .selectFrom('stock_moves_all as m')
      .innerJoin('purchase_receipts as pr', 'pr.move_id', 'm.reverses_id')
      .select(['pr.po_line_id as key', signed.as('total')])
      .groupBy('pr.po_line_id')
      .execute(),
    -1,
    moved,
  );
  const lines = await k
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as o', 'o.id', 'l.po_id')
    .select(['l.id', 'l.line_no', 'l.received_qty', 'l.returned_qty', 'l.po_id', 'o.code'])
    .where((eb) =>
      eb.or([
        eb('l.received_qty', '<>', 0),
        eb('l.id', 'in', eb.selectFrom('purchase_receipts').select('po_line_id')),
      ]),
    )
    .execute();
  return lines
    .filter((l) => n(l.received_qty) !== (moved.get(l.id) ?? 0))
    .map((l) => ({
      check: 'purchase_line_received',
      entityType: 'purchase_order_line',
      entityId: l.id,
      entityCode: `${l.code}/${l.line_no}`,
      expected: formatQty(moved.get(l.id) ?? 0),
      actual: formatQty(n(l.received_qty)),
      details: { purchaseOrderId: l.po_id, returned: formatQty(n(l.returned_qty)), field: 'received_qty' },
    }));
};

/** Open reservations whose demand is over: the order shipped, closed or cancelled, the line fully shipped. */
const staleReservations: Check = async (db) => {
  const k = db.kysely;
  const sales = await k
    .selectFrom('reservations as r')
    .leftJoin('sales_order_lines as l', 'l.id', 'r.demand_id')
    .leftJoin('sales_orders as o', 'o.id', 'l.sales_order_id')
    .select(['r.id', 'r.qty', 'r.demand_id', 'o.code', 'o.status', 'l.line_no', 'l.qty as line_qty'])
    .select('l.shipped_qty')
    .where('r.status', '=', 'open')
    .where('r.demand_type', '=', 'sales_order_line')
    .where((eb) =>
      eb.or([
        eb('o.id', 'is', null),
        eb('o.status', 'in', ['shipped', 'closed', 'cancelled']),
        eb('l.shipped_qty', '>=', eb.ref('l.qty')),
      ]),
    )
    .execute();
  const work = await k
    .selectFrom('reservations as r')
    .leftJoin('work_order_materials as m', 'm.id', 'r.demand_id')
    .leftJoin('work_orders as w', 'w.id', 'm.work_order_id')
    .select(['r.id', 'r.qty', 'r.demand_id', 'w.code', 'w.status'])
    .where('r.status', '=', 'open')
    .where('r.demand_type', '=', 'work_order_material')
    .where((eb) =>
      eb.or([eb('w.id', 'is', null), eb('w.status', 'in', ['completed', 'closed', 'cancelled'])]),
    )
    .execute();
  const one = (
    r: { id: string; qty: unknown; demand_id: string; code: string | null; status: string | null },
    demandType: string,
    code: string,
  ): Finding => ({
    check: 'stale_reservation',
    entityType: 'reservation',
    entityId: r.id,
    entityCode: code,
    expected: formatQty(0),
    actual: formatQty(n(r.qty)),
    details: { demandType, demandId: r.demand_id, demandStatus: r.status ?? 'missing' },
  });
  return [
    ...sales.map((r) => one(r, 'sales_order_line', r.code ? `${r.code}/${r.line_no}` : r.demand_id)),
    ...work.map((r) => one(r, 'work_order_material', r.code ?? r.demand_id)),
  ];
};

export const CHECKS: Readonly<Record<string, Check>> = {
  ledger_balance: ledgerBalance,
  work_order_output: workOrderOutput,
  sales_line_shipped: salesLineShipped,
  purchase_line_received: purchaseLineReceived,
  stale_reservation: staleReservations,
  webhook_deliveries: webhookDeliveries,
  broker_status: brokerStatus,
  report_read_model: reportReadModel,
};
export const CHECK_NAMES = Object.keys(CHECKS);
