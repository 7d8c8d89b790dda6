/**
 * Which tables a statement writes, and how; which it reads, and how. Pure: works on Kysely's
 * operation-node tree (or, for raw SQL, the statement text) and knows nothing of the database.
 *
 * Writes are `insert` when the statement can only add rows (a plain INSERT, also with ON CONFLICT DO
 * NOTHING or INSERT OR IGNORE), `change` for everything else: UPDATE, DELETE, upserts, REPLACE,
 * MERGE, TRUNCATE, data-modifying CTEs and any raw SQL that is not one plain INSERT.
 *
 * Reads are `lookups` when the table appears only as the joined side of an INNER or LEFT JOIN whose
 * ON condition has a conjunct `alias.col = other.col` between its column and a column of another
 * table in scope: every joined row of it is then the row that `other.col` names. If `other.col` is a
 * foreign key to that very column (the caller checks, see TableVersions.learn), a row added to the
 * table cannot pair with any row that was already there, so adding rows leaves the result as it was.
 * Any other appearance (FROM, a subquery's FROM, RIGHT/FULL/CROSS/LATERAL joins, raw SQL) is a
 * `full` read.
 */

type Node = { readonly kind: string; readonly [k: string]: unknown };

export type WriteKind = 'insert' | 'change';

export interface TableWrite {
  readonly table: string;
  readonly kind: WriteKind;
}

/**
 * One join that only looks rows of `table` up: `via` lists the `child.col>table.col` pairs its ON
 * condition equates (one trusted pair makes it a lookup). A table joined twice appears twice.
 */
export interface Lookup {
  readonly table: string;
  readonly via: readonly string[];
}

export interface StatementReads {
  readonly full: readonly string[];
  readonly lookups: readonly Lookup[];
}

const WRITE_SQL =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from|truncate(?:\s+table)?|merge\s+into)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const READ_SQL = /\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi;
/** One INSERT that can only add rows (INSERT OR IGNORE too), and nothing after it. */
const PLAIN_INSERT_SQL = /^\s*insert\s+(?:or\s+(?:ignore|abort|fail|rollback)\s+)?into\s/i;
const UPSERT_SQL = /\b(?:do\s+update|on\s+duplicate|replace|update|delete|merge|truncate)\b|;\s*\S/i;
const SQL_WORDS = new Set([
  'select',
  'set',
  'lateral',
  'unnest',
  'json_each',
  'json_array_elements',
  'json_populate_recordset',
  'generate_series',
]);

function tableName(node: unknown): string | null {
  const n = node as Node | undefined;
  if (!n) return null;
  if (n.kind === 'TableNode') return (n.table as { identifier: { name: string } }).identifier.name;
  if (n.kind === 'AliasNode') return tableName(n.node);
  return null;
}

function namesIn(sql: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(pattern)) {
    const t = m[1]!.toLowerCase();
    if (!SQL_WORDS.has(t)) out.push(t);
  }
  return out;
}

/** Tables a piece of SQL reads from (FROM and JOIN names). */
export function tablesNamedIn(sql: string): string[] {
  return [...new Set(namesIn(sql, READ_SQL))];
}

/** The kind of one INSERT node: only `insert` when no conflicting row can be replaced or updated. */
function insertKind(n: Node): WriteKind {
  if (n.replace === true || n.onDuplicateKey) return 'change';
  const or = n.orAction as { action?: string } | undefined;
  if (
    or &&
    or.action !== 'ignore' &&
    or.action !== 'abort' &&
    or.action !== 'fail' &&
    or.action !== 'rollback'
  )
    return 'change';
  const conflict = n.onConflict as { doNothing?: boolean } | undefined;
  if (conflict && conflict.doNothing !== true) return 'change';
  return 'insert';
}

const writeCache = new WeakMap<object, readonly TableWrite[]>();

/** Tables a statement writes ([] for a read), each with the kind of its write (change wins). */
export function writesOf(node: Node, sql: string): readonly TableWrite[] {
  const known = writeCache.get(node);
  if (known) return known;
  const out = new Map<string, WriteKind>();
  const add = (table: string | null, kind: WriteKind) => {
    if (table && out.get(table) !== 'change') out.set(table, kind);
  };
  const statement = (n: Node): void => {
    // PostgreSQL runs data-modifying statements inside WITH.
    const ctes = (n.with as { expressions?: { expression: Node }[] } | undefined)?.expressions ?? [];
    for (const cte of ctes) statement(cte.expression);
    switch (n.kind) {
      case 'InsertQueryNode':
        add(tableName(n.into), insertKind(n));
        break;
      case 'MergeQueryNode':
        add(tableName(n.into), 'change');
        break;
      case 'UpdateQueryNode':
        add(tableName(n.table), 'change');
        break;
      case 'DeleteQueryNode':
        for (const f of (n.from as { froms: unknown[] }).froms) add(tableName(f), 'change');
        break;
      case 'SelectQueryNode':
        break;
      default:
        if (n === node) {
          // Raw SQL (and anything else): read the statement text.
          const targets = namesIn(sql, WRITE_SQL);
          const plain = targets.length === 1 && PLAIN_INSERT_SQL.test(sql) && !UPSERT_SQL.test(sql);
          for (const t of targets) add(t, plain ? 'insert' : 'change');
        }
    }
  };
  statement(node);
  const list = [...out].map(([table, kind]) => ({ table, kind }));
  writeCache.set(node, list);
  return list;
}

