import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Fewer round trips for PostgreSQL transactions. Each statement of a transaction waits for its answer
 * before the next is sent, and under load each answer also waits for the event loop to get round to
 * it: a shop-floor report of eight statements took eight such turns while the loop was busy with
 * reads. Two kinds of statement need not wait for their answer, so they are sent at once, on the same
 * connection, in order (protocol pipelining: the server still runs them one after the other):
 *
 * - `BEGIN` goes out with the transaction's first statement;
 * - a write whose caller asked for no answer (`deferWrites`: an audit row, an outbox event, a history
 *   row) goes out with the next statement that needs one, or with the `COMMIT`.
 *
 * What a statement sent ahead does is unchanged; only when its error is seen moves. A deferred write
 * that fails aborts the transaction as before, and its own error (not the "transaction is aborted"
 * of whatever followed) is thrown by the next statement awaited, or by the commit. So a caller defers
 * only writes it would not catch an error of, and never reads a deferred write's result: it reports
 * no rows. Outside a transaction and on SQLite (no round trips) nothing changes.
 */
const deferring = new AsyncLocalStorage<boolean>();

/** Runs `fn` with its plain writes (no RETURNING) sent without waiting for their answer, on PostgreSQL. */
export function deferWrites<T>(fn: () => Promise<T>): Promise<T> {
  return deferring.run(true, fn);
}

type Result = pg.QueryResult<Record<string, unknown>>;

const noop = () => {};

/** The first word of a statement, lower case (statements from Kysely carry no leading comment). */
function verb(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  let j = i;
  while (j < text.length && text.charCodeAt(j) > 32 && text[j] !== '(') j++;
  return text.slice(i, j).toLowerCase();
}

const WRITES = new Set(['insert', 'update', 'delete']);

/** A plain write: its answer is only a row count, and no later statement of the caller depends on it. */
function isPlainWrite(text: string): boolean {
  return WRITES.has(verb(text)) && !/\breturning\b/i.test(text);
}

/**
 * Statements PostgreSQL keeps prepared on each connection, by name. An unnamed statement is parsed
 * and planned again every time it is sent: for the work-order operation a report locks (one join by
 * key), 186 µs of the server's CPU per execution, against 34-46 µs once prepared (measured on one
 * connection, 5,000 executions). A text gets a name the second time it is seen (a statement run once
 * is not worth the server's memory), up to `MAX_NAMED` texts per process; the rest stay unnamed. Each
 * connection prepares a named text the first time it runs it (pg sends the Parse once per
 * connection, also when pipelined).
 */
export class StatementNames {
  readonly #names = new Map<string, string>();
  readonly #seenOnce = new Set<string>();
  readonly #max: number;
  #epoch = 0;

  constructor(max = MAX_NAMED) {
    this.#max = max;
  }

  /** The name `text` runs under, or undefined to run it unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined) return known;
    if (text.length > MAX_TEXT || this.#names.size >= this.#max || !PREPARED_VERBS.has(verb(text))) return;
    if (!this.#seenOnce.has(text)) {
      if (this.#seenOnce.size >= this.#max * 10) this.#seenOnce.clear();
      this.#seenOnce.add(text);
      return;
    }
    this.#seenOnce.delete(text);
    const name = `t${this.#epoch}_${this.#names.size}`;
    this.#names.set(text, name);
    return name;
  }

  /**
   * Forgets every name: the next runs prepare their texts again under new names. For when the
   * server refuses a prepared statement whose tables changed shape (another process migrated them:
   * "cached plan must not change result type").
   */
  forget(): void {
    this.#names.clear();
    this.#seenOnce.clear();
    this.#epoch++;
  }

  get size(): number {
    return this.#names.size;
  }
}

/**
 * Distinct statement texts one process keeps prepared at most: each costs every connection's server
 * process some memory. A sweep of every GET route of the API on a seeded plant named 154.
 */
