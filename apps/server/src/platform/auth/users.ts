import type { Ctx } from '../context.ts';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import { newId, nowIso } from '../ids.ts';
import { hashPassword } from './password.ts';

export interface NewUser {
  readonly login: string;
  readonly displayName: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly teamId?: string | null;
  readonly badge?: string | null;
  readonly pin?: string | null;
  readonly mustChangePassword?: boolean;
}

/** Logins compare without case or surrounding blanks. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** Badges are scanned; compare without case or surrounding blanks. */
export function normalizeBadge(badge: string): string {
  return badge.trim().toUpperCase();
}

/** A complete users row with the password (and PIN) hashed; the caller inserts it. */
export async function newUserRow(input: NewUser): Promise<UsersTable> {
  const now = nowIso();
  return {
    id: newId(),
    login: normalizeLogin(input.login),
    display_name: input.displayName.trim(),
    password_hash: await hashPassword(input.password),
    roles: JSON.stringify([...new Set(input.roles)]),
    active: 1,
    failed_logins: 0,
    locked_until: null,
    version: 1,
    created_at: now,
    updated_at: now,
    email: input.email?.trim() || null,
    phone: input.phone?.trim() || null,
    team_id: input.teamId ?? null,
    must_change_password: input.mustChangePassword ? 1 : 0,
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: null,
    badge: input.badge ? normalizeBadge(input.badge) : null,
    pin_hash: input.pin ? await hashPassword(input.pin) : null,
    badge_failed: 0,
    badge_locked_until: null,
  };
}

/** Creates a user without validation: for bootstrap and trusted seeding (the API validates first). */
export async function createUser(db: Db, ctx: Ctx, input: NewUser): Promise<string> {
  const row = await newUserRow(input);
  await db.transaction(async (tx) => {
    await tx.insertInto('users').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'user',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
  });
  return row.id;
}
