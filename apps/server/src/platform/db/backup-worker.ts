import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies the database with `VACUUM INTO` on a connection of its own: one read transaction, so the copy
 * is a consistent snapshot while the server keeps writing (WAL), and off the server's event loop.
 */
const { source, target } = workerData as { source: string; target: string };
const db = new DatabaseSync(source, { readOnly: true, timeout: 30_000 });
try {
  db.prepare('VACUUM INTO ?').run(target);
  parentPort?.postMessage({ ok: true });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
} finally {
  db.close();
}
