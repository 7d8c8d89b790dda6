/**
 * An operator who pressed "start" late may say when the operation really started. The time given is
 * held to what the record already says: it cannot lie in the future (beyond a little clock skew
 * between the terminal and the server), before the work order was released, before the last start,
 * pause, report or finish recorded on the operation, nor further back than a shift's worth of hours.
 * A supervisor may correct further back than an operator.
 */

/** How far a terminal's clock may run ahead of the server's. */
export const START_CLOCK_SKEW_MS = 60_000;
/** How far back an operator may date a start: about one long shift. */
export const OPERATOR_START_BACK_HOURS = 12;
/** How far back a supervisor (who may update shop-floor records) may date a start. */
export const SUPERVISOR_START_BACK_HOURS = 72;

const HOUR_MS = 3_600_000;

export type StartTimeProblem =
  | 'START_TIME_INVALID'
  | 'START_TIME_IN_FUTURE'
  | 'START_TIME_TOO_FAR_BACK'
  | 'START_TIME_BEFORE_RELEASE'
  | 'START_TIME_BEFORE_LAST_EVENT';

export interface StartTimeFacts {
  /** The server's clock, in epoch milliseconds. */
  readonly nowMs: number;
  /** When the work order was released, if recorded. */
  readonly releasedAt: string | null;
  /** The latest start, pause, resume, report, hold or finish recorded on the operation, if any. */
  readonly lastEventAt: string | null;
  readonly maxBackHours: number;
}

export type StartTimeCheck =
  | { readonly ok: true; readonly startedAt: string }
  | { readonly ok: false; readonly problem: StartTimeProblem; readonly message: string };

const refuse = (problem: StartTimeProblem, message: string): StartTimeCheck => ({
  ok: false,
  problem,
  message,
});

/** The start time to store (normalised to UTC ISO 8601), or why the given one cannot be. */
export function checkStartTime(given: string, facts: StartTimeFacts): StartTimeCheck {
  const at = Date.parse(given);
  if (!Number.isFinite(at)) return refuse('START_TIME_INVALID', 'is not a date-time');
  if (at > facts.nowMs + START_CLOCK_SKEW_MS) return refuse('START_TIME_IN_FUTURE', 'is in the future');
  if (at < facts.nowMs - facts.maxBackHours * HOUR_MS) {
    return refuse('START_TIME_TOO_FAR_BACK', `is more than ${facts.maxBackHours} hours ago`);
  }
  if (facts.releasedAt !== null && at < Date.parse(facts.releasedAt)) {
    return refuse('START_TIME_BEFORE_RELEASE', `is before the work order was released (${facts.releasedAt})`);
  }
  if (facts.lastEventAt !== null && at < Date.parse(facts.lastEventAt)) {
    return refuse(
      'START_TIME_BEFORE_LAST_EVENT',
      `is before the last event recorded on the operation (${facts.lastEventAt})`,
    );
  }
  // A time a little ahead of the server's clock (terminal skew) is stored as now.
  return { ok: true, startedAt: new Date(Math.min(at, facts.nowMs)).toISOString() };
}
