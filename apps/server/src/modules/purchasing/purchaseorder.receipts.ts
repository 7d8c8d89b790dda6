import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

/** Quantities still to arrive on open purchase order lines per item, on their due dates. */
export async function openPurchaseReceipts(db: Q, itemIds: readonly string[]) {
  const out = new Map<string, { date: string; qty: number }[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as o', 'o.id', 'l.po_id')
    .select(['l.item_id', 'l.qty', 'l.received_qty', 'l.due_date'])
    .where('l.item_id', 'in', itemIds)
    .where('o.status', 'in', ['approved', 'sent', 'partially_received'])
    .where(sql<boolean>`l.qty > l.received_qty`)
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id) ?? [];
    list.push({ date: String(r.due_date), qty: Number(r.qty) - Number(r.received_qty) });
    out.set(r.item_id, list);
  }
  return out;
}
