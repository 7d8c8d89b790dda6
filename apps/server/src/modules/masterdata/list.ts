import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';

/**
 * Keyset pages for master-data lists: sort by one column then id, the cursor carries the last row's
 * sort value and id. Columns are whitelisted per list (`SORTS`), so sql.ref never sees user text.
 */
export const STANDARD_SORTS = { code: 'code', name: 'name', updatedAt: 'updated_at' } as const;

export interface ListParams {
  readonly sort?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** `(code like %q% or name like %q%)`, case-insensitive on PostgreSQL, with LIKE wildcards escaped. */
export function containsText(
  dialect: Dialect,
  text: string,
  columns: readonly string[],
): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const op = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
  const parts = columns.map((c) => sql`${sql.ref(c)} ${op} ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** Applies sort, cursor and limit + 1, runs the query and cuts the page. */
export async function runPage<DB, TB extends keyof DB, R extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, R>,
  params: ListParams,
  sorts: Record<string, string> = STANDARD_SORTS,
  fallback = 'code',
  table?: string,
): Promise<{ rows: R[]; nextCursor: string | null }> {
  const limit = params.limit ?? 50;
  const sort = parseSort(params.sort, sorts, fallback);
  const cursor = decodeCursor(params.cursor, sort.key);
  const qualify = (c: string) => sql.ref(table ? `${table}.${c}` : c);
  const col = qualify(sort.column);
  const id = qualify('id');
  const dir = sort.desc ? 'desc' : 'asc';
  let q = query
    .orderBy(col, dir)
    .orderBy(id, dir)
    .limit(limit + 1);
  if (cursor) {
    const cmp = sql.raw(sort.desc ? '<' : '>');
    q = q.where(
      sql<SqlBool>`(${col} ${cmp} ${cursor.v} or (${col} = ${cursor.v} and ${id} ${cmp} ${cursor.id}))`,
    );
  }
  const rows = await q.execute();
  return pageOf(
    rows,
    limit,
    sort,
    (r) => (r as Record<string, unknown>)[sort.column] as string | number | null,
  );
}
