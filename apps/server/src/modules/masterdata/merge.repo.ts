import { type Kysely, sql } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Tx;

export interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

/** Every foreign-key column in the schema that refers to `table`, read from the database catalog. */
export async function foreignKeysTo(db: Q, dialect: Dialect, table: string): Promise<ColumnRef[]> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ table_name: string; column_name: string }>`
          select cl.relname as table_name, a.attname as column_name
          from pg_constraint c
          join pg_class cl on cl.oid = c.conrelid
          join pg_class ref on ref.oid = c.confrelid
          join pg_namespace n on n.oid = cl.relnamespace
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
          where c.contype = 'f' and ref.relname = ${table} and n.nspname = current_schema()
          order by 1, 2`.execute(db)
      : await sql<{ table_name: string; column_name: string }>`
          select m.name as table_name, p."from" as column_name
          from sqlite_master m join pragma_foreign_key_list(m.name) p
          where m.type = 'table' and p."table" = ${table}
          order by 1, 2`.execute(db);
  return rows.rows.map((r) => ({ table: r.table_name, column: r.column_name }));
}

/** Which of the named tables exist (soft references to tables a deployment may not have yet). */
export async function existingTables(
  db: Q,
  dialect: Dialect,
  names: readonly string[],
): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string }>`
          select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_name in (${sql.join(names)})`.execute(db)
      : await sql<{ name: string }>`
          select name from sqlite_master where type = 'table' and name in (${sql.join(names)})`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}

export async function countRefs(db: Q, ref: ColumnRef, ids: readonly string[]): Promise<number> {
  const r = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(ref.table)} where ${sql.ref(ref.column)} in (${sql.join(ids)})`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** Rows of the merged records whose `others` columns equal a row the kept record already has. */
export async function countClashes(
  db: Q,
  ref: ColumnRef,
  keepId: string,
  ids: readonly string[],
  others: readonly string[],
): Promise<number> {
  const r = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(ref.table)} t
    where t.${sql.ref(ref.column)} in (${sql.join(ids)}) and exists (
      select 1 from ${sql.table(ref.table)} k where k.${sql.ref(ref.column)} = ${keepId}
      and ${sql.join(
        others.map((o) => sql`k.${sql.ref(o)} = t.${sql.ref(o)}`),
        sql` and `,
      )})`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Drops the merged records' link rows the kept record already has (it keeps its own). */
export async function dropClashes(
  tx: Tx,
  ref: ColumnRef,
  keepId: string,
  ids: readonly string[],
  others: readonly string[],
): Promise<void> {
  await sql`
    delete from ${sql.table(ref.table)}
    where ${sql.ref(ref.column)} in (${sql.join(ids)}) and exists (
      select 1 from ${sql.table(ref.table)} k where k.${sql.ref(ref.column)} = ${keepId}
      and ${sql.join(
        others.map((o) => sql`k.${sql.ref(o)} = ${sql.table(ref.table)}.${sql.ref(o)}`),
        sql` and `,
      )})`.execute(tx);
}

export async function repoint(tx: Tx, ref: ColumnRef, keepId: string, ids: readonly string[]): Promise<void> {
  await sql`
    update ${sql.table(ref.table)} set ${sql.ref(ref.column)} = ${keepId}
    where ${sql.ref(ref.column)} in (${sql.join(ids)})`.execute(tx);
}

/** Copies of the kept record's code held beside the reference (e.g. bom_lines.component_code). */
export async function setCodeCopy(
  tx: Tx,
  ref: ColumnRef,
  codeColumn: string,
  keepId: string,
  code: string,
): Promise<void> {
  await sql`
    update ${sql.table(ref.table)} set ${sql.ref(codeColumn)} = ${code}
    where ${sql.ref(ref.column)} = ${keepId}`.execute(tx);
}

/** Stock of items per item: rows and the sum of absolute on-hand quantities. */
export async function stockOf(db: Q, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('stock_balances')
    .select(['item_id', 'on_hand'])
    .where('item_id', 'in', ids)
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.item_id, (out.get(r.item_id) ?? 0) + Math.abs(Number(r.on_hand)));
  return out;
}

/**
 * Before re-pointing balances: where kept and merged item share a (location, lot), one side holds
 * nothing (both holding stock is refused), so its empty row goes and the other moves over intact.
 */
export async function clearEmptyBalanceClashes(
  tx: Tx,
  keepId: string,
  ids: readonly string[],
): Promise<void> {
  await sql`
    delete from stock_balances
    where item_id in (${sql.join(ids)}) and on_hand = 0 and exists (
      select 1 from stock_balances k where k.item_id = ${keepId}
      and k.location_id = stock_balances.location_id and k.lot_id = stock_balances.lot_id)`.execute(tx);
  await sql`
    delete from stock_balances
    where item_id = ${keepId} and on_hand = 0 and exists (
      select 1 from stock_balances m where m.item_id in (${sql.join(ids)})
      and m.location_id = stock_balances.location_id and m.lot_id = stock_balances.lot_id)`.execute(tx);
}
