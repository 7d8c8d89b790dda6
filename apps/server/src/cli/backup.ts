import path from 'node:path';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { Db } from '../platform/db/database.ts';

/** `npm run backup -- FILE`: consistent online copy of the SQLite database while Takt keeps running. */
const target = process.argv[2];
if (!target) {
  process.stderr.write('Usage: npm run backup -- FILE\n');
  process.exit(2);
}
try {
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL points to PostgreSQL: use pg_dump for backups there.\n');
    process.exit(2);
  }
  const db = Db.open({ url: null, sqliteFile: path.join(config.dataDir, 'takt.db') });
  const started = Date.now();
  await db.backup(target);
  process.stdout.write(`Backup written to ${path.resolve(target)} in ${Date.now() - started} ms\n`);
  await db.close();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
