import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  IdentifierNode,
  type QueryCompiler,
  type QueryResult,
  RawNode,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import type { WalProgress } from './checkpoint-worker.ts';

type SqlValue = null | number | bigint | string | Uint8Array;

function toSqlite(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SqlValue;
}

function bind(params: readonly unknown[]): SqlValue[] {
  const out = new Array<SqlValue>(params.length);
  for (let i = 0; i < params.length; i++) out[i] = toSqlite(params[i]);
  return out;
}

const STATEMENTS_KEPT = 1000;

type Row = Record<string, SqlValue>;
type RowOf = (values: readonly SqlValue[]) => Row;

/**
 * A function turning a result row read as an array into an object with these column names. The
 * objects it makes all share one shape, so reading their fields stays fast, and building them from
 * arrays costs less than letting `node:sqlite` build an object per row. Null when a name cannot be
 * an object-literal key as it is (`__proto__`); a later duplicate name wins, as with `node:sqlite`.
 */
function rowMaker(names: readonly string[]): RowOf | null {
  if (names.includes('__proto__')) return null;
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowOf;
}

/** The same objects without generating code: for a statement's first run, which may be its only one. */
function rowLoop(names: readonly string[]): RowOf {
  // Assigning `__proto__` would set the prototype; fromEntries defines it as a plain key.
  if (names.includes('__proto__')) return (v) => Object.fromEntries(names.map((n, i) => [n, v[i] ?? null]));
  return (v) => {
    const row: Row = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = v[i] ?? null;
    return row;
  };
}

const DDL = /^\s*(create|alter|drop)\b/i;

/**
 * Adapts `node:sqlite` to the statement interface Kysely's SQLite driver expects.
 * Prepared statements (with their adapters) are kept by SQL text, least recently used going first:
 * the same few hundred queries run all day. Reading statements return arrays, made into objects by
 * a row maker built once per statement; schema changes made through this adapter drop every kept
 * statement, since a kept `select *` would otherwise keep its old column names.
 */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, SqliteStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Whether a transaction is open (SQLite ends some on an error of its own). */
  get inTransaction(): boolean {
    return this.#db.isOpen && this.#db.isTransaction;
  }

  close(): void {
    this.#cache.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#cache.get(sql);
    if (statement) {
      // Most recently used last, so the eviction below takes the longest unused.
      this.#cache.delete(sql);
    } else {
      statement = this.#adapt(sql, this.#db.prepare(sql));
      if (this.#cache.size >= STATEMENTS_KEPT) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sql, statement);
    return statement;
  }

  #adapt(sql: string, stmt: StatementSync): SqliteStatement {
    const names = stmt.columns().map((c) => c.name);
    const run = DDL.test(sql)
      ? (params: readonly unknown[]) => {
          const result = stmt.run(...bind(params));
          this.#cache.clear();
          return result;
        }
      : (params: readonly unknown[]) => stmt.run(...bind(params));
    // Arrays need Node 24 (`setReturnArrays`); older releases keep the objects node:sqlite makes.
    if (names.length === 0 || names.includes('__proto__') || typeof stmt.setReturnArrays !== 'function') {
      return {
        reader: names.length > 0,
        all: (params) => stmt.all(...bind(params)),
        run,
        iterate: (params) => stmt.iterate(...bind(params)),
      };
    }
    stmt.setReturnArrays(true);
    let make = rowLoop(names);
    let runs = 0;
    // A statement SQLite prepared again behind our back (a schema change made elsewhere) may
    // return other columns: rebuild the maker whenever the width differs.
    const objectOf = (values: readonly SqlValue[]): Row => {
      if (values.length !== names.length) {
        names.length = 0;
        for (const c of stmt.columns()) names.push(c.name);
        make = rowMaker(names) ?? rowLoop(names);
      }
      return make(values);
    };
    // Generated code pays off from the second run; many statements run once (values written into the SQL).
    const warm = () => {
      if (++runs === 2) make = rowMaker(names) ?? make;
    };
    return {
      reader: true,
      all: (params) => {
        warm();
        const rows = stmt.all(...bind(params)) as unknown as SqlValue[][];
        const out = new Array<Row>(rows.length);
        for (let i = 0; i < rows.length; i++) out[i] = objectOf(rows[i]!);
        return out;
      },
      run,
      iterate: function* (params) {
        warm();
        for (const values of stmt.iterate(...bind(params))) yield objectOf(values as unknown as SqlValue[]);
      },
    };
  }
}

