import { AsyncLocalStorage } from 'node:async_hooks';
import { readsOf, type TableWrite, writesOf } from './statement-tables.ts';
import type { TableLinks } from './table-links.ts';

/**
 * A write as a string, as transactions collect them and Redis carries them: `table` when rows of it
 * may have changed or gone, `+table` when rows were only added. A plain name is a change, so a
 * sender that knows no kinds is taken at its most cautious.
 */
export function writeToken(write: TableWrite): string {
  return write.kind === 'insert' ? `+${write.table}` : write.table;
}

export function tokenWrite(token: string): TableWrite {
  if (token.startsWith('+')) return { table: token.slice(1), kind: 'insert' };
  // A write to one partition (`table#column=value`, see partitionKey) changed rows of the table.
  const mark = token.indexOf('#');
  return { table: mark > 0 ? token.slice(0, mark) : token, kind: 'change' };
}

/**
 * Tables whose rows fall into partitions by these columns: a write that says which partitions it
 * touched (`writesInPartitions`) leaves the answers read from other partitions current, where any
 * write would otherwise make every answer that read the table stale. A write there must name its
 * partition for every column listed (old and new value when one moves), or it counts for them all.
 */
export const PARTITION_COLUMNS = {
  work_order_operations: ['id', 'work_order_id', 'machine_id', 'work_center_id'],
  work_order_history: ['work_order_id'],
} as const;
export type PartitionedTable = keyof typeof PARTITION_COLUMNS;

/** `table#column=value`: one partition of a table, as reads note it and tokens carry a write to it. */
export function partitionKey(table: string, column: string, value: string | null): string {
  return `${table}#${column}=${value ?? ''}`;
}

const PARTITION_MARK = '#';
/** Partitions whose last write is remembered; past this all are forgotten at once (see bump). */
const PARTITIONS_KEPT = 100_000;

/**
 * What one computation read: tables read in full (any write makes it stale) and tables it only
 * looked rows up in along an enforced foreign key (only rows changed or deleted make it stale: an
 * added row has a key nothing read could have named). Cache namespaces go as `cache:<ns>`.
 */
export class ReadSet {
  readonly full = new Set<string>();
  readonly lookedUp = new Set<string>();
  /** Partitions read (`partitionKey`): only a write to one of them, or one naming none, makes it stale. */
  readonly partitions = new Set<string>();

  /** The looked-up tables that were not also read in full. */
  onlyLookedUp(): string[] {
    return [...this.lookedUp].filter((t) => !this.full.has(t));
  }

  /** As plain lists, to send to another thread (see noteReads). */
  noted(): NotedReads {
    return { full: [...this.full], lookedUp: [...this.lookedUp], partitions: [...this.partitions] };
  }
}

/** What a ReadSet holds, as plain lists. */
export interface NotedReads {
  readonly full: readonly string[];
  readonly lookedUp: readonly string[];
  readonly partitions: readonly string[];
}

/**
 * Which tables changed, and when, as a logical clock: every write that reaches the database bumps the
 * tables it wrote. A reader that notes the clock before it starts and the tables it reads can later
 * tell whether what it computed is still current (nothing it read from was written since).
 *
 * Each table has two clocks: the last write of any kind, and the last write that may have changed or
 * removed rows (anything but a plain insert, see statement-tables.ts). A table read in full is stale
 * after any write; a table only looked up along a foreign key only after a change.
 *
 * Writes are seen at the query layer (every statement Kysely executes, builder or raw SQL), so a
 * module cannot forget to invalidate. A write inside a transaction bumps its table when it executes
 * and again when the transaction ends (committed or rolled back). Meanwhile other requests see the old
 * rows (PostgreSQL; an SQLite file, whose reads outside transactions use a read-only connection of
 * their own) or may read the uncommitted ones (an SQLite `:memory:` database, one shared connection);
 * either way what they computed in between is older than the second bump. A rolled-back
 * insert removes rows, but only rows nothing committed ever named: readers that looked them up by key
 * had to read the new referencing rows too, in a table bumped along with it.
 */
export class TableVersions {
  #epoch = 0;
  #everything = 0;
  readonly #written = new Map<string, number>();
  readonly #changed = new Map<string, number>();
  /** Writes to a partitioned table that named no partition (or came as a plain table token). */
  readonly #unpartitioned = new Map<string, number>();
  /** Writes by partition (`partitionKey`); dropped as a whole past PARTITIONS_KEPT. */
  readonly #partitions = new Map<string, number>();
  readonly #listeners = new Set<(writes: readonly string[]) => void>();
  #trusted: ReadonlySet<string> = new Set();
  #cascades: ReadonlyMap<string, readonly string[]> = new Map();
  #views: ReadonlyMap<string, readonly string[]> = new Map();

