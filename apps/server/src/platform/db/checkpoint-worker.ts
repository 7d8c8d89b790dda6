import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database file on a connection of its own, off the
 * server's event loop. The server's writer has automatic checkpoints turned off: run inside a commit
 * they stalled every request for as long as a big import's log took to copy. PASSIVE never waits for
 * readers or writers (so it never holds up the writer either); what it cannot copy now is copied on
 * a later round. On 'stop' it runs one last round, closes and lets the thread end.
 *
 * SQLite starts the log again from its beginning only when a write finds every frame copied. Under
 * writes that never pause (a busy floor, an import) a round never ends with nothing left, and the
 * log would grow without end, every page read slower for each frame in it. So while the log is long
 * (half of `longFrames` or more) the rounds follow each other closely, and from `longFrames` on each
 * tells the server what it copied (`WalProgress`): the server copies the few frames written since
 * that round began itself, between two write transactions, and the next write starts the log again
 * (see `NodeSqliteDialect.walProgress`).
 */
export interface WalProgress {
  /** Frames in the log when the round began. */
  readonly log: number;
  /** Of those, copied into the database file. */
  readonly checkpointed: number;
  /** When the round began (`Date.now()`): frames written since are not copied yet. */
  readonly startedAt: number;
}

const { file, intervalMs, longFrames } = workerData as {
  file: string;
  intervalMs: number;
  longFrames: number;
};
/** Between rounds while the log is long: close behind, without spinning on a log that barely grew. */
const CLOSE_BEHIND_MS = 5;
/** How long the rounds stay close after the log was last long. */
const STAY_CLOSE_MS = 1000;
const db = new DatabaseSync(file, { timeout: 1000 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let timer: NodeJS.Timeout | null = null;
/** When a round last found the log long: rounds stay close while writes keep coming. */
let longAt = Number.NEGATIVE_INFINITY;
const round = () => {
  try {
    const startedAt = Date.now();
    const r = checkpoint.get() as { busy: number; log: number; checkpointed: number } | undefined;
    // Busy: the server is copying the last frames itself, or a backup reads.
    if (r && (r.busy === 1 || r.log >= longFrames / 2)) longAt = startedAt;
    if (r && r.busy === 0 && r.log >= longFrames) {
      parentPort?.postMessage({ log: r.log, checkpointed: r.checkpointed, startedAt } satisfies WalProgress);
    }
  } catch {
    // Busy or closing: the next round (or the server's own close) copies it.
  }
  // Just started again, a log is short for a moment however fast it is written: a second's grace.
  return Date.now() - longAt < STAY_CLOSE_MS ? CLOSE_BEHIND_MS : intervalMs;
};
const schedule = (ms: number) => {
  timer = setTimeout(() => schedule(round()), ms);
};
schedule(intervalMs);
parentPort?.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  if (timer) clearTimeout(timer);
  round();
  db.close();
  parentPort?.close();
});
