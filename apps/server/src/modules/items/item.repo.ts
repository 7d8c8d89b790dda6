import type { ItemListQuery, UomConversion } from '@takt/contracts';
import type { Kysely } from 'kysely';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database, ItemsTable } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { customFieldFilter } from '../masterdata/custom-fields.service.ts';
import { containsText, runPage } from '../masterdata/list.ts';

type Q = Kysely<Database> | Tx;

export async function findItem(db: Q, id: string): Promise<ItemsTable | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findItems(db: Q, ids: readonly string[]): Promise<ItemsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('items').selectAll().where('id', 'in', ids).execute();
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
  cacheOf(db).invalidate(db, 'items', id);
  return db
    .updateTable('items')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteItem(db: Q, id: string): Promise<void> {
  await db.deleteFrom('items').where('id', '=', id).execute();
  cacheOf(db).invalidate(db, 'items', id);
}

export async function listItems(db: Q, dialect: Dialect, query: ItemListQuery) {
  let q = db.selectFrom('items').selectAll();
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.type) q = q.where('type', '=', query.type);
  if (query.tracking) q = q.where('tracking', '=', query.tracking);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  const custom = await customFieldFilter(db, dialect, 'items', 'custom_fields', query);
  if (custom) q = q.where(custom);
  return runPage(q, query);
}

/** Conversions of the given items, by item id. */
export async function conversionsOf(
  db: Q,
  itemIds: readonly string[],
): Promise<Map<string, UomConversion[]>> {
  const out = new Map<string, UomConversion[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('item_uom_conversions')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('from_uom')
    .orderBy('to_uom')
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id) ?? [];
    list.push({ from: r.from_uom, to: r.to_uom, num: Number(r.factor_num), den: Number(r.factor_den) });
    out.set(r.item_id, list);
  }
  return out;
}

/** Replaces the conversions of an item; `created` when the item was inserted in this transaction. */
export async function replaceConversions(
  tx: Tx,
  itemId: string,
  list: readonly UomConversion[],
  how: 'changed' | 'created' = 'changed',
): Promise<void> {
  cacheOf(tx).invalidate(tx, 'items', itemId, how);
  // A new item has no conversions yet: nothing to delete (and no change for cached reads to see).
  if (how === 'changed') await tx.deleteFrom('item_uom_conversions').where('item_id', '=', itemId).execute();
  if (list.length === 0) return;
  await tx
    .insertInto('item_uom_conversions')
    .values(
      list.map((c) => ({
        id: newId(),
        item_id: itemId,
        from_uom: c.from,
        to_uom: c.to,
        factor_num: c.num,
        factor_den: c.den,
      })),
    )
    .execute();
}

/** Items sharing a near-duplicate key (same name and spec after normalising), other than `excludeId`. */
export async function nearDuplicates(db: Q, key: string, excludeId?: string) {
  let q = db
    .selectFrom('items')
    .select(['id', 'code', 'name', 'spec'])
    .where('dup_key', '=', key)
    .orderBy('code')
    .limit(20);
  if (excludeId) q = q.where('id', '!=', excludeId);
  return q.execute();
}
