import type { PageOf, PasswordResetBody, User, UserCreate, UserListQuery, UserUpdate } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { endSessions } from '../../platform/auth/sessions.ts';
import { newUserRow, normalizeBadge } from '../../platform/auth/users.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/schema.ts';
import { AppError, invalidField, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { checkAssignableRoles } from './role.service.ts';
import { findTeam } from './team.repo.ts';
import * as repo from './user.repo.ts';

/**
 * Users are never deleted (the audit trail points at them): they are deactivated, which also ends their
 * sessions. At least one active administrator always remains.
 */
export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    teamId: row.team_id,
    roles: JSON.parse(row.roles) as string[],
    active: row.active === 1,
    badge: row.badge,
    hasPin: row.pin_hash !== null,
    totpEnabled: row.totp_enabled === 1,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until,
    badgeLockedUntil: row.badge_locked_until,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function checkTeam(tx: Tx, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const team = await findTeam(tx, teamId);
  if (!team?.active) throw invalidField('/teamId', 'is not an active team', 'unknown_team');
}

async function conflictFor(db: Db, row: Pick<UsersTable, 'id' | 'login' | 'badge'>): Promise<AppError> {
  const same = await repo.findUserByLogin(db.kysely, row.login);
  if (same && same.id !== row.id) {
    return new AppError('DUPLICATE_LOGIN', `Login ${row.login} is already in use`, {
      fieldErrors: [{ field: '/login', message: 'is already in use', code: 'duplicate' }],
    });
  }
  return new AppError('DUPLICATE_BADGE', `Badge ${row.badge} is already in use`, {
    fieldErrors: [{ field: '/badge', message: 'is already in use', code: 'duplicate' }],
  });
}

async function assertAdminRemains(tx: Tx, changedId: string): Promise<void> {
  const admins = (await repo.activeUserRoles(tx)).filter(
    (u) => u.id !== changedId && (JSON.parse(u.roles) as string[]).includes('admin'),
  );
  if (admins.length === 0) {
    throw new AppError('LAST_ADMIN', 'This would leave no active administrator');
  }
}

export async function createUser(db: Db, ctx: Ctx, input: UserCreate): Promise<User> {
  const row = await newUserRow({ ...input, mustChangePassword: input.mustChangePassword ?? false });
  try {
    await db.transaction(async (tx) => {
      row.roles = JSON.stringify(await checkAssignableRoles(tx, ctx.actor, input.roles));
      await checkTeam(tx, input.teamId);
      await repo.insertUser(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'user',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw await conflictFor(db, row);
    throw err;
  }
  return toUser(row);
}

export async function getUser(db: Db, id: string): Promise<User> {
  const row = await repo.findUser(db.kysely, id);
  if (!row) throw notFound('User', id);
  return toUser(row);
}

/** Users with these logins (already normalised), with their stored credentials: for server-side checks. */
export async function usersWithLogins(db: Db, logins: readonly string[]): Promise<UsersTable[]> {
  return repo.findUsersByLogins(db.kysely, logins);
}

export async function listUsers(db: Db, query: UserListQuery): Promise<PageOf<User>> {
  const { rows, nextCursor } = await repo.listUsers(db.kysely, query);
  return { items: rows.map(toUser), nextCursor };
}

export async function updateUser(db: Db, ctx: Ctx, id: string, input: UserUpdate): Promise<User> {
  const changes: Partial<UsersTable> = { updated_at: nowIso() };
  if (input.displayName !== undefined) changes.display_name = input.displayName.trim();
  if (input.email !== undefined) changes.email = input.email?.trim() || null;
  if (input.phone !== undefined) changes.phone = input.phone?.trim() || null;
  if (input.teamId !== undefined) changes.team_id = input.teamId;
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  if (input.badge !== undefined) changes.badge = input.badge ? normalizeBadge(input.badge) : null;
  if (input.pin !== undefined) {
    changes.pin_hash = input.pin ? await hashPassword(input.pin) : null;
    changes.badge_failed = 0;
    changes.badge_locked_until = null;
  }
  try {
    return await db.transaction(async (tx) => {
      const before = await repo.findUser(tx, id);
      if (!before) throw notFound('User', id);
      if (input.roles !== undefined)
        changes.roles = JSON.stringify(await checkAssignableRoles(tx, ctx.actor, input.roles));
      if (input.teamId) await checkTeam(tx, input.teamId);
      const after = await repo.updateUser(tx, id, input.version, changes);
      if (!after) {
        throw new AppError('STALE_VERSION', `User ${before.login} was changed by someone else`, {
          extra: { currentVersion: before.version },
        });
      }
      const wasAdmin = before.active === 1 && (JSON.parse(before.roles) as string[]).includes('admin');
      const isAdmin = after.active === 1 && (JSON.parse(after.roles) as string[]).includes('admin');
      if (wasAdmin && !isAdmin) await assertAdminRemains(tx, id);
      const deactivated = before.active === 1 && after.active === 0;
      if (deactivated) await endSessions(tx, id);
      const action = deactivated
        ? 'deactivate'
        : before.active === 0 && after.active === 1
          ? 'activate'
          : 'update';
      await recordAudit(tx, ctx, { entityType: 'user', entityId: id, action, before, after });
      return toUser(after);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw await conflictFor(db, { id, login: '', badge: changes.badge ?? null });
    throw err;
  }
}

/** An administrator sets a new password: the user's sessions end, locks clear, and by default the
 * user must choose their own password at the next sign-in. */
export async function resetPassword(db: Db, ctx: Ctx, id: string, input: PasswordResetBody): Promise<User> {
  const password_hash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const before = await repo.findUser(tx, id);
    if (!before) throw notFound('User', id);
    const after = await repo.updateUser(tx, id, before.version, {
      password_hash,
      must_change_password: input.mustChangePassword === false ? 0 : 1,
      failed_logins: 0,
      locked_until: null,
      updated_at: nowIso(),
    });
    if (!after) throw new AppError('STALE_VERSION', 'The user changed meanwhile; try again');
    await endSessions(tx, id);
    await recordAudit(tx, ctx, { entityType: 'user', entityId: id, action: 'password_reset', before, after });
    return toUser(after);
  });
}

/** Removes a user's second factor (a lost phone); they can set up a new one after signing in. */
export async function resetTotp(db: Db, ctx: Ctx, id: string): Promise<User> {
  return db.transaction(async (tx) => {
    const before = await repo.findUser(tx, id);
    if (!before) throw notFound('User', id);
    const after = await repo.updateUser(tx, id, before.version, {
      totp_enabled: 0,
      totp_secret: null,
      totp_last_step: null,
      updated_at: nowIso(),
    });
    if (!after) throw new AppError('STALE_VERSION', 'The user changed meanwhile; try again');
    await recordAudit(tx, ctx, { entityType: 'user', entityId: id, action: 'totp_reset', before, after });
    return toUser(after);
  });
}
