import type { Kysely } from 'kysely';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database, RolesTable } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export async function findRole(db: Q, id: string): Promise<RolesTable | undefined> {
  return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRolesByName(db: Q, names: readonly string[]): Promise<RolesTable[]> {
  if (names.length === 0) return [];
  return db.selectFrom('roles').selectAll().where('name', 'in', names).execute();
}

export async function listRoles(db: Q): Promise<RolesTable[]> {
  return db.selectFrom('roles').selectAll().orderBy('name').execute();
}

export async function insertRole(db: Q, row: RolesTable): Promise<void> {
  await db.insertInto('roles').values(row).execute();
  cacheOf(db).invalidate(db, 'roles', row.name);
}

export async function updateRole(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<RolesTable, 'id' | 'name' | 'version' | 'created_at'>>,
): Promise<RolesTable | undefined> {
  const after = await db
    .updateTable('roles')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (after) cacheOf(db).invalidate(db, 'roles', after.name);
  return after;
}

export async function deleteRole(db: Q, id: string): Promise<void> {
  const gone = await db.deleteFrom('roles').where('id', '=', id).returning('name').executeTakeFirst();
  if (gone) cacheOf(db).invalidate(db, 'roles', gone.name);
}
