import { setImmediate as yieldTurn } from 'node:timers/promises';

/**
 * Runs `step` (one DELETE of at most `batch` rows, returning how many went) until it deletes fewer
 * than `batch`, with a turn of the event loop between; returns the sum. On SQLite a statement runs
 * on the event loop, so deleting a large backlog in one would stall every request for its length.
 */
export async function deleteInBatches(step: () => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batch) return total;
    await yieldTurn();
  }
}
