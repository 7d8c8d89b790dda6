import type { DemoAccount, DemoAccounts, DemoAccountsDeactivated } from '@takt/contracts';
import type { Logger } from 'pino';
import { verifyPassword } from '../../platform/auth/password.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/schema.ts';
import { updateUser, usersWithLogins } from '../identity/user.service.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.ts';

/**
 * The demo factory's accounts sign in with credentials printed in the README. An account counts while
 * it is active and its stored hash still matches the documented password (or its badge the documented
 * PIN); one whose password was changed is someone's real account now and is left alone.
 */

const DEMO = new Map<string, (typeof DEMO_USERS)[number]>(DEMO_USERS.map((u) => [u.login, u]));

/** Argon2 is slow on purpose; a stored hash never changes, so its answer is kept (hashes are salted). */
const verified = new Map<string, boolean>();
const VERIFIED_KEPT = 1_000;

async function matches(secret: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const key = `${secret}\u0000${stored}`;
  let ok = verified.get(key);
  if (ok === undefined) {
    ok = await verifyPassword(secret, stored);
    if (verified.size >= VERIFIED_KEPT) verified.clear();
    verified.set(key, ok);
  }
  return ok;
}

interface Finding {
  readonly row: UsersTable;
  readonly account: DemoAccount;
}

async function findings(db: Db): Promise<Finding[]> {
  const rows = await usersWithLogins(db, [...DEMO.keys()]);
  const out: Finding[] = [];
  for (const row of rows) {
    const demo = DEMO.get(row.login);
    if (!demo || row.active !== 1) continue;
    const publicPassword = await matches(DEMO_PASSWORD, row.password_hash);
    const publicPin =
      'badge' in demo && row.badge === demo.badge ? await matches(demo.pin, row.pin_hash) : false;
    if (!publicPassword && !publicPin) continue;
    out.push({
      row,
      account: { id: row.id, login: row.login, displayName: row.display_name, publicPassword, publicPin },
    });
  }
  return out;
}

/** Active demo accounts that still sign in with a documented password or badge PIN. */
export async function demoAccounts(db: Db): Promise<DemoAccounts> {
  const accounts = (await findings(db)).map((f) => f.account);
  return { count: accounts.length, accounts };
}

/**
 * Deactivates every demo account that still has the documented password, as an administrator would one
 * by one (audited, sessions ended, history kept). A demo operator whose password was changed but whose
 * badge still takes the documented PIN keeps the account and loses the PIN. Running it again changes
 * nothing.
 */
export async function deactivateDemoAccounts(db: Db, ctx: Ctx): Promise<DemoAccountsDeactivated> {
  const deactivated: string[] = [];
  const pinsRemoved: string[] = [];
  for (const { row, account } of await findings(db)) {
    if (account.publicPassword) {
      await updateUser(db, ctx, row.id, { version: row.version, active: false });
      deactivated.push(row.login);
    } else {
      await updateUser(db, ctx, row.id, { version: row.version, pin: null });
      pinsRemoved.push(row.login);
    }
  }
  return { deactivated, pinsRemoved };
}

/** At start: one warning while demo accounts still open with the documented credentials. */
export async function warnAboutDemoAccounts(db: Db, log: Logger): Promise<void> {
  const { accounts } = await demoAccounts(db);
  warnDemoAccounts(
    log,
    accounts.map((a) => a.login),
  );
}

/** The warning itself, for `logins` (nothing when empty). */
export function warnDemoAccounts(log: Logger, logins: readonly string[]): void {
  if (logins.length === 0) return;
  log.warn(
    { demoAccounts: logins },
    `${logins.length} active demo account(s) still sign in with the public password "${DEMO_PASSWORD}" or a documented badge PIN; ` +
      'deactivate them on the dashboard as an administrator (or POST /api/v1/admin/demo-accounts/deactivate), ' +
      'or start a new installation with TAKT_DEMO=0',
  );
}
