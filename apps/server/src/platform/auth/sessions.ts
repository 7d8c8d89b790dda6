import { createHash, randomBytes } from 'node:crypto';
import type { CurrentUser } from '@takt/contracts';
import type { Db } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import { recordAudit } from '../audit.ts';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { permissionsOf } from './roles.ts';

export const IDLE_TIMEOUT_MS = 12 * 3600_000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 3600_000;
const LOCK_AFTER = 10;
const LOCK_MS = 15 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export function actorOf(user: Pick<UsersTable, 'id' | 'login' | 'roles'>): Actor {
  const roles = JSON.parse(user.roles) as string[];
  return { type: 'user', id: user.id, login: user.login, roles, permissions: permissionsOf(roles) };
}

export function currentUser(user: Pick<UsersTable, 'id' | 'login' | 'display_name' | 'roles'>): CurrentUser {
  const actor = actorOf(user);
  return {
    id: user.id,
    login: user.login,
    displayName: user.display_name,
    roles: [...actor.roles],
    permissions: [...actor.permissions].sort(),
  };
}

export async function createUser(
  db: Db,
  ctx: Ctx,
  input: { login: string; displayName: string; password: string; roles: string[] },
): Promise<string> {
  const now = nowIso();
  const id = newId();
  const password_hash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const row = {
      id,
      login: input.login,
      display_name: input.displayName,
      password_hash,
      roles: JSON.stringify(input.roles),
      active: 1,
      failed_logins: 0,
      locked_until: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('users').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: id,
      action: 'create',
      before: null,
      after: row,
    });
  });
  return id;
}

export interface LoginResult {
  readonly token: string;
  readonly csrfToken: string;
  readonly user: CurrentUser;
}

/**
 * Checks a password; after LOCK_AFTER failures in a row the account locks for a while (audited).
 * The same message for an unknown login and a wrong password, so logins cannot be probed.
 */
export async function login(db: Db, ctx: Ctx, loginName: string, password: string): Promise<LoginResult> {
  const user = await db.kysely
    .selectFrom('users')
    .selectAll()
    .where('login', '=', loginName)
    .executeTakeFirst();
  const now = new Date();
  if (user?.active !== 1) {
    throw new AppError('BAD_CREDENTIALS', 'Login or password is wrong');
  }
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    throw new AppError(
      'ACCOUNT_LOCKED',
      'The account is locked after repeated failed logins; try again later',
      {
        extra: { lockedUntil: user.locked_until },
      },
    );
  }
  const ok = await verifyPassword(password, user.password_hash);
  if (!ok) {
    const failures = user.failed_logins + 1;
    const lock = failures >= LOCK_AFTER;
    await db.transaction(async (tx) => {
      await tx
        .updateTable('users')
        .set({
          failed_logins: failures,
          locked_until: lock ? new Date(now.getTime() + LOCK_MS).toISOString() : user.locked_until,
        })
        .where('id', '=', user.id)
        .execute();
      if (lock) {
        await recordAudit(
          tx,
          { ...ctx, actor: actorOf(user) },
          {
            entityType: 'user',
            entityId: user.id,
            action: 'lock',
            before: { locked: false },
            after: { locked: true, failedLogins: failures },
          },
        );
      }
    });
    // Slow down guessing: the delay grows with the failure streak.
    await new Promise((r) => setTimeout(r, Math.min(2000, 100 * failures)));
    if (lock)
      throw new AppError('ACCOUNT_LOCKED', 'Too many failed logins: the account is locked for 15 minutes');
    throw new AppError('BAD_CREDENTIALS', 'Login or password is wrong');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const iso = now.toISOString();
  await db.transaction(async (tx) => {
    await tx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await tx
      .insertInto('sessions')
      .values({
        id: sha256(token),
        user_id: user.id,
        csrf_token: csrfToken,
        ip: ctx.ip,
        user_agent: ctx.userAgent?.slice(0, 300) ?? null,
        created_at: iso,
        last_seen_at: iso,
        expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      })
      .execute();
  });
  return { token, csrfToken, user: currentUser(user) };
}

export interface SessionInfo {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly user: UsersTable;
}

/** Resolves a session token; expired (idle or absolute) sessions are removed. */
export async function lookupSession(db: Db, token: string): Promise<SessionInfo | null> {
  const id = sha256(token);
  const row = await db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  if (
    row.active !== 1 ||
    Date.parse(row.expires_at) < now ||
    Date.parse(row.last_seen_at) + IDLE_TIMEOUT_MS < now
  ) {
    await db.kysely.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (now - Date.parse(row.last_seen_at) > 60_000) {
    await db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .execute();
  }
  const { csrf_token, last_seen_at: _l, expires_at: _e, ...user } = row;
  return { sessionId: id, csrfToken: csrf_token, user };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.kysely.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}
