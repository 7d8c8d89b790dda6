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

/** The result tables in the order they are stored (actions refer to planned orders). */
export const RESULT_TABLES = ['mrp_planned_orders', 'mrp_shortages', 'mrp_actions'] as const;
export type ResultTable = (typeof RESULT_TABLES)[number];

/**
 * Result rows per write transaction when storing: a few milliseconds of writing, with requests
 * served in between, never one transaction holding the database for the whole plan. PostgreSQL
 * serves other connections meanwhile, and there a larger slice saves commits (each one a WAL flush).
 */
export const ROWS_PER_SLICE = { sqlite: 250, postgres: 1000 } as const;

type RowOf<T extends ResultTable> = T extends 'mrp_planned_orders'
  ? MrpPlannedOrdersTable
  : T extends 'mrp_shortages'
    ? MrpShortagesTable
    : MrpActionsTable;

/**
 * Removes up to `limit` rows that an earlier, interrupted execution of the run stored, so a re-run
 * starts clean; returns how many went. Called until it returns 0, each call in a short transaction.
 */
export async function clearResultsChunk(tx: Tx, table: ResultTable, runId: string, limit: number) {
  const r = await tx
    .deleteFrom(table)
    .where(
      'id',
      'in',
      tx
        .selectFrom(table as 'mrp_actions')
        .select('id')
        .where('run_id', '=', runId)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertResults<T extends ResultTable>(tx: Tx, table: T, rows: readonly RowOf<T>[]) {
  if (rows.length > 0)
    await tx
      .insertInto(table)
      .values(rows as never)
      .execute();
}

export async function countResults(db: Q, table: ResultTable, runId: string): Promise<number> {
  const r = await db
    .selectFrom(table as 'mrp_actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
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
