import type { Kysely } from 'kysely';
import type { Actor } from '../context.ts';
import type { Tx } from '../db/database.ts';
import type { Database, UsersTable } from '../db/schema.ts';
import { BUILT_IN_ROLES, holdsAdmin } from './roles.ts';

type Q = Kysely<Database> | Tx;

/**
 * Permissions granted by a set of role names: built-in roles from code, custom roles from the `roles`
 * table. Unknown names grant nothing (deny by default).
 */
export async function permissionsFor(db: Q, roles: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const custom: string[] = [];
  for (const r of roles) {
    const builtIn = Object.hasOwn(BUILT_IN_ROLES, r) ? BUILT_IN_ROLES[r] : undefined;
    if (builtIn) for (const p of builtIn) out.add(p);
    else custom.push(r);
  }
  if (custom.length > 0) {
    const rows = await db.selectFrom('roles').select('permissions').where('name', 'in', custom).execute();
    for (const row of rows) for (const p of JSON.parse(row.permissions) as string[]) out.add(p);
  }
  return out;
}

export async function userActor(db: Q, user: Pick<UsersTable, 'id' | 'login' | 'roles'>): Promise<Actor> {
  const roles = JSON.parse(user.roles) as string[];
  return {
    type: 'user',
    id: user.id,
    login: user.login,
    roles,
    permissions: await permissionsFor(db, roles),
  };
}

export const REQUIRE_ADMIN_TOTP = 'require_admin_totp';

export async function requireAdminTotp(db: Q): Promise<boolean> {
  const row = await db
    .selectFrom('identity_settings')
    .select('value')
    .where('key', '=', REQUIRE_ADMIN_TOTP)
    .executeTakeFirst();
  return row ? JSON.parse(row.value) === true : false;
}

export type Pending = 'password_change' | 'totp_enrolment' | null;

/**
 * What a browser session must do before anything else: change a password an admin reset, or enrol a
 * second factor when the installation requires one for administrators.
 */
export async function pendingStep(
  db: Q,
  user: Pick<UsersTable, 'must_change_password' | 'totp_enabled'>,
  permissions: ReadonlySet<string>,
): Promise<Pending> {
  if (user.must_change_password === 1) return 'password_change';
  if (user.totp_enabled !== 1 && holdsAdmin(permissions) && (await requireAdminTotp(db))) {
    return 'totp_enrolment';
  }
  return null;
}
