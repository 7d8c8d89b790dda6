import path from 'node:path';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { Db } from '../platform/db/database.ts';

/** `npm run migrate`: applies pending migrations to the configured database and exits. */
try {
  const config = loadConfig();
  const db = Db.open({ url: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'takt.db') });
  const applied = await db.migrate();
  process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date\n');
  await db.close();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