  /**
   * Takes the database's links (table-links.ts): lookups along its enforced foreign keys are trusted
   * from now on, a change to a table also changes the tables its ON DELETE/UPDATE actions reach, and
   * reading a view reads its tables. Until then every read is a full read.
   */
  learn(links: TableLinks): void {
    this.#trusted = new Set(links.foreignKeys);
    const cascades = new Map<string, string[]>();
    for (const { parent, child } of links.cascades)
      cascades.set(parent, [...(cascades.get(parent) ?? []), child]);
    this.#cascades = cascades;
    this.#views = new Map(links.views.map((v) => [v.view, v.tables]));
  }

  /** Whether a join along one of `via` (`child.col>parent.col`) only looks rows up. */
  trusts(via: readonly string[]): boolean {
    for (const v of via) if (this.#trusted.has(v)) return true;
    return false;
  }

  /** The tables reading `table` reads: itself, and for a view the tables under it. */
  readTables(table: string): readonly string[] {
    const under = this.#views.get(table);
    return under ? [table, ...under] : [table];
  }

  /** The clock now: note it before reading. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Marks the tables of `writes` (tokens, see writeToken; a plain name is a change) as written now.
   * `local` bumps do not reach the listeners (they came from elsewhere).
   */
  bump(writes: Iterable<string>, local = false): void {
    const list: string[] = [];
    const epoch = ++this.#epoch;
    for (const token of writes) {
      list.push(token);
      const mark = token.indexOf(PARTITION_MARK);
      if (mark > 0) {
        // A change to rows of one partition: the table changed, its other partitions did not.
        if (this.#partitions.size >= PARTITIONS_KEPT) this.#forgetPartitions(epoch);
        this.#partitions.set(token, epoch);
        this.#change(token.slice(0, mark), epoch, true);
        continue;
      }
      const { table, kind } = tokenWrite(token);
      if (kind === 'change') this.#change(table, epoch);
      else {
        this.#written.set(table, epoch);
        this.#unpartitioned.set(table, epoch);
      }
    }
    if (!local && list.length > 0) for (const l of this.#listeners) l(list);
  }

  #change(table: string, epoch: number, partitioned = false): void {
    if (!partitioned) this.#unpartitioned.set(table, epoch);
    if (this.#changed.get(table) === epoch) return;
    this.#changed.set(table, epoch);
    this.#written.set(table, epoch);
    // What cascades reaches rows of the child in any partition.
    for (const child of this.#cascades.get(table) ?? []) this.#change(child, epoch);
  }

  /** Forgets the partitions written: every table that had one counts as written as a whole now. */
  #forgetPartitions(epoch: number): void {
    for (const key of this.#partitions.keys())
      this.#unpartitioned.set(key.slice(0, key.indexOf(PARTITION_MARK)), epoch);
    this.#partitions.clear();
  }

  /** Whether any of `tables` was written in any way after the clock read `epoch`. */
  changedSince(tables: Iterable<string>, epoch: number): boolean {
    if (this.#everything > epoch) return true;
    for (const t of tables) if ((this.#written.get(t) ?? 0) > epoch) return true;
    return false;
  }

  /**
   * Whether what was computed from the clock reading `epoch` is out of date: a table read in full
   * was written, or a table looked up had rows changed or deleted.
   */
  staleSince(
    full: Iterable<string>,
    lookedUp: Iterable<string>,
    epoch: number,
    partitions: Iterable<string> = [],
  ): boolean {
    if (this.changedSince(full, epoch)) return true;
    for (const t of lookedUp) if ((this.#changed.get(t) ?? 0) > epoch) return true;
    for (const key of partitions) {
      if ((this.#partitions.get(key) ?? 0) > epoch) return true;
      if ((this.#unpartitioned.get(key.slice(0, key.indexOf(PARTITION_MARK))) ?? 0) > epoch) return true;
    }
    return false;
  }

  /** Told of every bump made in this process, as tokens (to share it with other processes). */
  onBump(listener: (writes: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Declares every table changed: after a broadcast may have been lost, every reader starts over. */
  bumpAll(): void {
    this.#everything = ++this.#epoch;
  }
}

/** What the current async scope (one cached computation) reads. */
const readScope = new AsyncLocalStorage<ReadSet>();
/** Write tokens of the current transaction. */
const writeScope = new AsyncLocalStorage<Set<string>>();

/** Runs `fn` noting what it reads into `into`. */
export function trackReads<T>(into: ReadSet, fn: () => T): T {
  return readScope.run(into, fn);
}

/**
 * Notes a read of `table` (or of a cache namespace, as `cache:<ns>`) in the current read scope: in
 * full, or as a `lookup` of entries that exist (which only their change or removal makes stale).
 */
export function noteRead(table: string, how: 'full' | 'lookup' = 'full'): void {
  const reads = readScope.getStore();
  if (reads) (how === 'full' ? reads.full : reads.lookedUp).add(table);
}

/** Notes in the current read scope what a computation elsewhere (another thread) read. */
export function noteReads(noted: NotedReads): void {
  const reads = readScope.getStore();
  if (!reads) return;
  for (const t of noted.full) reads.full.add(t);
  for (const t of noted.lookedUp) reads.lookedUp.add(t);
  for (const p of noted.partitions) reads.partitions.add(p);
}

/** Runs `fn` without noting its reads: for a caller that notes what it read itself, more precisely. */
export function unnoted<T>(fn: () => T): T {
  return readScope.exit(fn);
}

/** Whether reads are being noted here (a cached computation is running). */
export function readsTracked(): boolean {
  return readScope.getStore() !== undefined;
}

/** The partitions a write in this scope touches, by table (see writesInPartitions). */
const partitionScope = new AsyncLocalStorage<ReadonlyMap<string, readonly string[]>>();

/**
 * Runs `fn`, whose writes to the partitioned tables named touch only the partitions given: for each
 * table, a value (old and new when it moves) for every one of its PARTITION_COLUMNS. Other tables'
 * writes, and writes to these tables outside `fn`, count as usual.
 */
export function writesInPartitions<T>(
  partitions: {
    readonly [K in PartitionedTable]?: {
      readonly [C in (typeof PARTITION_COLUMNS)[K][number]]: readonly (string | null)[];
    };
  },
  fn: () => T,
): T {
  const byTable = new Map<string, string[]>();
  for (const [table, columns] of Object.entries(partitions) as [
    PartitionedTable,
    Record<string, readonly (string | null)[]>,
  ][]) {
    const keys: string[] = [];
    for (const column of PARTITION_COLUMNS[table]) {
      const values = columns[column];
      if (!values || values.length === 0)
        throw new Error(`writesInPartitions: ${table}.${column} needs a value`);
      for (const v of new Set(values)) keys.push(partitionKey(table, column, v));
    }
    byTable.set(table, keys);
  }
  return partitionScope.run(byTable, fn);
}

/**
 * Notes in the current cached computation that it read only the rows of `table` whose `column` is
 * `value` (a `where column = value` filter, with nothing else of the table): a write to another
 * partition leaves it current. The statement itself must run `unnoted`.
 */
export function notePartitionRead<K extends PartitionedTable>(
  table: K,
  column: (typeof PARTITION_COLUMNS)[K][number],
  value: string | null,
): void {
  readScope.getStore()?.partitions.add(partitionKey(table, column, value));
}

/** Runs `fn` (a transaction body) noting the write tokens of its statements into `into`. */
export function trackWrites<T>(into: Set<string>, fn: () => T): T {
  return writeScope.run(into, fn);
}

type Node = { readonly kind: string; readonly [k: string]: unknown };

/**
 * Called for every executed statement: bumps the tables it wrote (and remembers them for the end of
 * the transaction), and notes the tables it read when a cached computation is running.
 */
export function observeStatement(versions: TableVersions, node: Node, sql: string): void {
  const writes = writesOf(node, sql);
  if (writes.length > 0) {
    const scoped = partitionScope.getStore();
    const tokens = scoped
      ? writes.flatMap((w) => scoped.get(w.table) ?? [writeToken(w)])
      : writes.map(writeToken);
    versions.bump(tokens);
    const tx = writeScope.getStore();
    if (tx) for (const t of tokens) tx.add(t);
  }
  const reads = readScope.getStore();
  if (!reads) return;
  const { full, lookups } = readsOf(node, sql);
  for (const t of full) for (const u of versions.readTables(t)) reads.full.add(u);
  for (const l of lookups) {
    if (versions.trusts(l.via)) reads.lookedUp.add(l.table);
    else for (const u of versions.readTables(l.table)) reads.full.add(u);
  }
}
