import { parentPort, workerData } from 'node:worker_threads';
import { Db } from '../../platform/db/database.ts';
import { computeDays, type FoldAnswer, type FoldAsk } from './reports.aggregates.ts';

/**
 * Computes the days a report fold claimed (reports.aggregates.ts `computeDays`) on a thread of its
 * own: on SQLite the queries run synchronously and a batch of busy days takes hundreds of
 * milliseconds, which on the server's thread would stall every request. It reads through a
 * connection of its own (outside transactions, so through the read-only one: WAL readers never block
 * the writer) and never writes; the server writes the rows it posts back. One question at a time.
 */
const { file } = workerData as { file: string };
const db = Db.open({ url: null, sqliteFile: file });
const post = (m: FoldAnswer) => parentPort?.postMessage(m);

parentPort?.on('message', async ({ days }: FoldAsk) => {
  try {
    post({ ok: true, rows: await computeDays(db.kysely, days) });
  } catch (err) {
    post({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.once('close', () => void db.close());
