import { threadId, Worker } from 'node:worker_threads';
import type { Db } from '../../platform/db/database.ts';
import { answerOf } from '../../platform/threads.ts';
import { CHECK_NAMES, CHECKS, type CheckOptions, type Finding } from './recon.checks.ts';

/** What a run of the checks found, or where it failed (with the counts of the checks done before). */
export type FindingsAnswer = (
  | { readonly ok: true; readonly found: Finding[] }
  | { readonly ok: false; readonly error: string }
) & {
  readonly byCheck: Record<string, number>;
  /** The thread the checks ran on (`worker_threads.threadId`; 0 is the server's own). */
  readonly thread: number;
};

/** Every check, one after the other, on `db`. */
export async function runChecks(db: Db, options: CheckOptions): Promise<FindingsAnswer> {
  const found: Finding[] = [];
  const byCheck: Record<string, number> = {};
  try {
    for (const name of CHECK_NAMES) {
      const list = await CHECKS[name]!(db, options);
      byCheck[name] = list.length;
      found.push(...list);
    }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), byCheck, thread: threadId };
  }
  return { ok: true, found, byCheck, thread: threadId };
}

/**
 * The checks of one run, failed or not (never thrown): on an SQLite file in a worker thread reading through a connection of its
 * own (recon.worker.ts), since node:sqlite answers synchronously and a plant's whole ledger takes
 * seconds to sum; otherwise (PostgreSQL answers asynchronously; a database in memory has no other
 * connection) in the server.
 */
export async function findDiscrepancies(db: Db, options: CheckOptions): Promise<FindingsAnswer> {
  const file = db.sqliteFile;
  if (!file) return runChecks(db, options);
  const worker = new Worker(new URL('./recon.worker.ts', import.meta.url), { workerData: { file, options } });
  try {
    return await answerOf<FindingsAnswer>(worker, 'The reconciliation worker');
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ok: false, error, byCheck: {}, thread: worker.threadId };
  } finally {
    await worker.terminate();
  }
}
