import type { Kysely } from 'kysely';
import { CACHED_TABLES, cachedRow, cacheOf, type RowTable } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

/**
 * The row operations every versioned master-data table shares (find, insert, optimistic update,
 * delete). Each module calls these on its own table only; filters and child rows stay in its repo.
 * Rows of a cached table are read through the master-data cache outside a transaction and dropped
 * from it when an update or delete commits.
 */
export type VersionedTable = 'customers' | 'suppliers' | 'warehouses' | 'locations' | 'employees' | 'tools';

interface LooseRow {
  id: string;
  version: number;
  [column: string]: unknown;
}
type Loose = Kysely<Record<string, LooseRow>>;
type Q = Kysely<Database> | Tx;

const loose = (db: Q) => db as unknown as Loose;

/** Cached tables whose rows the database deletes with a row of these (ON DELETE CASCADE). */
const CASCADES: Partial<Record<VersionedTable, readonly string[]>> = { warehouses: ['locations'] };

export function versionedRepo<T extends VersionedTable>(table: T) {
  type Row = Database[T];
  const name: string = table;
  const cached = (CACHED_TABLES as readonly string[]).includes(name);
  const read = async (db: Q, id: string) =>
    (await loose(db).selectFrom(name).selectAll().where('id', '=', id).executeTakeFirst()) as Row | undefined;
  return {
    async find(db: Q, id: string): Promise<Row | undefined> {
      return cached ? cachedRow(db, name as RowTable, id, () => read(db, id)) : read(db, id);
    },
    async insert(db: Q, row: Row): Promise<void> {
      await loose(db)
        .insertInto(name)
        .values(row as unknown as LooseRow)
        .execute();
    },
    /** Only when the stored version is `version`; undefined when someone changed it since. */
    async update(db: Q, id: string, version: number, changes: Partial<Row>): Promise<Row | undefined> {
      const row = await loose(db)
        .updateTable(name)
        .set({ ...(changes as object), version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst();
      cacheOf(db).invalidateRows(db, name, [id]);
      return row as Row | undefined;
    },
    async remove(db: Q, id: string): Promise<void> {
      await loose(db).deleteFrom(name).where('id', '=', id).execute();
      const cache = cacheOf(db);
      cache.invalidateRows(db, name, [id]);
      for (const dependent of CASCADES[table] ?? []) cache.invalidateRows(db, dependent);
    },
  };
}
