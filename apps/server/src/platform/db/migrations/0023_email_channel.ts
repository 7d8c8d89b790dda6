import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';

/** Alert channels of kind `email` keep their SMTP settings (host, port, security, user, from, to) as JSON. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('alert_channels').addColumn('config', 'text').execute();
}
