import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type Kysely,
  type RootOperationNode,
} from 'kysely';
import type { Tx } from './database.ts';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Tx;

/** Stands for the argument at `index` while a query is built once. */
class Slot {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
    Object.freeze(this);
  }
}

/** One parameter of a compiled query: an argument by position, or a value fixed in the query. */
type Param = { readonly arg: number } | { readonly value: unknown };

interface Compiled {
  readonly sql: string;
  readonly query: RootOperationNode;
  readonly params: readonly Param[];
}

/** A query of one shape, compiled once per database and run with new arguments each time. */
export interface Prepared<A extends readonly unknown[], O> {
  all(db: Q, ...args: A): Promise<O[]>;
  first(db: Q, ...args: A): Promise<O | undefined>;
}

/**
 * A query whose shape never changes, built and compiled once per database (dialect) instead of on
 * every call: building and compiling a Kysely query costs more CPU than running a small indexed
 * read on SQLite. `build` receives stand-ins for the arguments and must only hand them to the query
 * as values (`where(col, '=', arg)`, `limit(arg)`, `sql` template values), never compute with
 * them or choose the shape by them; an argument that does not reach the SQL as a parameter is
 * refused at first use. Reads and writes inside a transaction work the same (`db` may be a `Tx`).
 */
export function prepared<A extends readonly unknown[], O>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<O>,
): Prepared<A, O> {
  // Keyed by the dialect adapter: one per database, shared by its transactions.
  const byAdapter = new WeakMap<object, Compiled>();
  const compiledFor = (db: Q, count: number): Compiled => {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (!compiled) {
      const slots = Array.from({ length: count }, (_, i) => new Slot(i));
      const query = build(db as Kysely<Database>, ...(slots as unknown as A)).compile();
      const params = query.parameters.map(
        (p): Param => (p instanceof Slot ? { arg: p.index } : { value: p }),
      );
      const used = new Set(params.flatMap((p) => ('arg' in p ? [p.arg] : [])));
      const lost = slots.findIndex((s) => !used.has(s.index));
      if (lost >= 0) throw new Error(`prepared query: argument ${lost} is not a parameter of: ${query.sql}`);
      compiled = { sql: query.sql, query: query.query, params };
      byAdapter.set(adapter, compiled);
    }
    return compiled;
  };
  const run = async (db: Q, args: A): Promise<O[]> => {
    const c = compiledFor(db, args.length);
    const parameters = new Array<unknown>(c.params.length);
    for (let i = 0; i < c.params.length; i++) {
      const p = c.params[i]!;
      parameters[i] = 'arg' in p ? args[p.arg] : p.value;
    }
    const query: CompiledQuery<O> = { sql: c.sql, parameters, query: c.query, queryId: createQueryId() };
    return (await db.executeQuery(query)).rows;
  };
  return {
    all: (db, ...args) => run(db, args),
    first: async (db, ...args) => (await run(db, args))[0],
  };
}

/**
 * Prepared queries of a few shapes (which optional filters are present, say), each compiled once:
 * `shape` names the variant and `build` makes the query for it.
 */
export function preparedShapes<K extends string | number, A extends readonly unknown[], O>(
  build: (shape: K) => (db: Kysely<Database>, ...args: A) => Compilable<O>,
): (shape: K) => Prepared<A, O> {
  const shapes = new Map<K, Prepared<A, O>>();
  return (shape) => {
    let p = shapes.get(shape);
    if (!p) {
      p = prepared(build(shape));
      shapes.set(shape, p);
    }
    return p;
  };
}

/** Lists up to this long get a compiled query per length; longer ones are built on each call. */
const LIST_LENGTHS_KEPT = 64;

/**
 * A query over a non-empty list of values (`where(col, 'in', values)`), compiled once per list
 * length up to a few dozen values; longer lists are built and compiled on each call.
 */
export function preparedList<V, O>(
  build: (db: Kysely<Database>, values: readonly V[]) => Compilable<O>,
): (db: Q, values: readonly V[]) => Promise<O[]> {
  const byLength = preparedShapes(
    (_length: number) =>
      (db, ...values: V[]) =>
        build(db, values),
  );
  return async (db, values) =>
    values.length <= LIST_LENGTHS_KEPT
      ? byLength(values.length).all(db, ...values)
      : (await db.executeQuery(build(db as Kysely<Database>, values).compile())).rows;
}
