import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { byKeys, pages } from './sheet-import.ts';

/**
 * How the entity sheets find and write the records their rows name: by code, page by page in code
 * order for an export, and child rows (contacts aside) replaced as a whole.
 */
type CodedTable =
  | 'customers'
  | 'suppliers'
  | 'warehouses'
  | 'employees'
  | 'tools'
  | 'work_centers'
  | 'machines';

/** Existing records by code, looked up in chunks. */
export function byCode<R extends { code: string }>(db: Db, table: CodedTable, keys: readonly string[]) {
  return byKeys<R>(
    keys,
    async (chunk) =>
      (await db.kysely
        .selectFrom(table as 'warehouses')
        .selectAll()
        .where('code', 'in', chunk)
        .execute()) as unknown as R[],
    (r) => r.code,
  );
}

/** Every record of the table in code order, read in keyset pages. */
export function orderedByCode<R extends { code: string }>(db: Db, table: CodedTable, limit?: number) {
  return pages<R>(async (after, size) => {
    let q = db.kysely
      .selectFrom(table as 'warehouses')
      .selectAll()
      .orderBy('code')
      .limit(size);
    if (after) q = q.where('code', '>', after.code);
    return (await q.execute()) as unknown as R[];
  }, limit);
}

/** Code → id of every row of a table that sheet cells refer to by code. */
export async function idsByCode(
  db: Db,
  table: 'calendars' | 'work_centers' | 'warehouses' | 'items',
): Promise<Map<string, string>> {
  const rows = await db.kysely.selectFrom(table).select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * The export rows of records read one by one, with their child rows read once per batch of `size`
 * records (never a query per record): `children` reads them for a batch, `rowsOf` gives the rows of
 * one record.
 */
export async function* inBatches<P, K>(
  records: AsyncIterable<P>,
  size: number,
  children: (batch: readonly P[]) => Promise<K>,
  rowsOf: (record: P, children: K) => Iterable<readonly string[]>,
): AsyncGenerator<readonly string[]> {
  async function* flush(batch: readonly P[]) {
    const loaded = await children(batch);
    for (const record of batch) yield* rowsOf(record, loaded);
  }
  let batch: P[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === size) {
      yield* flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* flush(batch);
}

/** Version and timestamps of a record an import creates. */
export const stamps = (now: string) => ({ version: 1, created_at: now, updated_at: now });

type ChildTable = 'supplier_items' | 'employee_skills' | 'tool_items' | 'tool_machines';

/** Replaces the child rows of one record with the rows of the sheet. */
export async function replaceChildren<T extends ChildTable>(
  tx: Tx,
  table: T,
  parentColumn: keyof Database[T] & string,
  parentId: string,
  rows: readonly Database[T][],
): Promise<void> {
  await tx
    .deleteFrom(table as 'tool_items')
    .where(parentColumn as 'tool_id', '=', parentId)
    .execute();
  if (rows.length > 0)
    await tx
      .insertInto(table as 'tool_items')
      .values(rows as unknown as Database['tool_items'][])
      .execute();
}
