import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database file on a connection of its own, off the
 * server's event loop. The server's writer has automatic checkpoints turned off: run inside a commit
 * they stalled every request for as long as a big import's log took to copy. PASSIVE never waits for
 * readers or writers; what it cannot copy now is copied on a later round.
 */
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new DatabaseSync(file, { timeout: 1000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // Busy or closing: the next round tries again.
  }
}, intervalMs);
parentPort?.on('message', (m: string) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try {
    checkpoint.run();
  } catch {
    // the server's own close checkpoints what is left
  }
  db.close();
  parentPort?.close();
});
