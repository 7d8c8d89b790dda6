import type { BomListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { BomLinesTable, BomsTable, Database } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

const SORTS = { itemCode: 'item_code', updatedAt: 'updated_at' } as const;

/** Serializes BOM structure changes on PostgreSQL (SQLite writers are serialized already). */
export async function lockStructure(tx: Tx, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7301001)`.execute(tx);
}

export async function findBom(db: Q, id: string): Promise<BomsTable | undefined> {
  return db.selectFrom('boms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function linesOf(db: Q, bomIds: readonly string[]): Promise<BomLinesTable[]> {
  if (bomIds.length === 0) return [];
  return db
    .selectFrom('bom_lines')
    .selectAll()
    .where('bom_id', 'in', bomIds)
    .orderBy('bom_id')
    .orderBy('position')
    .execute();
}

export async function insertBom(db: Q, row: BomsTable): Promise<void> {
  await db.insertInto('boms').values(row).execute();
}

export async function replaceLines(db: Q, bomId: string, lines: readonly BomLinesTable[]): Promise<void> {
  await db.deleteFrom('bom_lines').where('bom_id', '=', bomId).execute();
  if (lines.length > 0)
    await db
      .insertInto('bom_lines')
      .values([...lines])
      .execute();
}

export async function updateBom(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<BomsTable, 'id' | 'version' | 'created_at'>>,
): Promise<BomsTable | undefined> {
  return db
    .updateTable('boms')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteBom(db: Q, id: string): Promise<void> {
  await db.deleteFrom('boms').where('id', '=', id).execute();
}

export async function activeBomOf(db: Q, itemId: string): Promise<BomsTable | undefined> {
  return db
    .selectFrom('boms')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function activeBomsOf(db: Q, itemIds: readonly string[]): Promise<BomsTable[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('boms')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .where('status', '=', 'active')
    .execute();
}

/** Every parent → component edge of the active structure, with the codes for messages. */
export async function activeEdges(db: Q) {
  return db
    .selectFrom('bom_lines as l')
    .innerJoin('boms as b', 'b.id', 'l.bom_id')
    .where('b.status', '=', 'active')
    .select([
      'b.item_id as parent',
      'b.item_code as parentCode',
      'l.component_item_id as component',
      'l.component_code as componentCode',
    ])
    .execute();
}

/** Lines of active BOMs that use any of `componentIds`, with their BOM headers. */
export async function activeUsesOf(db: Q, componentIds: readonly string[]) {
  if (componentIds.length === 0) return [];
  return db
    .selectFrom('bom_lines as l')
    .innerJoin('boms as b', 'b.id', 'l.bom_id')
    .where('b.status', '=', 'active')
    .where('l.component_item_id', 'in', componentIds)
    .select([
      'b.id as bomId',
      'b.version_label as label',
      'b.item_id as parentId',
      'b.item_code as parentCode',
      'l.component_item_id as componentId',
      'l.component_code as componentCode',
      'l.qty_per as qtyPer',
      'l.scrap_bp as scrapBp',
      'l.position as position',
    ])
    .orderBy('b.item_code')
    .orderBy('l.position')
    .execute();
}

export async function listBoms(db: Q, dialect: 'sqlite' | 'postgres', query: BomListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'itemCode');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('boms')
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
