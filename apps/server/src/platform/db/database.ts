import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { Kysely, type LogEvent, PostgresDialect, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { answerOf } from '../threads.ts';
import { outsideCommitScopes, runCommitHooks } from './commit-hooks.ts';
import { isStalePlan, PipelinedClient } from './pg-pipeline.ts';
import { ReadThreads } from './read-threads.ts';
import { migrationProvider } from './migrations/index.ts';
import type { WalProgress } from './checkpoint-worker.ts';
import type { Database } from './schema.ts';
import {
  type CommitCounts,
  type GroupCommitLimits,
  joinGroupCommit,
  LONG_LOG_FRAMES,
  NodeSqliteDialect,
  openSqlite,
  outsideGroupCommit,
} from './sqlite-dialect.ts';
import { observeStatement, TableVersions, trackWrites } from './table-versions.ts';
import type { DatabaseSync } from 'node:sqlite';

export type Dialect = 'sqlite' | 'postgres';
export type Tx = Transaction<Database>;
export type QueryObserver = (event: LogEvent) => void;

// int8 (count(*), bigserial, bigint columns) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DatabaseOptions {
  /** `postgres://…` or null for SQLite. */
  readonly url: string | null;
  /** SQLite file; `:memory:` is allowed for throwaway use. */
  readonly sqliteFile?: string;
  readonly poolSize?: number;
  /**
   * An SQLite file gets a second, read-only connection for reads outside transactions, and its log
   * is checkpointed by a thread of its own instead of inside commits (default true; false keeps one
   * connection for everything, as a `:memory:` database always has).
   */
  readonly sqliteReader?: boolean;
  /** Limits of a group commit on an SQLite file (see `transaction`); the defaults suit a server. */
  readonly groupCommit?: GroupCommitLimits;
  /** Frames from which an SQLite log counts as long (see checkpoint-worker.ts); the default suits a server. */
  readonly longLogFrames?: number;
  /** How long a read on a read thread may run before it fails and its thread is stopped (read-threads.ts). */
  readonly readTimeoutMs?: number;
}

/** How often the WAL of an SQLite file is checkpointed (see checkpoint-worker.ts). */
const CHECKPOINT_MS = 500;

/** The thread checkpointing an SQLite file, and the promise of its end. */
interface Checkpointer {
  readonly worker: Worker;
  readonly exited: Promise<void>;
}

/** Open transactions (and the Kysely handles) of each Db, with the work to run once a transaction commits. */
const owners = new WeakMap<object, { readonly db: Db; readonly hooks: (() => void)[] | null }>();

