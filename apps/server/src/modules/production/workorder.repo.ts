import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export async function activeBom(db: Q, itemId: string) {
  return db
    .selectFrom('boms')
    .select(['id'])
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function activeRouting(db: Q, itemId: string) {
  return db
    .selectFrom('routings')
    .select(['id'])
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function bomLines(db: Q, bomId: string) {
  return db.selectFrom('bom_lines').selectAll().where('bom_id', '=', bomId).orderBy('position').execute();
}

export async function routingOperations(db: Q, routingId: string) {
  return db
    .selectFrom('routing_operations')
    .selectAll()
    .where('routing_id', '=', routingId)
    .orderBy('seq')
    .execute();
}

/** A work order with its item's code and name, from the hot table or its archive twin. */
export async function findWorkOrder(db: Q, id: string, table: 'work_orders' = 'work_orders') {
  return db
    .selectFrom(`${table} as w` as 'work_orders as w')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .selectAll('w')
    .select(['i.code as item_code', 'i.name as item_name'])
    .where('w.id', '=', id)
    .executeTakeFirst();
}

export type WorkOrderRow = NonNullable<Awaited<ReturnType<typeof findWorkOrder>>>;

/** The work-order columns a list row shows: all but the close-short reason and the source. */
export const SUMMARY_COLUMNS = [
  'w.id',
  'w.code',
  'w.item_id',
  'w.qty',
  'w.qty_good',
  'w.qty_scrap',
  'w.qty_received',
  'w.status',
  'w.held_from',
  'w.bom_id',
  'w.routing_id',
  'w.parent_id',
  'w.root_id',
  'w.sales_order_id',
  'w.sales_order_line_id',
  'w.due_date',
  'w.priority',
  'w.custom_fields',
  'w.version',
  'w.created_at',
  'w.updated_at',
] as const;

export type WorkOrderSummaryRow = Omit<WorkOrderRow, 'closed_short_reason' | 'source'>;

/** Custom field values (checked JSON); with a version and time when they change an existing order. */
export async function setCustomFields(
  tx: Tx,
  id: string,
  json: string,
  version?: number,
  updatedAt?: string,
): Promise<void> {
  await tx
    .updateTable('work_orders')
    .set({ custom_fields: json, ...(version !== undefined ? { version, updated_at: updatedAt } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function lockWorkOrder(tx: Tx, dialect: 'sqlite' | 'postgres', id: string) {
  let q = tx.selectFrom('work_orders').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}
