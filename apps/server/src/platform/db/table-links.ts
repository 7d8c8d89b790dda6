import { type Kysely, sql } from 'kysely';
import { tablesNamedIn } from './statement-tables.ts';

/**
 * What the database's catalog says about how tables hang together, as table-versions.ts needs it:
 * which foreign keys it enforces (so a join along one only looks rows up), which writes change other
 * tables behind the statement's back (ON DELETE/UPDATE actions) and which tables a view reads.
 */
export interface TableLinks {
  /**
   * Single-column foreign keys checked on every statement, as `child.col>parent.col`: every
   * non-null `child.col` names an existing `parent.col`, at any moment another request can see.
   */
  readonly foreignKeys: readonly string[];
  /** Deleting or updating rows of `parent` may change rows of `child` (CASCADE, SET NULL, SET DEFAULT). */
  readonly cascades: readonly { readonly parent: string; readonly child: string }[];
  /** The tables each view reads. */
  readonly views: readonly { readonly view: string; readonly tables: readonly string[] }[];
}

interface KeyRow {
  child: string;
  key: string | number;
  col: string;
  parent: string;
  pcol: string | null;
  onUpdate: string;
  onDelete: string;
  deferred: boolean;
  columns: number;
}

/** ON DELETE/UPDATE actions that leave the child's rows alone (the write fails instead). */
const INERT = new Set(['NO ACTION', 'RESTRICT', 'a', 'r']);

function linksOf(rows: readonly KeyRow[], views: TableLinks['views']): TableLinks {
  const foreignKeys = new Set<string>();
  const cascades = new Map<string, { parent: string; child: string }>();
  for (const r of rows) {
    if (Number(r.columns) === 1 && !r.deferred && r.pcol !== null)
      foreignKeys.add(`${r.child}.${r.col}>${r.parent}.${r.pcol}`);
    if (!INERT.has(r.onDelete) || !INERT.has(r.onUpdate))
      cascades.set(`${r.parent}>${r.child}`, { parent: r.parent, child: r.child });
  }
  return { foreignKeys: [...foreignKeys], cascades: [...cascades.values()], views };
}

// biome-ignore lint/suspicious/noExplicitAny: reads the catalog, not the application's tables
type AnyDb = Kysely<any>;

async function sqliteLinks(db: AnyDb): Promise<TableLinks> {
  const enforced = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  const keys = await sql<KeyRow & { ddl: string; seq: number }>`
    select m.name as child, m.sql as ddl, p.id as key, p.seq as seq, p."from" as col,
      p."table" as parent, p."to" as pcol, p.on_update as "onUpdate", p.on_delete as "onDelete"
    from sqlite_master m join pragma_foreign_key_list(m.name) p
    where m.type = 'table'`.execute(db);
  const pks = await sql<{ tbl: string; name: string; n: number }>`
    select m.name as tbl, i.name as name, (select count(*) from pragma_table_info(m.name) j where j.pk > 0) as n
    from sqlite_master m join pragma_table_info(m.name) i
    where m.type = 'table' and i.pk = 1`.execute(db);
  const pkOf = new Map(pks.rows.filter((p) => Number(p.n) === 1).map((p) => [p.tbl, p.name]));
  const columns = new Map<string, number>();
  for (const k of keys.rows)
    columns.set(`${k.child}\u0000${k.key}`, (columns.get(`${k.child}\u0000${k.key}`) ?? 0) + 1);
  // Checked only while the connection enforces them; a deferred key may dangle until its commit.
  const checked = Number(enforced.rows[0]?.foreign_keys ?? 0) === 1;
  const rows = keys.rows.map((k) => ({
    ...k,
    pcol: k.pcol ?? pkOf.get(k.parent) ?? null,
    deferred: !checked || /\binitially\s+deferred\b/i.test(k.ddl),
    columns: columns.get(`${k.child}\u0000${k.key}`) ?? 1,
  }));
  const views = await sql<{ name: string; ddl: string }>`
    select name, sql as ddl from sqlite_master where type = 'view'`.execute(db);
  return linksOf(
    rows,
    views.rows.map((v) => ({ view: v.name, tables: tablesNamedIn(v.ddl) })),
  );
}

async function postgresLinks(db: AnyDb): Promise<TableLinks> {
  const keys = await sql<KeyRow & { validated: boolean }>`
    select ch.relname as child, con.oid::text as key, a.attname as col, pa.relname as parent,
      pa_att.attname as pcol, con.confupdtype::text as "onUpdate", con.confdeltype::text as "onDelete",
      con.condeferred as deferred, con.convalidated as validated,
      array_length(con.conkey, 1) as columns
    from pg_constraint con
    join pg_class ch on ch.oid = con.conrelid
    join pg_namespace ns on ns.oid = ch.relnamespace
    join pg_class pa on pa.oid = con.confrelid
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    join pg_attribute pa_att on pa_att.attrelid = con.confrelid and pa_att.attnum = con.confkey[1]
    where con.contype = 'f' and ns.nspname = current_schema()`.execute(db);
  const views = await sql<{ view: string; tbl: string }>`
    select view_name as view, table_name as tbl from information_schema.view_table_usage
    where view_schema = current_schema()`.execute(db);
  const byView = new Map<string, string[]>();
  for (const v of views.rows) byView.set(v.view, [...(byView.get(v.view) ?? []), v.tbl]);
  return linksOf(
    keys.rows.map((k) => ({ ...k, deferred: k.deferred || !k.validated })),
    [...byView].map(([view, tables]) => ({ view, tables })),
  );
}

/** Reads the links of the database `db` (after its migrations ran). */
export function readTableLinks(db: AnyDb, dialect: 'sqlite' | 'postgres'): Promise<TableLinks> {
  return dialect === 'postgres' ? postgresLinks(db) : sqliteLinks(db);
}
