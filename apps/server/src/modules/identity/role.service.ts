import type { PermissionCatalog, Role, RoleCreate, RoleUpdate } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import {
  ACTIONS,
  BUILT_IN_ROLES,
  can,
  isBuiltInRole,
  isKnownPermission,
  MODULES,
  SPECIAL_PERMISSIONS,
} from '../../platform/auth/roles.ts';
import type { Actor, Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { RolesTable } from '../../platform/db/schema.ts';
import { AppError, type FieldError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as repo from './role.repo.ts';
import * as users from './user.repo.ts';

/**
 * Roles: the built-in ones (code, read-only) and custom ones with a permission matrix (module × action)
 * plus the special rights outside it.
 * Nobody hands out a right they do not hold themselves: not in a role, not by assigning a role.
 */
export function toRole(row: RolesTable): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as string[],
    builtIn: false,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function builtIn(name: string): Role {
  return {
    id: null,
    name,
    description: `built-in role ${name}`,
    permissions: [...(BUILT_IN_ROLES[name] ?? [])],
    builtIn: true,
    version: null,
    createdAt: null,
    updatedAt: null,
  };
}

export function permissionCatalog(): PermissionCatalog {
  return { modules: [...MODULES], actions: [...ACTIONS], special: [...SPECIAL_PERMISSIONS] };
}

/** Refuses rights the actor lacks, naming each offending entry. */
export function assertGrantable(actor: Actor, permissions: readonly string[], field: string): void {
  const errors: FieldError[] = [];
  permissions.forEach((p, i) => {
    if (!can(actor.permissions, p)) {
      errors.push({
        field: `${field}/${i}`,
        message: `grants ${p}, which you do not hold`,
        code: 'exceeds_own',
      });
    }
  });
  if (errors.length > 0) {
    throw new AppError('SCOPE_TOO_WIDE', 'You cannot grant rights you do not hold yourself', {
      fieldErrors: errors,
    });
  }
}

function checkPermissions(permissions: readonly string[]): string[] {
  const errors: FieldError[] = [];
  permissions.forEach((p, i) => {
    if (!isKnownPermission(p)) {
      errors.push({ field: `/permissions/${i}`, message: `${p} is not a module:action`, code: 'unknown' });
    }
  });
  if (errors.length > 0)
    throw new AppError('VALIDATION_FAILED', 'Unknown permissions', { fieldErrors: errors });
  return [...new Set(permissions)].sort();
}

/**
 * Checks role names for a user: each must exist, and the actor must hold every right they grant.
 * Returns the names deduplicated.
 */
export async function checkAssignableRoles(
  tx: Tx,
  actor: Actor,
  roles: readonly string[],
): Promise<string[]> {
  const custom = new Map((await repo.findRolesByName(tx, roles)).map((r) => [r.name, r]));
  const errors: FieldError[] = [];
  roles.forEach((name, i) => {
    const perms = isBuiltInRole(name)
      ? BUILT_IN_ROLES[name]!
      : (JSON.parse(custom.get(name)?.permissions ?? 'null') as string[] | null);
    if (!perms) errors.push({ field: `/roles/${i}`, message: `${name} is not a role`, code: 'unknown_role' });
    else if (perms.some((p) => !can(actor.permissions, p))) {
      errors.push({
        field: `/roles/${i}`,
        message: `${name} grants rights you do not hold`,
        code: 'exceeds_own',
      });
    }
  });
  if (errors.some((e) => e.code === 'unknown_role')) {
    throw new AppError('VALIDATION_FAILED', 'Unknown roles', { fieldErrors: errors });
  }
  if (errors.length > 0) {
    throw new AppError('SCOPE_TOO_WIDE', 'You cannot assign roles beyond your own rights', {
      fieldErrors: errors,
    });
  }
  return [...new Set(roles)];
}

export async function listRoles(db: Db): Promise<Role[]> {
  const custom = await repo.listRoles(db.kysely);
  return [...Object.keys(BUILT_IN_ROLES).map(builtIn), ...custom.map(toRole)];
}

export async function getRole(db: Db, id: string): Promise<Role> {
  const row = await repo.findRole(db.kysely, id);
  if (!row) throw notFound('Role', id);
  return toRole(row);
}

const duplicate = (name: string) =>
  new AppError('DUPLICATE_NAME', `A role named ${name} already exists`, {
    fieldErrors: [{ field: '/name', message: 'is already in use', code: 'duplicate' }],
  });

export async function createRole(db: Db, ctx: Ctx, input: RoleCreate): Promise<Role> {
  if (isBuiltInRole(input.name)) throw duplicate(input.name);
  const permissions = checkPermissions(input.permissions);
  assertGrantable(ctx.actor, permissions, '/permissions');
  const now = nowIso();
  const row: RolesTable = {
    id: newId(),
    name: input.name,
    description: (input.description ?? '').trim(),
    permissions: JSON.stringify(permissions),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction(async (tx) => {
      await repo.insertRole(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'role',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.name);
    throw err;
  }
  return toRole(row);
}

export async function updateRole(db: Db, ctx: Ctx, id: string, input: RoleUpdate): Promise<Role> {
  const changes: Partial<RolesTable> = { updated_at: nowIso() };
  if (input.description !== undefined) changes.description = input.description.trim();
  if (input.permissions !== undefined) {
    const permissions = checkPermissions(input.permissions);
    assertGrantable(ctx.actor, permissions, '/permissions');
    changes.permissions = JSON.stringify(permissions);
  }
  return db.transaction(async (tx) => {
    const before = await repo.findRole(tx, id);
    if (!before) throw notFound('Role', id);
    const after = await repo.updateRole(tx, id, input.version, changes);
    if (!after) {
      throw new AppError('STALE_VERSION', `Role ${before.name} was changed by someone else`, {
        extra: { currentVersion: before.version },
      });
    }
    await recordAudit(tx, ctx, { entityType: 'role', entityId: id, action: 'update', before, after });
    return toRole(after);
  });
}

/** Only a role nobody holds can go; otherwise take it away from its users first. */
export async function deleteRole(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repo.findRole(tx, id);
    if (!before) throw notFound('Role', id);
    const holders = (await users.allUserRoles(tx))
      .filter((u) => (JSON.parse(u.roles) as string[]).includes(before.name))
      .map((u) => u.login);
    if (holders.length > 0) {
      throw new AppError('ROLE_IN_USE', `Role ${before.name} is held by ${holders.length} user(s)`, {
        extra: { users: holders.slice(0, 20) },
      });
    }
    await repo.deleteRole(tx, id);
    await recordAudit(tx, ctx, { entityType: 'role', entityId: id, action: 'delete', before, after: null });
  });
}
