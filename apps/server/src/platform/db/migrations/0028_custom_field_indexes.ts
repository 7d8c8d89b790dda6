import { type Kysely, sql } from 'kysely';

/**
 * Partial indexes over the records that carry custom-field values, in list order: a list filtered
 * by a custom field (which also requires `custom_fields <> '{}'`) walks only those records instead
 * of the whole table. Both databases take the same statement.
 */
const INDEXES: ReadonlyArray<readonly [table: string, column: string]> = [
  ['items', 'code'],
  ['customers', 'code'],
  ['suppliers', 'code'],
  ['machines', 'code'],
  ['work_orders', 'id'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of INDEXES) {
    await sql`CREATE INDEX ${sql.id(`${table}_custom_set`)} ON ${sql.table(table)} (${sql.ref(column)}) WHERE custom_fields <> '{}'`.execute(
      db,
    );
  }
}
