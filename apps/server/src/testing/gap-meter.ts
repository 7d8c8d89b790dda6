/** How long this thread's event loop was held, as a {@link startGapMeter} sees it. */
export interface GapMeter {
  /** The longest gap so far in ms, the one still open since the last tick included. */
  longest(): number;
  /** Starts over from now: gaps seen so far are forgotten (e.g. after a warm-up). */
  reset(): void;
  /** Stops the interval and answers {@link longest} at that moment (which it answers from then on). */
  stop(): number;
}

/**
 * Measures the longest gap between ticks of an `intervalMs` interval on this thread's event loop: how
 * long the loop was held, by a synchronous query or anything else. Not perf_hooks'
 * `monitorEventLoopDelay`, which records nothing when the loop is held from before its first tick to
 * after its last: its histogram only gets the delays of ticks that happened. Here the gap still open
 * when {@link GapMeter.longest} or {@link GapMeter.stop} is called counts too, so a stall at the end
 * of the measured work is seen without waiting for another tick. The gap of an idle loop is about
 * `intervalMs` (plus timer jitter).
 */
export function startGapMeter(intervalMs = 1): GapMeter {
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    gap = Math.max(gap, t - last);
    last = t;
  }, intervalMs);
  // The meter never keeps a process alive on its own.
  tick.unref();
  let stopped: number | null = null;
  const longest = () => stopped ?? Math.max(gap, performance.now() - last);
  return {
    longest,
    reset() {
      last = performance.now();
      gap = 0;
    },
    stop() {
      clearInterval(tick);
      stopped ??= longest();
      return stopped;
    },
  };
}
