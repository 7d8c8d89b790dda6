import type { Logger } from 'pino';
import { createUser } from './platform/auth/sessions.ts';
import { generatePassword } from './platform/auth/password.ts';
import type { Config } from './platform/config.ts';
import { systemCtx } from './platform/context.ts';
import type { Db } from './platform/db/database.ts';
import { warnAboutDemoAccounts, warnDemoAccounts } from './modules/demo/demo-accounts.ts';
import { DEMO_USERS } from './modules/demo/demo-data.ts';
import { loadDemoFactory } from './modules/demo/demo.ts';

/**
 * First start on an empty database: an admin account (password from TAKT_ADMIN_PASSWORD, else generated
 * and printed once) and, unless TAKT_DEMO=0, the demo factory (at work unless TAKT_DEMO_ACTIVITY=0).
 * Every start warns while demo accounts still sign in with the documented password or PIN.
 */
export async function bootstrap(
  db: Db,
  config: Config,
  log: Logger,
  onAdminPassword: ((password: string) => void) | undefined,
): Promise<void> {
  const anyUser = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) {
    // Checking means verifying Argon2 hashes (tens of ms each): the start does not wait for it.
    warnAboutDemoAccounts(db, log).catch((err: Error) =>
      log.debug({ err }, 'the check for demo accounts with public credentials did not finish'),
    );
    return;
  }
  const password = config.adminPassword ?? generatePassword();
  await createUser(db, systemCtx(), {
    login: 'admin',
    displayName: 'Administrator',
    password,
    roles: ['admin'],
  });
  if (!config.adminPassword) {
    (
      onAdminPassword ??
      ((p: string) =>
        process.stdout.write(
          `\n  Takt admin account created.\n  login: admin\n  password: ${p}\n  (shown once; change it after signing in)\n\n`,
        ))
    )(password);
  }
  log.info('admin account created');
  if (config.demo) {
    const counts = await loadDemoFactory(db, { activity: config.demoActivity });
    log.info(counts, 'demo factory loaded');
    // Just made with the documented credentials: no need to verify them.
    warnDemoAccounts(
      log,
      DEMO_USERS.map((u) => u.login),
    );
  }
}
