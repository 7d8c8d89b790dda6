import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Dialect } from '../database.ts';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_items.ts';

type Up = (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;

/** Migrations in order. Names never change once released; add new files at the end. */
const ALL: ReadonlyArray<readonly [string, Up]> = [
  ['0001_platform', m0001.up],
  ['0002_items', m0002.up],
];

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, up] of ALL) out[name] = { up: (db) => up(db, dialect) };
      return out;
    },
  };
}

export const MIGRATION_NAMES = ALL.map(([name]) => name);
