import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  MrpActionsTable,
  MrpPlannedOrdersTable,
  MrpRunsTable,
  MrpShortagesTable,
} from '../../platform/db/schema-purchasing.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

export async function findRun(db: Q, id: string, lock = false): Promise<MrpRunsTable | undefined> {
  let q = db.selectFrom('mrp_runs').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function activeRun(db: Q): Promise<MrpRunsTable | undefined> {
  return db.selectFrom('mrp_runs').selectAll().where('active_slot', '=', 1).executeTakeFirst();
}

export async function insertRun(tx: Tx, row: MrpRunsTable): Promise<void> {
  await tx.insertInto('mrp_runs').values(row).execute();
}

export async function updateRun(db: Q, id: string, changes: Partial<MrpRunsTable>) {
  return db.updateTable('mrp_runs').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Changes a run only while it is queued or running (never reopens a finished one). */
export async function advanceRun(db: Q, id: string, changes: Partial<MrpRunsTable>) {
  await db.updateTable('mrp_runs').set(changes).where('id', '=', id).where('active_slot', '=', 1).execute();
}

/** Removes what an earlier, interrupted execution of the run stored, so a re-run starts clean. */
export async function clearResults(tx: Tx, runId: string): Promise<void> {
  for (const t of ['mrp_planned_orders', 'mrp_shortages', 'mrp_actions'] as const)
    await tx.deleteFrom(t).where('run_id', '=', runId).execute();
}

const CHUNK = 400;
async function insertChunked<T extends 'mrp_planned_orders' | 'mrp_shortages' | 'mrp_actions'>(
  tx: Tx,
  table: T,
  rows: readonly (T extends 'mrp_planned_orders'
    ? MrpPlannedOrdersTable
    : T extends 'mrp_shortages'
      ? MrpShortagesTable
      : MrpActionsTable)[],
) {
  for (let i = 0; i < rows.length; i += CHUNK)
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
}

export async function storeResults(
  tx: Tx,
  planned: readonly MrpPlannedOrdersTable[],
  shortages: readonly MrpShortagesTable[],
  actions: readonly MrpActionsTable[],
): Promise<void> {
  await insertChunked(tx, 'mrp_planned_orders', planned);
  await insertChunked(tx, 'mrp_shortages', shortages);
  await insertChunked(tx, 'mrp_actions', actions);
}

function page<R extends { id: string }>(rows: R[], limit: number) {
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    rows: out,
    nextCursor: rows.length > limit && last ? encodeCursor({ s: 'id', v: null, id: last.id }) : null,
  };
}

export async function listRuns(db: Q, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, '-id');
  let q = db
    .selectFrom('mrp_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (cursor) q = q.where('id', '<', cursor.id);
  const rows = await q.execute();
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    rows: out,
    nextCursor: rows.length > limit && last ? encodeCursor({ s: '-id', v: null, id: last.id }) : null,
  };
}

type ResultTable = 'mrp_planned_orders' | 'mrp_shortages' | 'mrp_actions';
export interface ResultFilter {
  readonly itemId?: string;
  readonly kind?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** One page of a run's results with the item codes, in plan order (ids are time-ordered). */
export async function listResults<T extends ResultTable>(db: Q, table: T, runId: string, f: ResultFilter) {
  const limit = f.limit ?? 50;
  const cursor = decodeCursor(f.cursor, 'id');
  let q = db
    .selectFrom(`${table} as r` as 'mrp_actions as r')
    .innerJoin('items as i', 'i.id', 'r.item_id')
    .selectAll('r')
    .select('i.code as item_code')
    .where('r.run_id', '=', runId)
    .orderBy('r.id')
    .limit(limit + 1);
  if (f.itemId) q = q.where('r.item_id', '=', f.itemId);
  if (f.kind && table !== 'mrp_shortages') q = q.where(sql.ref('r.kind'), '=', f.kind);
  if (cursor) q = q.where('r.id', '>', cursor.id);
  return page((await q.execute()) as unknown as (RowOf<T> & { item_code: string })[], limit);
}

type RowOf<T extends ResultTable> = T extends 'mrp_planned_orders'
  ? MrpPlannedOrdersTable
  : T extends 'mrp_shortages'
    ? MrpShortagesTable
    : MrpActionsTable;

export async function plannedByIds(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('mrp_planned_orders').selectAll().where('id', 'in', ids).execute();
}

/** Cheapest-offer inputs for suggesting a supplier on planned purchases. */
export async function supplierOffers(db: Q) {
  return db
    .selectFrom('supplier_items as si')
    .innerJoin('suppliers as s', 's.id', 'si.supplier_id')
    .where('s.active', '=', 1)
    .select([
      'si.supplier_id as supplierId',
      's.code as supplierCode',
      'si.item_id as itemId',
      'si.price as price',
      'si.lead_days as leadDays',
    ])
    .execute();
}
