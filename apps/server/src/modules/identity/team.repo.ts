import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database, TeamsTable } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export async function findTeam(db: Q, id: string): Promise<TeamsTable | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTeams(db: Q): Promise<TeamsTable[]> {
  return db.selectFrom('teams').selectAll().orderBy('name').orderBy('id').execute();
}

export async function insertTeam(db: Q, row: TeamsTable): Promise<void> {
  await db.insertInto('teams').values(row).execute();
}

export async function updateTeam(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<TeamsTable, 'id' | 'version' | 'created_at'>>,
): Promise<TeamsTable | undefined> {
  return db
    .updateTable('teams')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
