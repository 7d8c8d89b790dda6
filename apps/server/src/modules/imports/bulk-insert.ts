import { CompiledQuery, sql } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';

type Row = Record<string, unknown>;

/** SQLite's limit on `?` parameters per statement (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since 3.32). */
const SQLITE_MAX_PARAMS = 32_766;

/** INSERT texts by table, columns and row count: built once, and the same text reuses its prepared statement. */
const insertTexts = new Map<string, string>();

function insertText(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}\u0000${columns.join('\u0000')}\u0000${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const one = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rows).fill(one).join(', ')}`;
    if (insertTexts.size >= 200) insertTexts.clear();
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * Inserts many rows of one table. On PostgreSQL one statement takes the whole batch as a single JSON
 * parameter (`insert … select … from json_populate_recordset(null::table, $1)`): the column types
 * come from the table, there is no 65,535-parameter limit and no per-cell parameter encoding. On
 * SQLite plain multi-row inserts (in-process, so statement size costs little), within its variable
 * limit; the SQL text is built once per batch size instead of compiling a query tree per batch.
 */
export async function bulkInsert(
  tx: Tx,
  dialect: Dialect,
  table: string,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (dialect === 'postgres') {
    const list = sql.join(columns.map((c) => sql.ref(c)));
    await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
      tx,
    );
    return;
  }
  const per = Math.max(1, Math.floor(SQLITE_MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const end = Math.min(rows.length, i + per);
    const params: unknown[] = new Array((end - i) * columns.length);
    let p = 0;
    for (let r = i; r < end; r++) {
      const row = rows[r]!;
      for (const c of columns) params[p++] = row[c] ?? null;
    }
    await tx.executeQuery(CompiledQuery.raw(insertText(table, columns, end - i), params));
  }
}
