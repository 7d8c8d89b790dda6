import type { InspectionListQuery } from '@takt/contracts';
import { preparedList } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { InspectionCharacteristicsTable, InspectionsTable } from '../../platform/db/schema-quality.ts';

export type InspectionRow = InspectionsTable & {
  op_seq: number;
  op_name: string;
  machine_id: string | null;
  wo_code: string;
  item_code: string;
};

type Handle = Tx | Db['kysely'];

function selectInspections(h: Handle) {
  return h
    .selectFrom('inspections as q')
    .innerJoin('work_order_operations as o', 'o.id', 'q.operation_id')
    .innerJoin('work_orders as w', 'w.id', 'q.work_order_id')
    .innerJoin('items as i', 'i.id', 'q.item_id')
    .selectAll('q')
    .select([
      'o.seq as op_seq',
      'o.name as op_name',
      'o.machine_id',
      'w.code as wo_code',
      'i.code as item_code',
    ]);
}

export async function findInspection(h: Handle, id: string): Promise<InspectionRow | undefined> {
  return selectInspections(h).where('q.id', '=', id).executeTakeFirst();
}

export async function lockInspection(tx: Tx, db: Db, id: string): Promise<InspectionsTable | undefined> {
  let q = tx.selectFrom('inspections').selectAll().where('id', '=', id);
  if (db.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listInspections(h: Handle, q: InspectionListQuery): Promise<InspectionRow[]> {
  let query = selectInspections(h)
    .orderBy('q.requested_at', 'desc')
    .orderBy('q.id', 'desc')
    .limit(q.limit ?? 100);
  if (q.state) query = query.where('q.state', '=', q.state);
  if (q.workOrderId) query = query.where('q.work_order_id', '=', q.workOrderId);
  if (q.operationId) query = query.where('q.operation_id', '=', q.operationId);
  return query.execute();
}

export async function characteristicsOf(
  h: Handle,
  ids: readonly string[],
): Promise<InspectionCharacteristicsTable[]> {
  if (ids.length === 0) return [];
  return h
    .selectFrom('inspection_characteristics')
    .selectAll()
    .where('inspection_id', 'in', ids)
    .orderBy('inspection_id')
    .orderBy('line')
    .execute();
}

/** First-article inspections of the operations, newest first (read with every operation's state). */
const firstArticles = preparedList((db, operationIds: readonly string[]) =>
  db
    .selectFrom('inspections')
    .select(['operation_id', 'state', 'requested_at', 'id'])
    .where('operation_id', 'in', operationIds)
    .where('type', '=', 'first_article')
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc'),
);

/** The newest first-article inspection of each operation. */
export async function latestFirstArticles(
  h: Handle,
  operationIds: readonly string[],
): Promise<Map<string, InspectionsTable['state']>> {
  const out = new Map<string, InspectionsTable['state']>();
  if (operationIds.length === 0) return out;
  const rows = await firstArticles(h, operationIds);
  for (const r of rows) if (!out.has(r.operation_id)) out.set(r.operation_id, r.state);
  return out;
}

export async function lockOperationForInspection(tx: Tx, db: Db, operationId: string) {
  let q = tx
    .selectFrom('work_order_operations as o')
    .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
    .select([
      'o.id',
      'o.inspection',
      'o.status',
      'o.work_order_id',
      'w.item_id',
      'w.code as wo_code',
      'o.seq',
    ])
    .where('o.id', '=', operationId);
  if (db.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}
