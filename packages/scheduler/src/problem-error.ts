/** A problem that cannot be scheduled at all: duplicate ids, an operation of an unknown job, … */
export class ProblemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProblemError';
  }
}

/** An integer number of minutes, or the fallback when absent. */
export function minutes(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || !Number.isInteger(v))
    throw new ProblemError(`${what} must be an integer number of minutes`);
  return v;
}
