import type { RoutingListQuery } from '@takt/contracts';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {
  Database,
  RoutingAlternativesTable,
  RoutingOperationsTable,
  RoutingsTable,
} from '../../platform/db/schema.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

const SORTS = { itemCode: 'item_code', updatedAt: 'updated_at' } as const;

/** Serializes activations per database on PostgreSQL so one active version per item holds without retries. */
export async function lockRoutings(tx: Tx, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7301002)`.execute(tx);
}

export async function findRouting(db: Q, id: string): Promise<RoutingsTable | undefined> {
  return db.selectFrom('routings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function operationsOf(db: Q, routingIds: readonly string[]) {
  if (routingIds.length === 0) return { ops: [], alts: [] };
  const ops = await db
    .selectFrom('routing_operations')
    .selectAll()
    .where('routing_id', 'in', routingIds)
    .orderBy('routing_id')
    .orderBy('seq')
    .execute();
  const alts =
    ops.length === 0
      ? []
      : await db
          .selectFrom('routing_alternatives')
          .selectAll()
          .where(
            'operation_id',
            'in',
            ops.map((o) => o.id),
          )
          .orderBy('priority')
          .orderBy('id')
          .execute();
  return { ops, alts };
}

/** A routing's operations in seq order and their alternatives by priority. */
export type Operations = Awaited<ReturnType<typeof operationsOf>>;

export async function insertRouting(db: Q, row: RoutingsTable): Promise<void> {
  await db.insertInto('routings').values(row).execute();
}

export async function replaceOperations(
  db: Q,
  routingId: string,
  ops: readonly Insertable<RoutingOperationsTable>[],
  alts: readonly RoutingAlternativesTable[],
): Promise<void> {
  await db.deleteFrom('routing_operations').where('routing_id', '=', routingId).execute();
  if (ops.length > 0)
    await db
      .insertInto('routing_operations')
      .values([...ops])
      .execute();
  if (alts.length > 0)
    await db
      .insertInto('routing_alternatives')
      .values([...alts])
      .execute();
}

export async function updateRouting(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<RoutingsTable, 'id' | 'version' | 'created_at'>>,
): Promise<RoutingsTable | undefined> {
  return db
    .updateTable('routings')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteRouting(db: Q, id: string): Promise<void> {
  await db.deleteFrom('routings').where('id', '=', id).execute();
}

export async function activeRoutingOf(db: Q, itemId: string): Promise<RoutingsTable | undefined> {
  return db
    .selectFrom('routings')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function listRoutings(db: Q, dialect: 'sqlite' | 'postgres', query: RoutingListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'itemCode');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('routings')
    .selectAll()
    .orderBy(sort.column, dir)
    .orderBy('id', dir)
    .limit(limit + 1);
  if (query.q) {
    const p = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q =
      dialect === 'postgres'
        ? q.where(sql<boolean>`item_code ilike ${p}`)
        : q.where(sql<boolean>`item_code like ${p} escape '\\'`);
  }
  if (query.itemId) q = q.where('item_id', '=', query.itemId);
  if (query.status) q = q.where('status', '=', query.status);
  if (cursor) {
    const cmp = sort.desc ? '<' : '>';
    const v = cursor.v as string;
    q = q.where((eb) =>
      eb.or([eb(sort.column, cmp, v), eb.and([eb(sort.column, '=', v), eb('id', cmp, cursor.id)])]),
    );
  }
  return pageOf(await q.execute(), limit, sort, (r) => r[sort.column]);
}