/** Names visible in one query level: alias or table name → real table (null: a subquery or CTE). */
interface Scope {
  readonly names: Map<string, string | null>;
  readonly outer: Scope | null;
  readonly ctes: ReadonlySet<string>;
}

function resolve(scope: Scope | null, name: string): string | null {
  for (let s = scope; s; s = s.outer) if (s.names.has(name)) return s.names.get(name) ?? null;
  return null;
}

/** The real table and the name it goes by of a FROM or JOIN item, or null for a subquery. */
function sourceOf(item: unknown, ctes: ReadonlySet<string>): { table: string | null; name: string } | null {
  const n = item as Node | undefined;
  if (!n) return null;
  if (n.kind === 'TableNode') {
    const t = tableName(n)!;
    return { table: ctes.has(t) ? null : t, name: t };
  }
  if (n.kind === 'AliasNode') {
    const alias = (n.alias as { name?: string }).name;
    if (typeof alias !== 'string') return null;
    const inner = n.node as Node;
    const t = inner.kind === 'TableNode' ? tableName(inner) : null;
    return { table: t && !ctes.has(t) ? t : null, name: alias };
  }
  return null;
}

const QUERY_KINDS = new Set(['SelectQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'InsertQueryNode']);

function scopeOf(n: Node, outer: Scope | null): Scope {
  const ctes = new Set(outer?.ctes);
  for (const cte of (n.with as { expressions?: { name: { table: unknown } }[] } | undefined)?.expressions ??
    []) {
    const t = tableName(cte.name.table);
    if (t) ctes.add(t);
  }
  const names = new Map<string, string | null>();
  const items: unknown[] = [
    ...((n.from as { froms?: unknown[] } | undefined)?.froms ?? []),
    ...((n.using as { tables?: unknown[] } | undefined)?.tables ?? []),
    ...((n.joins as { table: unknown }[] | undefined) ?? []).map((j) => j.table),
    n.table,
    n.into,
  ];
  for (const item of items) {
    const s = sourceOf(item, ctes);
    if (s) names.set(s.name, s.table);
  }
  return { names, outer, ctes };
}

type Ref = { table: string; column: string };

function refOf(node: unknown): Ref | null {
  const n = node as Node | undefined;
  if (n?.kind !== 'ReferenceNode' || !n.table) return null;
  const column = n.column as Node;
  if (column.kind !== 'ColumnNode') return null;
  return { table: tableName(n.table)!, column: (column.column as { name: string }).name };
}

function conjuncts(node: unknown, out: Node[]): Node[] {
  const n = node as Node | undefined;
  if (!n) return out;
  if (n.kind === 'AndNode') {
    conjuncts(n.left, out);
    conjuncts(n.right, out);
  } else if (n.kind === 'ParensNode') conjuncts(n.node, out);
  else out.push(n);
  return out;
}

/** The lookup a join performs, or null when it reads its table in full. */
function lookupOf(join: Node, scope: Scope): Lookup | null {
  if (join.joinType !== 'InnerJoin' && join.joinType !== 'LeftJoin') return null;
  const source = sourceOf(join.table, scope.ctes);
  if (!source?.table) return null;
  const via: string[] = [];
  for (const c of conjuncts((join.on as { on?: unknown } | undefined)?.on, [])) {
    if (c.kind !== 'BinaryOperationNode' || (c.operator as { operator?: string }).operator !== '=') continue;
    const l = refOf(c.leftOperand);
    const r = refOf(c.rightOperand);
    if (!l || !r) continue;
    const [own, other] = l.table === source.name ? [l, r] : [r, l];
    if (own.table !== source.name || other.table === source.name) continue;
    const otherTable = resolve(scope, other.table);
    if (otherTable) via.push(`${otherTable}.${other.column}>${source.table}.${own.column}`);
  }
  return via.length > 0 ? { table: source.table, via } : null;
}

const readCache = new WeakMap<object, StatementReads>();

/** How a statement reads each table it reads (see the file header). */
export function readsOf(node: Node, sql: string): StatementReads {
  const known = readCache.get(node);
  if (known) return known;
  const full = new Set<string>();
  const lookups: Lookup[] = [];
  const walk = (value: unknown, scope: Scope | null): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v, scope);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const n = value as Node;
    // `alias.column` names a table of the FROM list, not another table.
    if (n.kind === 'ReferenceNode') return;
    if (n.kind === 'TableNode') {
      const t = tableName(n)!;
      if (!scope?.ctes.has(t)) full.add(t);
      return;
    }
    if (n.kind === 'RawNode')
      for (const t of namesIn((n.sqlFragments as string[]).join(' ? '), READ_SQL)) full.add(t);
    const inner = QUERY_KINDS.has(n.kind) ? scopeOf(n, scope) : scope;
    for (const k in n) {
      if (k === 'kind') continue;
      if (k === 'joins' && inner !== scope) {
        for (const join of n.joins as Node[]) {
          const lookup = lookupOf(join, inner!);
          if (!lookup) walk(join, inner);
          else {
            lookups.push(lookup);
            walk(join.on, inner);
          }
        }
      } else walk(n[k], inner);
    }
  };
  if (node.kind === 'RawNode') for (const t of namesIn(sql, READ_SQL)) full.add(t);
  else walk(node, null);
  const reads: StatementReads = {
    full: [...full],
    lookups: lookups.filter((l) => !full.has(l.table)),
  };
  readCache.set(node, reads);
  return reads;
}