/**
 * One writer at a time, first come first served: a transaction holds it from BEGIN to COMMIT, a
 * write outside a transaction for its one statement. Unlocking hands it straight to the next waiter.
 * A waiter says whether it may join a group commit (see `RoutedSqliteDriver`).
 */
class WriteLock {
  #held = false;
  readonly #waiting: { readonly resolve: () => void; readonly joins: boolean }[] = [];

  lock(joins = false): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push({ resolve, joins }));
  }

  /** Whether anyone waits for the lock. */
  get waiting(): boolean {
    return this.#waiting.length > 0;
  }

  /** Whether the lock goes next to a transaction that may join an open group commit. */
  get nextJoins(): boolean {
    return this.#waiting[0]?.joins === true;
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next.resolve();
    else this.#held = false;
  }
}

/**
 * Transactions begun inside `joinGroupCommit` may share their COMMIT with others begun so (SQLite
 * file databases; elsewhere nothing changes). Meant for short, frequent writes such as shop-floor
 * reports: each such transaction runs inside a savepoint of one open transaction, and that
 * transaction commits at the end of the event loop's turn when no other joining transaction waits
 * for the writer, at the limits (`GroupCommitLimits`: so many members, so long open), or before the
 * writer goes to anything else. Every member's commit settles only after the shared COMMIT did (a
 * member is never told it committed before its rows are in the database), and fails when that
 * COMMIT fails. A member that rolls back takes only its
 * own changes with it.
 *
 * What this saves is the commit's log writes: one WAL append of every page the members changed,
 * instead of one append per member of the same few pages (a table's last leaf, its indexes' last
 * leaves, the outbox). What it costs: the first member waits for the others that queued behind it,
 * and a member sees the rows of the members before it, which may still roll back together with it
 * if the shared COMMIT fails.
 */
const groupScope = new AsyncLocalStorage<true>();

export function joinGroupCommit<T>(fn: () => T): T {
  return groupScope.run(true, fn);
}

/** Runs `fn` outside `joinGroupCommit` (a joining transaction's own body, whose further transactions do not join). */
export function outsideGroupCommit<T>(fn: () => T): T {
  return groupScope.exit(fn);
}

/** When an open group commits although more joining transactions wait. */
export interface GroupCommitLimits {
  /** Members in one commit (default 64). */
  readonly members: number;
  /** Milliseconds since the group's first member began (default 20). */
  readonly ms: number;
}

export const GROUP_COMMIT_LIMITS: GroupCommitLimits = { members: 64, ms: 20 };

/**
 * A log this long (frames of one page; 32 MB at 4 KB pages) is started again as soon as it can be:
 * every page read looks through the log's index first, and the index grows with the log.
 */
export const LONG_LOG_FRAMES = 8192;
/**
 * How recent the checkpoint thread's round must be for the writer to copy what was written since
 * (see `catchUp`): at a fast shop floor's rate, a few MB.
 */
const CATCH_UP_MS = 50;

/** The transaction that members of a group commit share, while it is open. */
interface OpenGroup {
  readonly openedAt: number;
  /** Members whose work is in and who wait for the COMMIT. */
  readonly committed: { readonly resolve: () => void; readonly reject: (err: Error) => void }[];
}

/** Commits and the transactions in them, for metrics and tests. */
export interface CommitCounts {
  commits: number;
  transactions: number;
  /** Checkpoints the writer ran to let a long log start again (`walProgress`). */
  catchUps: number;
}

const READ_START = /^\s*(?:select|with)\b/i;
const WRITE_WORD = /\b(?:insert|update|delete|replace)\b/i;
/** String literals and quoted names: a word in them is no keyword (`where action = 'update'`). */
const QUOTED = /'(?:[^']|'')*'|"(?:[^"]|"")*"/g;

/**
 * Whether a statement only reads, so that outside a transaction it may go to the read connection.
 * Query builder selects do (SQLite has no writing CTE: `with … insert` compiles to an insert).
 * Raw SQL does when it starts with `select` or `with` and names no writing keyword outside quotes:
 * `with … insert`, `pragma …` (which may set something) and anything else go to the writer.
 * Should something slip through anyway, the reader's `query_only` refuses it with an error.
 */
export function readsOnly(query: CompiledQuery): boolean {
  const kind = (query.query as { kind?: string } | undefined)?.kind;
  if (kind === 'SelectQueryNode') return true;
  if (kind !== undefined && kind !== 'RawNode') return false;
  return READ_START.test(query.sql) && !WRITE_WORD.test(query.sql.replace(QUOTED, "''"));
}

