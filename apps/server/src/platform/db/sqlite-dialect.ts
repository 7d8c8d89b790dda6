import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

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

/**
 * Adapts `node:sqlite` to the statement interface Kysely's SQLite driver expects.
 * Prepared statements (with their adapters) are kept by SQL text, least recently used going first:
 * the same few hundred queries run all day.
 */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, SqliteStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
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
      const stmt: StatementSync = this.#db.prepare(sql);
      statement = {
        reader: stmt.columns().length > 0,
        all: (params) => stmt.all(...bind(params)),
        run: (params) => stmt.run(...bind(params)),
        iterate: (params) => stmt.iterate(...bind(params)),
      };
      if (this.#cache.size >= STATEMENTS_KEPT) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sql, statement);
    return statement;
  }
}

/** Write transactions take the write lock up front (`BEGIN IMMEDIATE`) so they never fail half-way on SQLITE_BUSY. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: NodeSqliteDatabase;
  constructor(database: DatabaseSync) {
    const adapted = new NodeSqliteDatabase(database);
    super({ database: adapted });
    this.#database = adapted;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

export function openSqlite(file: string): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec('PRAGMA cache_size = -65536');
  return db;
}
