import { parentPort, workerData } from 'node:worker_threads';
import { Db } from '../../platform/db/database.ts';
import type { CheckOptions } from './recon.checks.ts';
import { runChecks } from './recon.findings.ts';

/**
 * Runs a reconciliation's checks (recon.checks.ts) on a thread of its own, for an SQLite file: the
 * checks sum whole ledgers (every stock move a plant ever made) and node:sqlite answers
 * synchronously, so on the server's thread one check would stall every request for as long as it
 * sums. It reads through a connection of its own (outside transactions, so through the read-only
 * one: WAL readers never block the writer) and never writes: the server stores the findings it posts
 * back. One run per thread.
 */
const { file, options } = workerData as { file: string; options: CheckOptions };
const db = Db.open({ url: null, sqliteFile: file });
try {
  // The checks' own failures come back as a failed answer; the thread failing is the server's to see.
  parentPort?.postMessage(await runChecks(db, options));
} finally {
  await db.close();
}
