/**
 * Iteration and wall-clock budget of a search. The clock is injected (the engine core never reads
 * time itself); without a clock only the iteration budget applies, which keeps runs reproducible.
 */
export interface Budget {
  readonly maxIterations: number;
  /** True once the wall-clock budget is spent. Called every few dozen iterations. */
  readonly expired: () => boolean;
}

export function makeBudget(
  maxIterations: number | undefined,
  timeLimitMs: number | undefined,
  now: (() => number) | undefined,
  defaultIterations: number,
): Budget {
  const iterations =
    maxIterations ?? (timeLimitMs !== undefined && now ? Number.MAX_SAFE_INTEGER : defaultIterations);
  if (timeLimitMs === undefined || now === undefined)
    return { maxIterations: iterations, expired: () => false };
  const deadline = now() + timeLimitMs;
  return { maxIterations: iterations, expired: () => now() >= deadline };
}