function run<R>(db: NodeSqliteDatabase, query: CompiledQuery): QueryResult<R> {
  const stmt = db.prepare(query.sql);
  if (stmt.reader) return { rows: stmt.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(query.parameters);
  return {
    insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
    numAffectedRows: changes != null ? BigInt(changes) : undefined,
    rows: [],
  };
}

/**
 * When the checkpoint thread asked for it (`catchUpFrom`), copies the log's last frames into the
 * database file, on the writer between two transactions, so that the next write starts the log again
 * from its beginning (see checkpoint-worker.ts). Only the
 * frames written since the checkpoint thread's round began are left: within `CATCH_UP_MS` of it they
 * are a few milliseconds' copying; later, the thread's next round comes first. PASSIVE: should that
 * round be running just now, this gives up at once.
 */
function catchUp(routes: Routes): void {
  const from = routes.catchUpFrom;
  routes.catchUpFrom = null;
  if (from === null || Date.now() - from > CATCH_UP_MS) return;
  try {
    const [r] = run<{ busy: number }>(
      routes.writer,
      CompiledQuery.raw('pragma wal_checkpoint(passive)'),
    ).rows;
    if (r?.busy === 0) routes.counts.catchUps++;
  } catch {
    // Busy: the thread's next round, or a later catch-up.
  }
}

/** The two connections of a file database and what they share. */
interface Routes {
  readonly writer: NodeSqliteDatabase;
  readonly reader: NodeSqliteDatabase;
  readonly lock: WriteLock;
  /** Opens another read-only connection (for a stream, which holds its snapshot while it lasts). */
  readonly openReader: () => DatabaseSync;
  /** Told after the writer committed something. */
  readonly onWrite: () => void;
  /** The open group commit (only while the write lock is held: see `RoutedSqliteDriver`). */
  group: OpenGroup | null;
  /**
   * Set while the open group holds the writer with no member running: the commit due at the end of
   * the event loop's turn, cancelled when the next joining transaction begins first.
   */
  idle: NodeJS.Immediate | null;
  readonly limits: GroupCommitLimits;
  readonly counts: CommitCounts;
  /**
   * When the checkpoint round began that copied all of a long log it saw (`Date.now()`), or null:
   * the writer copies the rest before its next transaction, if that round is recent enough.
   */
  catchUpFrom: number | null;
}

/**
 * A connection as Kysely sees it. Inside a transaction every statement goes to the writer, which
 * the transaction holds; outside one, reads go to the read connection and writes wait their turn
 * for the writer. A long write transaction (an import) then no longer stalls the reads of every
 * other request, and those reads see only committed rows.
 */
class RoutedConnection implements DatabaseConnection {
  inTransaction = false;
  /** Whether the transaction runs as a member of a group commit (in a savepoint). */
  member = false;
  readonly #routes: Routes;

  constructor(routes: Routes) {
    this.#routes = routes;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader, lock, onWrite } = this.#routes;
    if (this.inTransaction) return run<R>(writer, query);
    if (readsOnly(query)) return run<R>(reader, query);
    await lock.lock();
    try {
      return run<R>(writer, query);
    } finally {
      lock.unlock();
      onWrite();
    }
  }

  /**
   * Streams a read. Outside a transaction on a connection of its own: a statement still running
   * keeps its snapshot, and the shared reader would otherwise hand that old snapshot to every
   * other read meanwhile (a request would not see what it had just written).
   */
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!readsOnly(query)) throw new Error('Only reading statements can be streamed');
    if (this.inTransaction) {
      for (const row of this.#routes.writer.prepare(query.sql).iterate(query.parameters))
        yield { rows: [row as R] };
      return;
    }
    const own = new NodeSqliteDatabase(this.#routes.openReader());
    try {
      for (const row of own.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
    } finally {
      own.close();
    }
  }
}

/**
 * Two connections to one database file: a writer and a read-only reader (WAL lets the reader work
 * while a write transaction is open). Write transactions take the write lock up front
 * (`BEGIN IMMEDIATE`) so they never fail half-way on SQLITE_BUSY.
 */
class RoutedSqliteDriver implements Driver {
  readonly #routes: Routes;
  /** Idle connections, reused so that Kysely wraps each one (for query logging) only once. */
  readonly #idle: RoutedConnection[] = [];

  constructor(routes: Routes) {
    this.#routes = routes;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#idle.pop() ?? new RoutedConnection(this.#routes);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    // A transaction Kysely neither committed nor rolled back (it does both; this is a safety net).
    if (c.inTransaction) await this.#end(c, 'rollback');
    this.#idle.push(c);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    const routes = this.#routes;
    const joins = groupScope.getStore() === true;
    // An idle group holds the writer for exactly this: the next joining transaction.
    if (joins && routes.idle && !routes.lock.waiting) {
      clearImmediate(routes.idle);
      routes.idle = null;
    } else await routes.lock.lock(joins);
    try {
      // Whoever held the lock before committed any open group unless this one joins it.
      if (!routes.group) {
        catchUp(routes);
        run(routes.writer, CompiledQuery.raw('begin immediate'));
      }
      if (joins) {
        routes.group ??= { openedAt: performance.now(), committed: [] };
        run(routes.writer, CompiledQuery.raw(`savepoint ${MEMBER}`));
      }
    } catch (err) {
      // The members before this one keep their work if the transaction is still open.
      this.#closeGroup(routes.writer.inTransaction ? null : (err as Error));
      rollbackQuietly(routes.writer);
      routes.lock.unlock();
      throw err;
    }
    c.member = joins;
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as RoutedConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as RoutedConnection, 'rollback');
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await connection.executeQuery(compile(savepointNode('savepoint', name), createQueryId()));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compile(savepointNode('rollback to', name), createQueryId()));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compile(savepointNode('release', name), createQueryId()));
  }

  async destroy(): Promise<void> {
    // A group waiting for the loop turn's end commits now: its members were told they would.
    if (this.#routes.idle) {
      clearImmediate(this.#routes.idle);
      this.#endIdleGroup();
    }
    this.#routes.reader.close();
    this.#routes.writer.close();
  }

  /**
   * Ends the transaction and hands the writer on. A failed COMMIT can leave the transaction open
   * (SQLite keeps it for a retry); it is rolled back, or the next BEGIN would fail for everyone.
   */
  async #end(c: RoutedConnection, command: 'commit' | 'rollback'): Promise<void> {
    // Ended already: Kysely rolls back after a failed COMMIT, by when the writer may be another's.
    if (!c.inTransaction) return;
    if (c.member) return this.#endMember(c, command);
    const { writer, lock, onWrite, counts } = this.#routes;
    try {
      // SQLite may have rolled back already (some errors end the transaction themselves).
      if (command === 'commit' || writer.inTransaction) run(writer, CompiledQuery.raw(command));
      if (command === 'commit') {
        counts.commits++;
        counts.transactions++;
      }
    } catch (err) {
      rollbackQuietly(writer);
      throw err;
    } finally {
      c.inTransaction = false;
      lock.unlock();
      if (command === 'commit') onWrite();
    }
  }

  /**
   * Ends a member of a group commit: releases its savepoint (its work stays in the group) or rolls
   * back to it (its work goes), then either hands the writer to the next joining transaction with
   * the group still open or commits the group. A member that committed returns once the group did.
   */
  async #endMember(c: RoutedConnection, command: 'commit' | 'rollback'): Promise<void> {
    const routes = this.#routes;
    const { writer, lock } = routes;
    const group = routes.group;
    c.inTransaction = false;
    c.member = false;
    let committed: Promise<void> | null = null;
    let failure: unknown = null;
    if (!group || !writer.inTransaction) {
      // SQLite ended the shared transaction itself (some errors do): every member's work is gone.
      failure = new Error('The write transaction was rolled back by the database; nothing of it was saved');
      this.#closeGroup(failure as Error);
    } else {
      try {
        if (command === 'commit') {
          run(writer, CompiledQuery.raw(`release ${MEMBER}`));
          committed = new Promise((resolve, reject) => group.committed.push({ resolve, reject }));
        } else {
          run(writer, CompiledQuery.raw(`rollback to ${MEMBER}`));
          run(writer, CompiledQuery.raw(`release ${MEMBER}`));
        }
      } catch (err) {
        failure = err;
        // The member's work cannot be told apart from the others' any more: the group fails.
        this.#closeGroup(err as Error);
      }
    }
    const open = routes.group;
    if (open) {
      const { members, ms } = routes.limits;
      const room = performance.now() - open.openedAt < ms && open.committed.length < members;
      if (room && !lock.waiting && open.committed.length > 0) {
        // Nobody waits yet, but requests read in this turn of the event loop may still begin
        // transactions that join: the group stays open, holding the writer, until the turn's end.
        this.#idleGroup();
        if (committed) await committed;
        return;
      }
      if (!(room && lock.nextJoins)) this.#closeGroup(null);
    }
    lock.unlock();
    if (failure && command === 'commit') throw failure;
    if (committed) await committed;
  }

  /** Leaves the open group with the writer, for the next joining transaction or the loop turn's end. */
  #idleGroup(): void {
    this.#routes.idle = setImmediate(() => this.#endIdleGroup());
  }

  /** Commits the idle group and hands the writer on. */
  #endIdleGroup(): void {
    this.#routes.idle = null;
    this.#closeGroup(null);
    this.#routes.lock.unlock();
  }

  /**
   * Ends the open group, if any: commits it (`failure` null) and tells its members, or rolls back
   * what is left of it and fails them. Runs while the write lock is held.
   */
  #closeGroup(failure: Error | null): void {
    const routes = this.#routes;
    const group = routes.group;
    routes.group = null;
    if (!group) return;
    const { writer, counts, onWrite } = routes;
    if (failure === null && group.committed.length > 0) {
      try {
        run(writer, CompiledQuery.raw('commit'));
      } catch (err) {
        rollbackQuietly(writer);
        for (const m of group.committed) m.reject(err as Error);
        return;
      }
      counts.commits++;
      counts.transactions += group.committed.length;
      for (const m of group.committed) m.resolve();
      onWrite();
      return;
    }
    rollbackQuietly(writer);
    const why = failure ?? new Error('The group commit was rolled back');
    for (const m of group.committed) m.reject(why);
  }
}

