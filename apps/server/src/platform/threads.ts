import type { Worker } from 'node:worker_threads';

/**
 * The one message a worker thread started for a single task sends back. Its error, or its end
 * before it answered, rejects (`what` names it in the message).
 */
export function answerOf<T>(worker: Worker, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`${what} stopped before it answered (exit code ${code})`)),
    );
  });
}
