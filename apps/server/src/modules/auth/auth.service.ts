import type { AuthSession, PasswordChangeBody, TotpSetup } from '@takt/contracts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import { pendingStep, requireAdminTotp, userActor } from '../../platform/auth/access.ts';
import { backoffMs } from '../../platform/auth/login.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/password.ts';
import { holdsAdmin, intersect, TERMINAL_PERMISSIONS } from '../../platform/auth/roles.ts';
import { currentUser, endSessions, forgetSessions, type SessionKind } from '../../platform/auth/sessions.ts';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../platform/auth/totp.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, UsersTable } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';

/**
 * Self-service for the signed-in user: the session view, password change, sign-out everywhere and the
 * TOTP second factor. Every change is audited on the user.
 */
export async function sessionView(
  db: Db,
  user: UsersTable,
  kind: SessionKind,
  csrfToken: string,
): Promise<AuthSession> {
  const actor = await userActor(db.kysely, user);
  const permissions =
    kind === 'terminal' ? intersect(actor.permissions, TERMINAL_PERMISSIONS) : actor.permissions;
  const pending = kind === 'browser' ? await pendingStep(db.kysely, user, permissions) : null;
  return { user: currentUser(user, permissions), csrfToken, kind, pending };
}

async function me(tx: Kysely<Database> | Tx, ctx: Ctx): Promise<UsersTable> {
  const id = ctx.actor.id ?? '';
  const user = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('User', id);
  return user;
}

async function checkPassword(user: UsersTable, password: string): Promise<void> {
  if (!(await verifyPassword(password, user.password_hash))) {
    await new Promise((r) => setTimeout(r, backoffMs(3)));
    throw new AppError('WRONG_PASSWORD', 'The current password is wrong', {
      fieldErrors: [{ field: '/currentPassword', message: 'is wrong', code: 'wrong_password' }],
    });
  }
}

/** Needs the current password; other sessions of the user end, this one stays. */
export async function changePassword(
  db: Db,
  ctx: Ctx,
  sessionId: string,
  body: PasswordChangeBody,
): Promise<void> {
  const user = await me(db.kysely, ctx);
  await checkPassword(user, body.currentPassword);
  if (body.newPassword === body.currentPassword || body.newPassword.toLowerCase() === user.login) {
    throw new AppError('VALIDATION_FAILED', 'Choose a new password that is not your login or the old one', {
      fieldErrors: [
        { field: '/newPassword', message: 'must differ from the login and the current password' },
      ],
    });
  }
  const password_hash = await hashPassword(body.newPassword);
  await db.transaction(async (tx) => {
    const before = await me(tx, ctx);
    const after = { ...before, password_hash, must_change_password: 0, updated_at: nowIso() };
    await tx
      .updateTable('users')
      .set({
        password_hash,
        must_change_password: 0,
        updated_at: after.updated_at,
        version: before.version + 1,
      })
      .where('id', '=', before.id)
      .execute();
    const ended = await endSessions(tx, before.id, sessionId);
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: before.id,
      action: 'password_change',
      before,
      after: { ...after, otherSessionsEnded: ended },
    });
  });
}

/** Ends every session of the signed-in user, this one included. */
export async function logoutEverywhere(db: Db, ctx: Ctx): Promise<number> {
  return db.transaction(async (tx) => {
    const user = await me(tx, ctx);
    const ended = await endSessions(tx, user.id);
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: user.id,
      action: 'logout_all',
      before: null,
      after: { sessionsEnded: ended },
    });
    return ended;
  });
}

/** Starts enrolment: a new secret, effective once a code from it is confirmed. */
export async function setupTotp(db: Db, ctx: Ctx): Promise<TotpSetup> {
  const secret = generateTotpSecret();
  const login = await db.transaction(async (tx) => {
    const user = await me(tx, ctx);
    if (user.totp_enabled === 1) {
      throw new AppError('INVALID_STATE', 'A second factor is already set up; disable it first');
    }
    await tx.updateTable('users').set({ totp_secret: secret }).where('id', '=', user.id).execute();
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: user.id,
      action: 'totp_setup',
      before: { totp_secret: user.totp_secret },
      after: { totp_secret: secret },
    });
    return user.login;
  });
  return { secret, otpauthUri: otpauthUri(secret, login) };
}

export async function confirmTotp(db: Db, ctx: Ctx, code: string): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await me(tx, ctx);
    if (user.totp_enabled === 1 || !user.totp_secret) {
      throw new AppError('INVALID_STATE', 'Start the set-up first (POST /api/v1/auth/totp/setup)');
    }
    const step = verifyTotp(user.totp_secret, code, Date.now());
    if (step === null) {
      throw new AppError('VALIDATION_FAILED', 'The code does not match; check the device clock', {
        fieldErrors: [{ field: '/code', message: 'does not match the secret', code: 'totp_mismatch' }],
      });
    }
    await tx
      .updateTable('users')
      .set({ totp_enabled: 1, totp_last_step: step, version: user.version + 1, updated_at: nowIso() })
      .where('id', '=', user.id)
      .execute();
    forgetSessions(tx);
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: user.id,
      action: 'totp_enable',
      before: { totpEnabled: false },
      after: { totpEnabled: true },
    });
  });
}

export async function disableTotp(db: Db, ctx: Ctx, currentPassword: string): Promise<void> {
  const user = await me(db.kysely, ctx);
  await checkPassword(user, currentPassword);
  if (holdsAdmin(ctx.actor.permissions) && (await requireAdminTotp(db.kysely))) {
    throw new AppError('INVALID_STATE', 'Administrators must keep a second factor on this installation');
  }
  await db.transaction(async (tx) => {
    const before = await me(tx, ctx);
    await tx
      .updateTable('users')
      .set({
        totp_enabled: 0,
        totp_secret: null,
        totp_last_step: null,
        version: before.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', before.id)
      .execute();
    forgetSessions(tx);
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: before.id,
      action: 'totp_disable',
      before: { totpEnabled: before.totp_enabled === 1 },
      after: { totpEnabled: false },
    });
  });
}
