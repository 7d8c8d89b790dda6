import type { UserListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import { forgetSessions } from '../../platform/auth/sessions.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database, UsersTable } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf } from '../../platform/http/pagination.ts';

type Q = Kysely<Database> | Tx;

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function findUser(db: Q, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByLogin(db: Q, login: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirst();
}

export async function findUsersByLogins(db: Q, logins: readonly string[]): Promise<UsersTable[]> {
  if (logins.length === 0) return [];
  return db.selectFrom('users').selectAll().where('login', 'in', logins).orderBy('login').execute();
}

export async function insertUser(db: Q, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

/** Updates only when the stored version is `version`; undefined when stale. */
export async function updateUser(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<UsersTable, 'id' | 'version' | 'created_at'>>,
): Promise<UsersTable | undefined> {
  const after = await db
    .updateTable('users')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (after) forgetSessions(db);
  return after;
}

/** Active users and their role lists (small: people, not transactions). */
export async function activeUserRoles(db: Q): Promise<{ id: string; roles: string }[]> {
  return db.selectFrom('users').select(['id', 'roles']).where('active', '=', 1).execute();
}

export async function allUserRoles(db: Q): Promise<{ id: string; login: string; roles: string }[]> {
  return db.selectFrom('users').select(['id', 'login', 'roles']).execute();
}

export async function listUsers(db: Q, query: UserListQuery) {
  const limit = query.limit ?? 50;
  const sort = { key: 'login' };
  const cursor = decodeCursor(query.cursor, sort.key);
  let q = db
    .selectFrom('users')
    .selectAll()
    .orderBy('login', 'asc')
    .orderBy('id', 'asc')
    .limit(limit + 1);
  if (query.q) {
    const p = like(query.q.toLowerCase());
    q = q.where(
      sql<boolean>`(lower(login) like ${p} escape '\\' or lower(display_name) like ${p} escape '\\')`,
    );
  }
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (query.teamId) q = q.where('team_id', '=', query.teamId);
  if (query.role) q = q.where(sql<boolean>`roles like ${like(JSON.stringify(query.role))} escape '\\'`);
  if (cursor) {
    const v = String(cursor.v);
    q = q.where((eb) =>
      eb.or([eb('login', '>', v), eb.and([eb('login', '=', v), eb('id', '>', cursor.id)])]),
    );
  }
  return pageOf(await q.execute(), limit, sort, (r) => r.login);
}
