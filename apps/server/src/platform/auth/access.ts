import type { Kysely } from 'kysely';
import type { Actor } from '../context.ts';
import { cacheOf } from '../cache/cache.ts';
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
  const cache = cacheOf(db);
  for (const name of custom) {
    const granted = await cache.get(db, 'roles', name, async () => {
      const row = await db
        .selectFrom('roles')
        .select('permissions')
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? (JSON.parse(row.permissions) as string[]) : [];
    });
    for (const p of granted) out.add(p);
  }
  return out;
}

/** Permissions of role lists made of built-in roles only (fixed in code), by the stored JSON list. */
const builtInGrants = new Map<string, ReadonlySet<string>>();

/**
 * Actors of frozen user rows (the session cache hands out the same frozen row until it reloads it), for
 * users whose roles are all built in: such an actor cannot change while its row does not.
 */
const frozenActors = new WeakMap<object, Actor>();

export async function userActor(db: Q, user: Pick<UsersTable, 'id' | 'login' | 'roles'>): Promise<Actor> {
  const known = frozenActors.get(user);
  if (known) return known;
  const roles = JSON.parse(user.roles) as string[];
  let permissions = builtInGrants.get(user.roles);
  if (!permissions) {
    permissions = await permissionsFor(db, roles);
    if (roles.every((r) => Object.hasOwn(BUILT_IN_ROLES, r))) {
      if (builtInGrants.size >= 1000) builtInGrants.clear();
      builtInGrants.set(user.roles, permissions);
    }
  }
  const actor: Actor = { type: 'user', id: user.id, login: user.login, roles, permissions };
  if (Object.isFrozen(user) && builtInGrants.get(user.roles) === permissions) frozenActors.set(user, actor);
  return actor;
}

export const REQUIRE_ADMIN_TOTP = 'require_admin_totp';

export async function requireAdminTotp(db: Q): Promise<boolean> {
  return cacheOf(db).get(db, 'settings', REQUIRE_ADMIN_TOTP, async () => {
    const row = await db
      .selectFrom('identity_settings')
      .select('value')
      .where('key', '=', REQUIRE_ADMIN_TOTP)
      .executeTakeFirst();
    return row ? JSON.parse(row.value) === true : false;
  });
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
