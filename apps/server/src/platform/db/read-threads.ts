import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';
import type { Db } from './database.ts';
import { type NotedReads, noteReads } from './table-versions.ts';

/** What a read thread reads: an SQLite file, or a PostgreSQL database by its URL. */
export type ReadSource = { readonly file: string } | { readonly url: string };

/**
 * Threads that answer long reads, each through a connection of its own (read-only on an SQLite file,
 * one pooled connection on PostgreSQL).
 *
 * node:sqlite answers synchronously, so a query runs on the thread that asks it: a report summing a
 * year of a plant's history, or the ledger check summing every stock move, would hold the server's
 * event loop (and every other request) for as long as it runs. PostgreSQL answers asynchronously,
 * but its rows are still parsed, and the answer computed and serialised, on the asking thread: a
 * month's wage statement of a large plant is over a hundred thousand rows. Such reads go to one of
 * these threads instead (`offThread`); the server's thread only waits for the answer. WAL readers
 * never block the writer, and see what was committed when they start, as the server's own reader
 * does; a PostgreSQL connection sees what was committed, as the pool's do.
 *
 * The threads start on the first such read and stay for the next ones (a thread loads the server's
 * modules once). What a read touched is noted in the asking request's read scope
 * (table-versions.ts), so the read cache drops the answer when one of those tables is written.
 */
export class ReadThreads {
  readonly #source: ReadSource;
  readonly #size: number;
  readonly #timeoutMs: number;
  readonly #threads: Thread[] = [];
  #next = 0;
  #closed = false;

  constructor(source: ReadSource, options: { size?: number; timeoutMs?: number } = {}) {
    this.#source = source;
    this.#size = options.size ?? READ_THREADS;
    this.#timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS;
  }

  /**
   * Calls export `name` of `module` as `name(db, ...args)` on a read thread; its answer and what it
   * read. A read still unanswered `timeoutMs` after it reached its thread fails with READ_TIMEOUT,
   * and its thread is stopped, since a synchronous query cannot be interrupted otherwise; the reads
   * that thread still owed go to another, where their time starts again.
   */
  run(module: string, name: string, args: readonly unknown[]): Promise<Answer> {
    if (this.#closed) return Promise.reject(new Error('the database is closed'));
    const ask: Ask = { id: this.#next++, module, name, args };
    return new Promise<Answer>((resolve, reject) => {
      const waiting: Waiting = {
        ask,
        sentAt: 0,
        timer: undefined,
        resolve: (answer) => {
          clearTimeout(waiting.timer);
          resolve(answer);
        },
        reject: (err) => {
          clearTimeout(waiting.timer);
          reject(err);
        },
      };
      this.#arm(waiting, this.#timeoutMs);
      this.#send(waiting);
    });
  }

  /** Stops the threads; reads still waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const threads = this.#threads.splice(0);
    // An idle thread closes its connection and ends; one still reading is terminated.
    const busy = new Set(threads.filter((t) => t.pending.size > 0));
    for (const t of threads) t.fail(new Error('the database was closed before the read answered'));
    await Promise.all(threads.map((t) => (busy.has(t) ? t.worker.terminate() : stopThread(t.worker))));
  }

  #send(waiting: Waiting): void {
    const thread = this.#pick();
    waiting.sentAt = performance.now();
    thread.pending.set(waiting.ask.id, waiting);
    thread.worker.ref();
    thread.worker.postMessage(waiting.ask);
  }

  /** Looks again in `ms` whether `waiting` ran over its time. */
  #arm(waiting: Waiting, ms: number): void {
    waiting.timer = setTimeout(() => this.#overdue(waiting.ask.id), ms);
    waiting.timer.unref();
  }

  /**
   * Read `id` may have run over its time, counted from when it was sent to its thread or, if that
   * thread was still starting (loading the server's modules), from its start: then it waits for the
   * rest. Else the read fails, its thread stops, and the thread's other reads are sent to another.
   */
  #overdue(id: number): void {
    const thread = this.#threads.find((t) => t.pending.has(id));
    const waiting = thread?.pending.get(id);
    if (!thread || !waiting) return;
    const left =
      thread.readyAt === null
        ? this.#timeoutMs
        : Math.max(waiting.sentAt, thread.readyAt) + this.#timeoutMs - performance.now();
    if (left > 1) {
      this.#arm(waiting, left);
      return;
    }
    this.#threads.splice(this.#threads.indexOf(thread), 1);
    const owed = [...thread.pending];
    thread.pending.clear();
    void thread.worker.terminate();
    for (const [other, waiting] of owed) {
      if (other === id)
        waiting.reject(
          new AppError(
            'READ_TIMEOUT',
            `The read ran over ${this.#timeoutMs / 1000} s and was stopped; ask for less (a shorter period, a filter) or try again later`,
            { extra: { timeoutMs: this.#timeoutMs } },
          ),
        );
      else this.#send(waiting);
    }
  }

  /** The thread with the fewest reads waiting; a new one while fewer than `size` run and all are busy. */
  #pick(): Thread {
    let best: Thread | null = null;
    for (const t of this.#threads) if (!best || t.pending.size < best.pending.size) best = t;
    if (best && (best.pending.size === 0 || this.#threads.length >= this.#size)) return best;
    const thread = startThread(this.#source, (gone) => {
      const at = this.#threads.indexOf(gone);
      if (at >= 0) this.#threads.splice(at, 1);
    });
    this.#threads.push(thread);
    return thread;
  }
}

/** Read threads per database: the server's own thread and these share the machine's cores. */
export const READ_THREADS = 2;

/** How long a read may run on a read thread by default (`TAKT_READ_TIMEOUT_MS`). */
export const READ_TIMEOUT_MS = 300_000;

/** How long a closing read thread may take to close its connection before it is terminated. */
const CLOSE_MS = 2_000;

/**
 * Asks an idle read thread to close its connection and end (a PostgreSQL connection then ends
 * cleanly instead of being cut), and terminates it if it has not ended after CLOSE_MS.
 */
async function stopThread(worker: Worker): Promise<void> {
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.ref();
  worker.postMessage({ close: true } satisfies Close);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), CLOSE_MS);
  });
  if ((await Promise.race([ended, late])) === 'late') await worker.terminate();
  clearTimeout(timer);
}