/** The savepoint a member of a group commit runs in (members run one after another, so one name). */
const MEMBER = 'takt_group_member';

/** Rolls back what is still open of a failed transaction; the error that matters is the caller's. */
function rollbackQuietly(writer: NodeSqliteDatabase): void {
  if (!writer.inTransaction) return;
  try {
    run(writer, CompiledQuery.raw('rollback'));
  } catch {
    // the error that matters is the caller's
  }
}

/** Kysely serialises every statement on a single-connection adapter; the routed driver does its own. */
class RoutedSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

function savepointNode(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

/** Write transactions take the write lock up front (`BEGIN IMMEDIATE`) so they never fail half-way on SQLITE_BUSY. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** A file database's read routing: reads outside transactions go to read-only connections to `file`. */
export interface SqliteReadRouting {
  readonly file: string;
  /** Told after the writer committed something (e.g. to start checkpointing). */
  readonly onWrite: () => void;
  readonly groupCommit?: GroupCommitLimits | undefined;
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: NodeSqliteDatabase;
  readonly #routes: Routes | null;
  /** `routing`: a second, read-only connection to the same file (not for `:memory:` databases). */
  constructor(database: DatabaseSync, routing: SqliteReadRouting | null = null) {
    const adapted = new NodeSqliteDatabase(database);
    super({ database: adapted });
    this.#database = adapted;
    this.#routes = routing && {
      writer: adapted,
      reader: new NodeSqliteDatabase(openSqliteReader(routing.file)),
      lock: new WriteLock(),
      openReader: () => openSqliteReader(routing.file),
      onWrite: routing.onWrite,
      group: null,
      idle: null,
      limits: routing.groupCommit ?? GROUP_COMMIT_LIMITS,
      counts: { commits: 0, transactions: 0, catchUps: 0 },
      catchUpFrom: null,
    };
  }
  /** Commits and the transactions they carried, on a file database (null in memory). */
  get commitCounts(): Readonly<CommitCounts> | null {
    return this.#routes?.counts ?? null;
  }
  /**
   * What the checkpoint thread did with a long log. When it copied every frame it saw, the writer
   * copies those written since (see `catchUp`) before its next transaction, which then starts the
   * log again.
   */
  walProgress(progress: WalProgress): void {
    if (this.#routes && progress.checkpointed === progress.log) this.#routes.catchUpFrom = progress.startedAt;
  }
  override createDriver(): Driver {
    return this.#routes
      ? new RoutedSqliteDriver(this.#routes)
      : new ImmediateSqliteDriver({ database: this.#database });
  }
  override createAdapter(): DialectAdapter {
    return this.#routes ? new RoutedSqliteAdapter() : super.createAdapter();
  }
}

export function openSqlite(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  // When the log starts again after a burst that grew its file, the file is cut back to 64 MB.
  db.exec('PRAGMA journal_size_limit = 67108864');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec('PRAGMA cache_size = -65536');
  return db;
}

/**
 * A read-only connection to a database file `openSqlite` opened (WAL: it reads while another
 * connection writes). Opened read-only and with `query_only`, so a write routed here by mistake
 * fails loudly instead of slipping past the write lock.
 */
export function openSqliteReader(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec('PRAGMA cache_size = -65536');
  db.exec('PRAGMA query_only = ON');
  return db;
}
