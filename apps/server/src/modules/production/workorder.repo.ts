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

export async function findWorkOrder(db: Q, id: string) {
  return db
    .selectFrom('work_orders as w')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .selectAll('w')
    .select(['i.code as item_code', 'i.name as item_name'])
    .where('w.id', '=', id)
    .executeTakeFirst();
}

export type WorkOrderRow = NonNullable<Awaited<ReturnType<typeof findWorkOrder>>>;

export async function lockWorkOrder(tx: Tx, dialect: 'sqlite' | 'postgres', id: string) {
  let q = tx.selectFrom('work_orders').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}