/** One handle over either database; every service gets this and nothing else. */
export class Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  readonly #sqlite: DatabaseSync | null;
  #file: string | null = null;
  /** The PostgreSQL database's URL, for connections of read threads. */
  #url: string | null = null;
  #longLogFrames = LONG_LOG_FRAMES;
  readonly #pool: pg.Pool | null;
  /** Started on the first write (a Db opened only to read never starts it); null once closed. */
  #checkpointer: Checkpointer | null = null;
  #sqliteDialect: NodeSqliteDialect | null = null;
  /** Started on the first read sent off the server's thread (read-threads.ts). */
  #readThreads: ReadThreads | null = null;
  #readTimeoutMs: number | undefined;
  /** An SQLite file read through connections of its own besides the writer (`sqliteReader`). */
  #routed = false;
  #closed = false;
  readonly #afterCommit = new Set<() => void>();
  readonly #observers = new Set<QueryObserver>();
  /** Which tables changed when (see table-versions.ts): lets readers cache what they computed. */
  readonly versions = new TableVersions();

  private constructor(
    kysely: Kysely<Database>,
    dialect: Dialect,
    sqlite: DatabaseSync | null,
    pool: pg.Pool | null,
  ) {
    this.kysely = kysely;
    this.dialect = dialect;
    this.#sqlite = sqlite;
    this.#pool = pool;
  }

  static open(options: DatabaseOptions): Db {
    let kysely: Kysely<Database>;
    let holder: Db | null = null;
    const log = (event: LogEvent) => {
      if (!holder) return;
      const q = event.query;
      observeStatement(holder.versions, q.query as never, q.sql);
      for (const o of holder.#observers) o(event);
    };
    if (options.url) {
      // Transactions send BEGIN and deferred writes ahead on the connection (pg-pipeline.ts).
      const pool = new pg.Pool({
        connectionString: options.url,
        max: options.poolSize ?? 10,
        Client: PipelinedClient,
      });
      pool.on('error', () => {
        // An idle client died (server restart); the pool replaces it on next use.
      });
      kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
      holder = new Db(kysely, 'postgres', null, pool);
      holder.#url = options.url;
      holder.#readTimeoutMs = options.readTimeoutMs;
    } else {
      const file = options.sqliteFile ?? ':memory:';
      if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
      const sqlite = openSqlite(file);
      const routed = file !== ':memory:' && options.sqliteReader !== false;
      // Checkpoints run in their own thread (see checkpoint-worker.ts), not inside a commit.
      if (routed) sqlite.exec('PRAGMA wal_autocheckpoint = 0');
      const onWrite = () => {
        if (holder) holder.#startCheckpoints();
      };
      const routing = routed ? { file, onWrite, groupCommit: options.groupCommit } : null;
      const dialect = new NodeSqliteDialect(sqlite, routing);
      kysely = new Kysely<Database>({ dialect, log });
      holder = new Db(kysely, 'sqlite', sqlite, null);
      holder.#sqliteDialect = dialect;
      holder.#routed = routed;
      holder.#file = file === ':memory:' ? null : path.resolve(file);
      holder.#longLogFrames = options.longLogFrames ?? LONG_LOG_FRAMES;
      holder.#readTimeoutMs = options.readTimeoutMs;
    }
    owners.set(kysely, { db: holder, hooks: null });
    return holder;
  }

  /**
   * Commits of an SQLite file and the transactions they carried (more transactions than commits
   * means group commits shared them; see `transaction`'s `groupCommit`). Null elsewhere.
   */
  get commitCounts(): Readonly<CommitCounts> | null {
    return this.#sqliteDialect?.commitCounts ?? null;
  }

  /** The file of a SQLite database (absolute), or null on PostgreSQL or for a database in memory. */
  get sqliteFile(): string | null {
    return this.#file;
  }

  /** The Db behind a handle: the Db itself, its Kysely instance or one of its open transactions. */
  static of(q: Db | Kysely<Database> | Tx): Db | null {
    return q instanceof Db ? q : (owners.get(q)?.db ?? null);
  }

  /**
   * Runs `fn` once the transaction `q` commits (never when it rolls back); outside a transaction of
   * this Db it runs at once.
   */
  afterCommit(q: Db | Kysely<Database> | Tx, fn: () => void): void {
    const hooks = q instanceof Db ? null : owners.get(q)?.hooks;
    if (hooks) hooks.push(fn);
    else fn();
  }

  /** Observes every query (duration, errors) — used by metrics. */
  observe(observer: QueryObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Called after every committed transaction (e.g. to wake the outbox dispatcher). */
  onCommit(listener: () => void): () => void {
    this.#afterCommit.add(listener);
    return () => this.#afterCommit.delete(listener);
  }

  /**
   * Runs `fn` in one transaction. On PostgreSQL a serialization failure, a deadlock or a prepared
   * statement refused because its table changed shape (pg-pipeline.ts) is retried (the whole
   * function runs again, so it must do nothing outside the transaction).
   *
   * `groupCommit`: a short transaction run often and by many at once (a shop-floor report) may share
   * its COMMIT with others like it on an SQLite file (see `joinGroupCommit`). It still returns only
   * once its rows are committed; PostgreSQL and databases in memory ignore the option.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { readonly groupCommit?: boolean }): Promise<T> {
    const group = options?.groupCommit === true && this.#sqliteDialect?.commitCounts != null;
    for (let attempt = 1; ; attempt++) {
      try {
        const hooks: (() => void)[] = [];
        const written = new Set<string>();
        let open: Tx | null = null;
        const run = () =>
          this.kysely
            .transaction()
            .execute(async (tx) => {
              open = tx;
              owners.set(tx, { db: this, hooks });
              // Transactions `fn` may begin elsewhere do not join the group.
              const value = group ? await outsideGroupCommit(() => fn(tx)) : await fn(tx);
              await runCommitHooks(tx, value);
              return value;
            })
            .finally(() => {
              if (open) owners.set(open, { db: this, hooks: null });
              // Committed or rolled back: whatever was read meanwhile may differ from what now stands.
              if (written.size > 0) this.versions.bump(written);
            });
        const result = await trackWrites(written, () => (group ? joinGroupCommit(run) : run()));
        // Background loops woken here must not inherit the caller's commit scope.
        outsideCommitScopes(() => {
          for (const h of hooks) h();
          for (const l of this.#afterCommit) l();
        });
        return result;
      } catch (err) {
        const code = (err as { code?: string }).code;
        const again = code === '40001' || code === '40P01' || isStalePlan(err);
        if (this.dialect === 'postgres' && again && attempt < 5) {
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
          continue;
        }
        throw err;
      }
    }
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.kysely, provider: migrationProvider(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async pendingMigrations(): Promise<string[]> {
    const migrator = new Migrator({ db: this.kysely, provider: migrationProvider(this.dialect) });
    const all = await migrator.getMigrations();
    return all.filter((m) => !m.executedAt).map((m) => m.name);
  }

  /** A consistent online copy of the SQLite database; writers keep working while it is taken. */
  async backup(file: string): Promise<void> {
    if (!this.#sqlite || !this.#file)
      throw new Error('Backup by file copy is for SQLite; on PostgreSQL use pg_dump');
    const target = path.resolve(file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file`);
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(new URL('./backup-worker.ts', import.meta.url), {
      workerData: { source: this.#file, target },
    });
    const result = await answerOf<{ ok: boolean; error?: string }>(worker, 'The backup worker');
    if (!result.ok) throw new Error(`Backup failed: ${result.error}`);
  }

  get poolStats(): { total: number; idle: number; waiting: number } | null {
    if (!this.#pool) return null;
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }

  #startCheckpoints(): void {
    if (this.#checkpointer || this.#closed || !this.#file) return;
    const worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), {
      workerData: { file: this.#file, intervalMs: CHECKPOINT_MS, longFrames: this.#longLogFrames },
    });
    worker.on('message', (progress: WalProgress) => this.#sqliteDialect?.walProgress(progress));
    // Should the thread fail, commits checkpoint again as SQLite does by default (the log must not
    // grow without end), and the server keeps serving.
    worker.on('error', (err) => {
      if (this.#sqlite?.isOpen) this.#sqlite.exec('PRAGMA wal_autocheckpoint = 1000');
      process.emitWarning(
        `SQLite checkpoint thread failed, checkpoints run in commits again: ${err.message}`,
      );
    });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // It never keeps the process alive by itself.
    worker.unref();
    this.#checkpointer = { worker, exited };
  }

  /**
   * The threads that answer long reads of this database (read-threads.ts), each with a connection of
   * its own, or null where reads stay on this thread: a database in memory, an SQLite file opened
   * without a reader, or a thread other than the main one (a read thread answers its own reads).
   */
  readThreads(): ReadThreads | null {
    if (this.#closed || !isMainThread) return null;
    if (this.#readThreads) return this.#readThreads;
    const source = this.#url ? { url: this.#url } : this.#file && this.#routed ? { file: this.#file } : null;
    if (!source) return null;
    this.#readThreads = new ReadThreads(source, { timeoutMs: this.#readTimeoutMs });
    return this.#readThreads;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#readThreads?.close();
    const checkpointer = this.#checkpointer;
    if (checkpointer) {
      this.#checkpointer = null;
      // Held while it stops, or a script awaiting close() would see its event loop run empty and end.
      checkpointer.worker.ref();
      checkpointer.worker.postMessage('stop');
      await checkpointer.exited;
    }
    await this.kysely.destroy();
  }
}
