import type { ItemListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database, ItemsTable } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

const SORTS = { code: 'code', name: 'name', updatedAt: 'updated_at' } as const;

export async function findItem(db: Q, id: string): Promise<ItemsTable | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertItem(db: Q, row: ItemsTable): Promise<void> {
  await db.insertInto('items').values(row).execute();
}

/** Updates only when the stored version is `version`; returns the new row or undefined when stale. */
export async function updateItem(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<ItemsTable, 'id' | 'version' | 'created_at'>>,
): Promise<ItemsTable | undefined> {
  return db
    .updateTable('items')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function listItems(db: Q, dialect: 'sqlite' | 'postgres', query: ItemListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'code');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('items')
    .selectAll()
    .orderBy(sort.column, dir)
    .orderBy('id', dir)
    .limit(limit + 1);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q =
      dialect === 'postgres'
        ? q.where(sql<boolean>`(code ilike ${pattern} or name ilike ${pattern})`)
        : q.where(sql<boolean>`(code like ${pattern} escape '\\' or name like ${pattern} escape '\\')`);
  }
  if (query.type) q = q.where('type', '=', query.type);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (cursor) {
    const cmp = sort.desc ? '<' : '>';
    const v = cursor.v as string;
    q = q.where((eb) =>
      eb.or([eb(sort.column, cmp, v), eb.and([eb(sort.column, '=', v), eb('id', cmp, cursor.id)])]),
    );
  }
  const rows = await q.execute();
  return pageOf(rows, limit, sort, (r) => r[sort.column]);
}
