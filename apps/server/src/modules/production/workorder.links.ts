import type { Kysely } from 'kysely';
import { preparedList } from '../../platform/db/compiled.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { formatQty } from '../../platform/units.ts';

type Q = Kysely<Database> | Tx;

const OPEN = ['draft', 'released', 'dispatched', 'in_progress', 'paused', 'on_hold'];

const ofLines = preparedList((db, lineIds: readonly string[]) =>
  db
    .selectFrom('work_orders')
    .select(['id', 'code', 'status', 'qty', 'sales_order_line_id'])
    .where('sales_order_line_id', 'in', lineIds)
    .orderBy('code'),
);

/** Work orders made for sales order lines (top-level and children pegged to the same line). */
export async function workOrdersByLines(db: Q, lineIds: readonly string[]) {
  const out = new Map<string, { id: string; code: string; status: string; qty: string }[]>();
  if (lineIds.length === 0) return out;
  const rows = await ofLines(db, lineIds);
  for (const r of rows) {
    const key = r.sales_order_line_id ?? '';
    const list = out.get(key) ?? [];
    list.push({ id: r.id, code: r.code, status: r.status, qty: formatQty(Number(r.qty)) });
    out.set(key, list);
  }
  return out;
}

/** Output still to come from open work orders per item, on their due dates. */
export async function openWorkOrderReceipts(db: Q, itemIds: readonly string[]) {
  const out = new Map<string, { date: string; qty: number }[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('work_orders')
    .select(['item_id', 'qty', 'qty_good', 'qty_received', 'due_date'])
    .where('item_id', 'in', itemIds)
    .where('status', 'in', OPEN)
    .where('due_date', 'is not', null)
    .execute();
  for (const r of rows) {
    const left = Number(r.qty) - Math.max(Number(r.qty_good), Number(r.qty_received));
    if (left <= 0) continue;
    const list = out.get(r.item_id) ?? [];
    list.push({ date: String(r.due_date), qty: left });
    out.set(r.item_id, list);
  }
  return out;
}