/** Tells a read thread to close its connection and end. */
export interface Close {
  readonly close: true;
}

/** One call for a read thread (read-worker.ts). */
export interface Ask {
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly args: readonly unknown[];
}

/** A thrown error as it crosses threads: an AppError keeps its code, fields and extra details. */
export interface CrossedError {
  readonly message: string;
  readonly code: string | null;
  readonly fieldErrors: readonly FieldError[];
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A read thread's reply to one Ask. */
export type Reply = { readonly id: number; readonly reads: NotedReads } & (
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: CrossedError }
);

/** A read thread's first message: it has loaded and waits for reads. */
export interface Ready {
  readonly ready: true;
}

export interface Answer {
  readonly value: unknown;
  readonly reads: NotedReads;
}

interface Waiting {
  readonly ask: Ask;
  /** When it was sent to its current thread (performance.now()). */
  sentAt: number;
  /** When it is next looked at for running over its time. */
  timer: NodeJS.Timeout | undefined;
  readonly resolve: (answer: Answer) => void;
  readonly reject: (err: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  /** When the thread had loaded and was waiting for reads (performance.now()), or null while it starts. */
  readyAt: number | null;
  readonly pending: Map<number, Waiting>;
  fail(err: Error): void;
}

function startThread(source: ReadSource, onGone: (t: Thread) => void): Thread {
  const worker = new Worker(new URL('./read-worker.ts', import.meta.url), { workerData: source });
  worker.unref();
  const pending = new Map<number, Waiting>();
  const thread: Thread = {
    worker,
    readyAt: null,
    pending,
    fail(err) {
      for (const w of pending.values()) w.reject(err);
      pending.clear();
    },
  };
  worker.on('message', (reply: Reply | Ready) => {
    if ('ready' in reply) {
      thread.readyAt = performance.now();
      return;
    }
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) waiting.resolve({ value: reply.value, reads: reply.reads });
    else waiting.reject(revive(reply.error));
  });
  const gone = (err: Error) => {
    onGone(thread);
    thread.fail(err);
  };
  worker.on('error', (err) => gone(err));
  worker.on('exit', (code) => gone(new Error(`a read thread stopped (exit code ${code})`)));
  return thread;
}

export function crossed(err: unknown): CrossedError {
  if (err instanceof AppError)
    return { message: err.message, code: err.code, fieldErrors: err.fieldErrors, extra: err.extra };
  return {
    message: err instanceof Error ? err.message : String(err),
    code: null,
    fieldErrors: [],
    extra: {},
  };
}

function revive(e: CrossedError): Error {
  if (e.code === null) return new Error(e.message);
  return new AppError(e.code as ErrorCode, e.message, { fieldErrors: e.fieldErrors, extra: { ...e.extra } });
}

/**
 * `fn`, answered on a read thread when `db` is an SQLite file or PostgreSQL (the threads' connections
 * read the same database), else on this thread as it is (an SQLite database in memory has no other
 * connection). `module` and `name` say where the read thread finds `fn`: the
 * `import.meta.url` of the module that exports it, under that name. Its arguments and answer cross
 * threads by structured clone (plain data), and it must only read: the threads' connections are
 * read-only.
 */
export function offThread<A extends unknown[], R>(
  module: string,
  name: string,
  fn: (db: Db, ...args: A) => Promise<R>,
): (db: Db, ...args: A) => Promise<R> {
  return async (db, ...args) => {
    const threads = db.readThreads();
    if (!threads) return fn(db, ...args);
    const answer = await threads.run(module, name, args);
    noteReads(answer.reads);
    return answer.value as R;
  };
}
