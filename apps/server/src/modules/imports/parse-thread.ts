import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { type ParseControl, type ParsedBatch, type ParseSetup, parseItems } from './item-parse.ts';
import { sheetRows } from './sheet-open.ts';

/**
 * Files at least this large are read and checked in a worker thread while the request's thread
 * writes the batches already checked (on two cores the two overlap); smaller ones are not worth
 * starting a thread for.
 */
export const PARSE_THREAD_BYTES = 256 * 1024;

type Message =
  | { batch: ParsedBatch }
  | { done: true }
  | { failed: { code: ErrorCode | null; message: string; stack?: string } };

/**
 * The checked batches of a spooled item sheet, from a worker thread or from this one. The caller
 * sets `control.build` to false once nothing will be written (it tells the worker with each batch
 * taken); leaving the loop early stops the worker.
 */
export async function* parsedBatches(
  file: string,
  xlsx: boolean,
  setup: ParseSetup,
  control: ParseControl,
  options: { thread: boolean },
): AsyncGenerator<ParsedBatch> {
  if (!options.thread) {
    yield* parseItems(sheetRows(file, xlsx), setup, control);
    return;
  }
  const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), {
    workerData: { file, xlsx, setup },
  });
  const queue: Message[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: Message) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the sheet reader stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if ('done' in m) return;
      if ('failed' in m) {
        const f = m.failed;
        if (f.code) throw new AppError(f.code, f.message);
        throw Object.assign(new Error(f.message), { stack: f.stack });
      }
      yield m.batch;
      worker.postMessage({ build: control.build });
    }
  } finally {
    await worker.terminate();
  }
}
