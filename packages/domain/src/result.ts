/**
 * Expected "no" answers (a guard failed, input was malformed) are values, not exceptions, so callers
 * must handle them and the API can map `code` to a problem response. Programming errors still throw.
 */
export interface Refusal<C extends string = string> {
  readonly ok: false;
  /** Stable, machine-readable; UIs translate by code, so never reword or reuse one. */
  readonly code: C;
  /** English, for logs and developers. */
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export type Result<T, C extends string = string> = Ok<T> | Refusal<C>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function refuse<C extends string>(
  code: C,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Refusal<C> {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

/** For places where a refusal means the caller broke a precondition (tests, seed data, constants). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Error(`${result.code}: ${result.message}`);
}
