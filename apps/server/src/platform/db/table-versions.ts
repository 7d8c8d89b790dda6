import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which tables changed, and when, as a logical clock: every write that reaches the database bumps the
 * tables it wrote. A reader that notes the clock before it starts and the tables it reads can later
 * tell whether what it computed is still current (nothing it read from was written since).
 *
 * Writes are seen at the query layer (every statement Kysely executes, builder or raw SQL), so a
 * module cannot forget to invalidate. A write inside a transaction bumps its table when it executes
 * and again when the transaction ends (committed or rolled back): on SQLite other requests share the
 * connection and may read uncommitted rows meanwhile, on PostgreSQL they see the old rows until the
 * commit; either way what they computed in between is older than the second bump.
 */
export class TableVersions {
  #epoch = 0;
  #everything = 0;
  readonly #changed = new Map<string, number>();
  readonly #listeners = new Set<(tables: readonly string[]) => void>();

  /** The clock now: note it before reading. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Marks `tables` as changed now. `local` bumps do not reach the listeners (they came from elsewhere). */
  bump(tables: Iterable<string>, local = false): void {
    const list: string[] = [];
    const epoch = ++this.#epoch;
    for (const t of tables) {
      this.#changed.set(t, epoch);
      list.push(t);
    }
    if (!local && list.length > 0) for (const l of this.#listeners) l(list);
  }

  /** Whether any of `tables` changed after the clock read `epoch`. */
  changedSince(tables: Iterable<string>, epoch: number): boolean {
    if (this.#everything > epoch) return true;
    for (const t of tables) if ((this.#changed.get(t) ?? 0) > epoch) return true;
    return false;
  }

  /** Told of every bump made in this process (to share it with other processes). */
  onBump(listener: (tables: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Declares every table changed: after a broadcast may have been lost, every reader starts over. */
  bumpAll(): void {
    this.#everything = ++this.#epoch;
  }
}

/** Tables read in the current async scope (one cached computation). */
const readScope = new AsyncLocalStorage<Set<string>>();
/** Tables written in the current transaction. */
const writeScope = new AsyncLocalStorage<Set<string>>();

/** Runs `fn` noting the tables it reads into `into`. */
export function trackReads<T>(into: Set<string>, fn: () => T): T {
  return readScope.run(into, fn);
}

/** Notes a read of `table` (or of a cache namespace, as `cache:<ns>`) in the current read scope. */
export function noteRead(table: string): void {
  readScope.getStore()?.add(table);
}

/** Whether reads are being noted here (a cached computation is running). */
export function readsTracked(): boolean {
  return readScope.getStore() !== undefined;
}

/** Runs `fn` (a transaction body) noting the tables it writes into `into`. */
export function trackWrites<T>(into: Set<string>, fn: () => T): T {
  return writeScope.run(into, fn);
}

type Node = { readonly kind: string; readonly [k: string]: unknown };

const WRITE_SQL =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const READ_SQL = /\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi;
const SQL_WORDS = new Set([
  'select',
  'lateral',
  'unnest',
  'json_each',
  'json_array_elements',
  'generate_series',
]);

function tableName(node: unknown): string | null {
  const n = node as Node | undefined;
  if (!n) return null;
  if (n.kind === 'TableNode') {
    const id = (n.table as { identifier: { name: string } }).identifier;
    return id.name;
  }
  if (n.kind === 'AliasNode') return tableName(n.node);
  return null;
}

function fromSql(sql: string, pattern: RegExp, out: Set<string>): void {
  for (const m of sql.matchAll(pattern)) {
    const t = m[1]!.toLowerCase();
    if (!SQL_WORDS.has(t)) out.add(t);
  }
}

const writtenCache = new WeakMap<object, readonly string[]>();
const readCache = new WeakMap<object, readonly string[]>();

/** Tables a statement writes ([] for a read). */
export function tablesWritten(node: Node, sql: string): readonly string[] {
  const known = writtenCache.get(node);
  if (known) return known;
  const out = new Set<string>();
  switch (node.kind) {
    case 'SelectQueryNode':
      break;
    case 'InsertQueryNode':
    case 'MergeQueryNode': {
      const t = tableName(node.into);
      if (t) out.add(t);
      break;
    }
    case 'UpdateQueryNode': {
      const t = tableName(node.table);
      if (t) out.add(t);
      break;
    }
    case 'DeleteQueryNode': {
      for (const f of (node.from as { froms: unknown[] }).froms) {
        const t = tableName(f);
        if (t) out.add(t);
      }
      break;
    }
    default:
      // Raw SQL (and anything else): read the statement text.
      fromSql(sql, WRITE_SQL, out);
  }
  const list = [...out];
  writtenCache.set(node, list);
  return list;
}

/** Every table a statement reads from (any table node anywhere in it, and table names in raw SQL). */
export function tablesRead(node: Node, sql: string): readonly string[] {
  const known = readCache.get(node);
  if (known) return known;
  const out = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const n = value as Node;
    // `alias.column` names a table of the FROM list, not another table.
    if (n.kind === 'ReferenceNode') return;
    if (n.kind === 'TableNode') {
      const t = tableName(n);
      if (t) out.add(t);
      return;
    }
    if (n.kind === 'RawNode') fromSql((n.sqlFragments as string[]).join(' ? '), READ_SQL, out);
    for (const k in n) if (k !== 'kind') walk(n[k]);
  };
  if (node.kind === 'RawNode') fromSql(sql, READ_SQL, out);
  else walk(node);
  const list = [...out];
  readCache.set(node, list);
  return list;
}

/**
 * Called for every executed statement: bumps the tables it wrote (and remembers them for the end of
 * the transaction), and notes the tables it read when a cached computation is running.
 */
export function observeStatement(versions: TableVersions, node: Node, sql: string): void {
  const written = tablesWritten(node, sql);
  if (written.length > 0) {
    versions.bump(written);
    const tx = writeScope.getStore();
    if (tx) for (const t of written) tx.add(t);
  }
  const reads = readScope.getStore();
  if (reads) for (const t of tablesRead(node, sql)) reads.add(t);
}
