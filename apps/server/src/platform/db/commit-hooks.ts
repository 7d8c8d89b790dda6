import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './database.ts';

/**
 * Work that must commit together with whatever transaction the code below runs: a commit scope
 * marks an async scope (one HTTP request, one inbound message), and every `Db.transaction` in that
 * scope runs its hooks last, inside the transaction, with the transaction's result. Used to record an
 * idempotency key's completion or an external id mapping atomically with the business write.
 *
 * Timers and loops started from inside a scope inherit it; after-commit callbacks run outside every
 * scope (see `outsideCommitScopes`), and a closed scope's hooks no longer run.
 */
export type CommitHook = (tx: Tx, result: unknown) => Promise<void>;

interface Entry {
  readonly hook: CommitHook;
  open: boolean;
}

const scope = new AsyncLocalStorage<readonly Entry[]>();

export interface CommitScope {
  run<T>(fn: () => T): T;
  close(): void;
}

export function commitScope(hook: CommitHook): CommitScope {
  const entry: Entry = { hook, open: true };
  return {
    run: (fn) => scope.run([...(scope.getStore() ?? []), entry], fn),
    close: () => {
      entry.open = false;
    },
  };
}

/** Runs `fn` with `hook` in scope, closing the scope once `fn` has settled. */
export async function withCommitHook<T>(hook: CommitHook, fn: () => Promise<T>): Promise<T> {
  const s = commitScope(hook);
  try {
    return await s.run(fn);
  } finally {
    s.close();
  }
}

export async function runCommitHooks(tx: Tx, result: unknown): Promise<void> {
  const entries = scope.getStore();
  if (!entries) return;
  for (const e of entries) if (e.open) await e.hook(tx, result);
}

/** Runs `fn` outside every commit scope (after-commit callbacks that wake background loops). */
export function outsideCommitScopes<T>(fn: () => T): T {
  return scope.exit(fn);
}