export const MAX_NAMED = 500;
/** Longer texts (long IN lists, bulk inserts) are not worth keeping prepared. */
const MAX_TEXT = 16_384;
const PREPARED_VERBS = new Set(['select', 'insert', 'update', 'delete', 'with']);

/** The server refused a prepared statement because a table it reads changed shape since. */
export const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(err));

/** One set of names for the process's pools: the same text has the same name on every connection. */
export const statementNames = new StatementNames();

function fakeResult(command: string): Result {
  return { command, rowCount: 0, rows: [], oid: 0, fields: [] };
}

/**
 * The pool's client, in pg's pipeline mode: each query goes out at once, without waiting
 * for the answer to the one before, each with its own Sync (so outside a transaction one failing
 * statement does not touch the next). Kysely calls `query(text, values)` and awaits each; inside a
 * transaction this client decides which of them really wait (see above).
 */
export class PipelinedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(
      typeof config === 'string'
        ? { connectionString: config, pipeline: true }
        : { ...config, pipeline: true },
    );
  }

  /** Sent, not awaited by their callers: BEGIN and deferred writes since the last awaited statement. */
  #ahead: Promise<unknown>[] = [];
  #inTransaction = false;

  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (callbacks, config objects, streams) pass through unchanged.
  override query(...args: any[]): any {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || typeof callback === 'function' || typeof values === 'function') {
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const name = statementNames.nameOf(text);
    const send = () => {
      const sent = super.query(
        name === undefined ? text : { name, text, values: values as unknown[] | undefined },
        name === undefined ? (values as unknown[] | undefined) : undefined,
      ) as Promise<Result>;
      if (name === undefined) return sent;
      return sent.catch((err: unknown) => {
        if (isStalePlan(err)) statementNames.forget();
        throw err;
      });
    };
    const word = verb(text);
    if (word === 'begin' || (word === 'start' && /^\s*start\s+transaction/i.test(text))) {
      if (this.#inTransaction) return this.#awaited(send());
      this.#inTransaction = true;
      this.#sendAhead(send());
      return Promise.resolve(fakeResult('BEGIN'));
    }
    if (!this.#inTransaction) return send();
    if (word === 'commit' || word === 'end' || (word === 'rollback' && !/^\s*rollback\s+to\b/i.test(text))) {
      return this.#finish(send(), word === 'rollback');
    }
    if (deferring.getStore() === true && isPlainWrite(text)) {
      this.#sendAhead(send());
      return Promise.resolve(fakeResult(word.toUpperCase()));
    }
    return this.#awaited(send());
  }

  #sendAhead(p: Promise<unknown>): void {
    // Its error is taken up by the next statement awaited, or by the commit.
    p.catch(noop);
    this.#ahead.push(p);
  }

  /** The first error among the statements sent ahead, once all have answered. */
  async #earlierError(ahead: readonly Promise<unknown>[]): Promise<unknown> {
    for (const s of await Promise.allSettled(ahead)) if (s.status === 'rejected') return s.reason;
    return undefined;
  }

  async #awaited(p: Promise<Result>): Promise<Result> {
    const ahead = this.#ahead;
    this.#ahead = [];
    try {
      // Answers come in order: this one succeeding means all sent before it did.
      return await p;
    } catch (err) {
      // After an earlier failure this one only says the transaction is aborted; the earlier says why.
      throw (await this.#earlierError(ahead)) ?? err;
    }
  }

  async #finish(p: Promise<Result>, rollback: boolean): Promise<Result> {
    const ahead = this.#ahead;
    this.#ahead = [];
    // Answers come in order: once this one is in, so are all sent before it.
    const [end] = await Promise.allSettled([p]);
    const failed = await this.#earlierError(ahead);
    this.#inTransaction = false;
    // A COMMIT after a failed statement is answered ROLLBACK: the failure is the transaction's error.
    if (failed !== undefined && !rollback) throw failed;
    if (end.status === 'rejected') throw end.reason;
    return end.value;
  }
}
