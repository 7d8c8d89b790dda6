import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database file on a connection of its own, off the
 * server's event loop. The server's writer has automatic checkpoints turned off: run inside a commit
 * they stalled every request for as long as a big import's log took to copy. PASSIVE never waits for
 * readers or writers (so it never holds up the writer either); what it cannot copy now is copied on
 * a later round. On 'stop' it runs one last round, closes and lets the thread end.
 */
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new DatabaseSync(file, { timeout: 1000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const round = () => {
  try {
    checkpoint.run();
  } catch {
    // Busy or closing: the next round (or the server's own close) copies it.
  }
};
const timer = setInterval(round, intervalMs);
parentPort?.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  round();
  db.close();
  parentPort?.close();
});
