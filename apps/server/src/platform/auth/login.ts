import type { Ctx } from '../context.ts';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { userActor } from './access.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { openSession, type SessionKind } from './sessions.ts';
import { verifyTotp } from './totp.ts';
import { normalizeBadge, normalizeLogin } from './users.ts';

/** Passwords: 10 failures in a row lock the account for 15 minutes. */
export const LOCK_AFTER = 10;
/** PINs have few digits, so a badge locks sooner. */
export const BADGE_LOCK_AFTER = 5;
const LOCK_MS = 15 * 60_000;

// Verified against when the login or badge is unknown, so the answer takes as long as for a known one.
const DUMMY_HASH = hashPassword('takt-no-such-account');

export interface SignIn {
  readonly token: string;
  readonly csrfToken: string;
  readonly kind: SessionKind;
  readonly user: UsersTable;
}

/** Slows guessing down: the delay grows with the failure streak. */
export function backoffMs(failures: number): number {
  return Math.min(2000, 100 * failures);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function findBy(db: Db, column: 'login' | 'badge', value: string) {
  return db.kysely.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst();
}

/**
 * Records a failed attempt against a password or a badge; at the limit the credential locks (audited).
 * Throws the error the caller should see.
 */
async function recordFailure(
  db: Db,
  ctx: Ctx,
  user: UsersTable,
  what: 'password' | 'badge',
  wrong: AppError,
): Promise<never> {
  const failed = what === 'password' ? user.failed_logins + 1 : user.badge_failed + 1;
  const limit = what === 'password' ? LOCK_AFTER : BADGE_LOCK_AFTER;
  const lock = failed >= limit;
  const until = lock ? new Date(Date.now() + LOCK_MS).toISOString() : null;
  await db.transaction(async (tx) => {
    if (what === 'password') {
      await tx
        .updateTable('users')
        .set({ failed_logins: failed, ...(lock ? { locked_until: until } : {}) })
        .where('id', '=', user.id)
        .execute();
    } else {
      await tx
        .updateTable('users')
        .set({ badge_failed: failed, ...(lock ? { badge_locked_until: until } : {}) })
        .where('id', '=', user.id)
        .execute();
    }
    if (lock) {
      await recordAudit(
        tx,
        { ...ctx, actor: await userActor(tx, user) },
        {
          entityType: 'user',
          entityId: user.id,
          action: what === 'password' ? 'lock' : 'lock_badge',
          before: { locked: false },
          after: { locked: true, lockedUntil: until, failedAttempts: failed },
        },
      );
    }
  });
  await sleep(backoffMs(failed));
  if (lock) {
    throw new AppError(
      'ACCOUNT_LOCKED',
      what === 'password'
        ? 'Too many failed logins: the account is locked for 15 minutes'
        : 'Too many wrong PINs: the badge is locked for 15 minutes',
      { extra: { lockedUntil: until } },
    );
  }
  throw wrong;
}

function refuseIfLocked(lockedUntil: string | null, what: string): void {
  if (lockedUntil && Date.parse(lockedUntil) > Date.now()) {
    throw new AppError('ACCOUNT_LOCKED', `The ${what} is locked after repeated failures; try again later`, {
      extra: { lockedUntil },
    });
  }
}

/**
 * Password sign-in, with the TOTP code when the user has enrolled a second factor. The same answer for an
 * unknown login and a wrong password, so logins cannot be probed.
 */
export async function login(
  db: Db,
  ctx: Ctx,
  loginName: string,
  password: string,
  totp?: string,
): Promise<SignIn> {
  const user = await findBy(db, 'login', normalizeLogin(loginName));
  const badCredentials = new AppError('BAD_CREDENTIALS', 'Login or password is wrong');
  if (user?.active !== 1) {
    await verifyPassword(password, await DUMMY_HASH);
    throw badCredentials;
  }
  refuseIfLocked(user.locked_until, 'account');
  if (!(await verifyPassword(password, user.password_hash))) {
    return recordFailure(db, ctx, user, 'password', badCredentials);
  }
  let step: number | null = null;
  if (user.totp_enabled === 1 && user.totp_secret) {
    if (!totp) throw new AppError('TOTP_REQUIRED', 'Enter the code from your authenticator app');
    step = verifyTotp(user.totp_secret, totp, Date.now());
    if (step === null || (user.totp_last_step !== null && step <= Number(user.totp_last_step))) {
      return recordFailure(
        db,
        ctx,
        user,
        'password',
        new AppError('TOTP_INVALID', 'The code is wrong or used'),
      );
    }
  }
  const opened = await db.transaction(async (tx) => {
    await tx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, ...(step !== null ? { totp_last_step: step } : {}) })
      .where('id', '=', user.id)
      .execute();
    return openSession(tx, ctx, user.id, 'browser');
  });
  return { ...opened, kind: 'browser', user };
}

/** Shop-floor sign-in with a badge and a PIN; wrong PINs lock the badge (not the password). */
export async function terminalLogin(db: Db, ctx: Ctx, badge: string, pin: string): Promise<SignIn> {
  const user = await findBy(db, 'badge', normalizeBadge(badge));
  const wrong = new AppError('BAD_CREDENTIALS', 'Badge or PIN is wrong');
  if (user?.active !== 1 || !user.pin_hash) {
    await verifyPassword(pin, await DUMMY_HASH);
    throw wrong;
  }
  refuseIfLocked(user.badge_locked_until, 'badge');
  if (!(await verifyPassword(pin, user.pin_hash))) {
    return recordFailure(db, ctx, user, 'badge', wrong);
  }
  const opened = await db.transaction(async (tx) => {
    await tx
      .updateTable('users')
      .set({ badge_failed: 0, badge_locked_until: null })
      .where('id', '=', user.id)
      .execute();
    return openSession(tx, ctx, user.id, 'terminal');
  });
  return { ...opened, kind: 'terminal', user };
}
