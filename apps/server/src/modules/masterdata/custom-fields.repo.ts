import type { CustomFieldDefQuery, CustomFieldEntity } from '@takt/contracts';
import type { Kysely } from 'kysely';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { CustomFieldDefsTable } from '../../platform/db/schema-custom-fields.ts';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export async function findDef(db: Q, id: string): Promise<CustomFieldDefsTable | undefined> {
  return db.selectFrom('custom_field_defs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Definitions in display order (position, then key). */
export async function listDefs(db: Q, query: CustomFieldDefQuery): Promise<CustomFieldDefsTable[]> {
  let q = db.selectFrom('custom_field_defs').selectAll();
  if (query.entity) q = q.where('entity', '=', query.entity);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  return q.orderBy('entity').orderBy('position').orderBy('key').execute();
}

/**
 * The entity's definitions, active or not, through the master-data cache outside a transaction
 * (shared and frozen: read them, never change them); every insert and update here drops them.
 */
export async function defsOf(db: Q, entity: CustomFieldEntity): Promise<readonly CustomFieldDefsTable[]> {
  return cacheOf(db).get(
    db,
    'custom_fields',
    entity,
    async () => Object.freeze((await listDefs(db, { entity })).map((d) => Object.freeze(d))),
    { frozen: true },
  );
}

export async function insertDef(db: Q, row: CustomFieldDefsTable): Promise<void> {
  await db.insertInto('custom_field_defs').values(row).execute();
  cacheOf(db).invalidate(db, 'custom_fields', row.entity);
}

export async function updateDef(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<CustomFieldDefsTable, 'id' | 'version'>>,
): Promise<CustomFieldDefsTable | undefined> {
  const row = await db
    .updateTable('custom_field_defs')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (row) cacheOf(db).invalidate(db, 'custom_fields', row.entity);
  return row;
}
