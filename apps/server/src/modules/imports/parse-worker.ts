import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../platform/errors.ts';
import { type ParseControl, type ParseSetup, parseItems } from './item-parse.ts';
import { sheetRows } from './sheet-open.ts';

/**
 * Worker thread entry: checks the rows of a spooled item sheet and posts the batches to the thread
 * that writes them. At most two batches are unacknowledged at a time, so memory stays flat however
 * long the file; each acknowledgement also says whether rows are still to be made ready to insert.
 */
const { file, xlsx, setup } = workerData as { file: string; xlsx: boolean; setup: ParseSetup };
const port = parentPort!;
const control: ParseControl = { build: true };
const WINDOW = 2;
let unacked = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { build: boolean }) => {
  unacked--;
  control.build &&= m.build;
  wake?.();
  wake = null;
});

try {
  for await (const batch of parseItems(sheetRows(file, xlsx), setup, control)) {
    while (unacked >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    unacked++;
    port.postMessage({ batch });
  }
  port.postMessage({ done: true });
} catch (err) {
  port.postMessage({
    failed:
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: null, message: (err as Error).message, stack: (err as Error).stack },
  });
}
port.close();
