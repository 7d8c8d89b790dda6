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
