import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledQuery, sql } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';

type Row = Record<string, unknown>;

/** SQLite's limit on `?` parameters per statement (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since 3.32). */
const SQLITE_MAX_PARAMS = 32_766;

/**
 * Rows per INSERT on SQLite, which runs each statement on the event loop: nothing else is served while
 * one runs. A slice this size takes a few milliseconds, and before each the writer lets the event loop
 * take a turn (`setImmediate`), so requests keep being answered all through a long import. The slices
 * stay in the caller's transaction: the import is still all or nothing.
 */
export const SQLITE_SLICE_ROWS = 250;

/** Lets the event loop serve what waits (timers, I/O) before the next slice of a long write. */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn();
}

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

/** Rows per SQLite INSERT: a slice, fewer when many columns would pass SQLite's parameter limit. */
function sliceRows(columns: number): number {
  return Math.max(1, Math.min(SQLITE_SLICE_ROWS, Math.floor(SQLITE_MAX_PARAMS / columns)));
}

/**
 * Rows of one table made ready to insert, possibly in another thread: on PostgreSQL the JSON text of
 * the rows (what bulkInsert sends). On SQLite the values row after row, except that a column with
 * the same value in every row (the time of the import, its actor, a default) is held once: `values`
 * holds those first, then the other columns row after row.
 */
export type PreparedRows =
  | { readonly columns: readonly string[]; readonly rows: number; readonly json: string }
  | {
      readonly columns: readonly string[];
      readonly rows: number;
      /** The columns whose one value is bound once, in `columns` order. */
      readonly shared: readonly string[];
      readonly values: unknown[];
    };

export function prepareRows(
  dialect: Dialect,
  columns: readonly string[],
  rows: readonly Row[],
  /** Text columns whose values are JSON texts already (an audit diff, an event's data). */
  jsonText: readonly string[] = [],
): PreparedRows {
  if (dialect === 'postgres') return { columns, rows: rows.length, json: rowsJson(columns, rows, jsonText) };
  const first = rows[0] ?? {};
  const shared = columns.filter((c) => rows.every((r) => (r[c] ?? null) === (first[c] ?? null)));
  const own = columns.filter((c) => !shared.includes(c));
  const values: unknown[] = new Array(shared.length + rows.length * own.length);
  let p = 0;
  for (const c of shared) values[p++] = first[c] ?? null;
  for (const row of rows) for (const c of own) values[p++] = row[c] ?? null;
  return { columns, rows: rows.length, shared, values };
}

/**
 * The JSON array of the rows. A JSON text column goes in as the JSON value it holds rather than as
 * a string of it: json_populate_recordset stores a nested value's text exactly as written, so the
 * stored text is the same, and it is neither escaped here nor unescaped by the server.
 */
function rowsJson(columns: readonly string[], rows: readonly Row[], jsonText: readonly string[]): string {
  if (jsonText.length === 0) return JSON.stringify(rows);
  const plain = columns.filter((c) => !jsonText.includes(c));
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const o: Row = {};
    for (const c of plain) o[c] = row[c] ?? null;
    let text = JSON.stringify(o).slice(0, -1);
    for (const c of jsonText) {
      const v = row[c];
      text += `${text.length > 1 ? ',' : ''}${JSON.stringify(c)}:${typeof v === 'string' ? v : 'null'}`;
    }
    parts[i] = `${text}}`;
  }
  return `[${parts.join(',')}]`;
}

/** Inserts rows prepared by prepareRows (for the same dialect). */
export async function insertPrepared(tx: Tx, table: string, prepared: PreparedRows): Promise<void> {
  const { columns, rows } = prepared;
  if (rows === 0) return;
  if ('json' in prepared) {
    const list = sql.join(columns.map((c) => sql.ref(c)));
    await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${prepared.json}::json)`.execute(
      tx,
    );
    return;
  }
  // Shared values are sent once (a batch crosses threads) but bound in every row: numbered
  // parameters (?1 in every row) would bind them once, but node:sqlite binds those many times slower.
  const { shared, values } = prepared;
  const k = shared.length;
  const width = columns.length - k;
  const at = columns.map((c) => {
    const s = shared.indexOf(c);
    return s >= 0 ? { shared: true, i: s } : { shared: false, i: 0 };
  });
  let own = 0;
  for (const a of at) if (!a.shared) a.i = own++;
  const per = sliceRows(columns.length);
  for (let i = 0; i < rows; i += per) {
    await yieldToEventLoop();
    const end = Math.min(rows, i + per);
    const params: unknown[] = new Array((end - i) * columns.length);
    let p = 0;
    for (let r = i; r < end; r++) {
      const base = k + r * width;
      for (const a of at) params[p++] = a.shared ? values[a.i] : values[base + a.i];
    }
    await tx.executeQuery(CompiledQuery.raw(insertText(table, columns, end - i), params));
  }
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
  const per = sliceRows(columns.length);
  for (let i = 0; i < rows.length; i += per) {
    await yieldToEventLoop();
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
