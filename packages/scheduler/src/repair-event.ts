import { subtractInterval } from './calendar.ts';
import { ProblemError } from './problem-error.ts';
import type { Job, Operation, Problem, Schedule } from './model.ts';
import type { Minutes } from './units.ts';

/** Something that happened on the shop floor after the schedule was made. */
export type RepairEvent =
  /** The machine is unavailable during [start, end). */
  | { readonly type: 'breakdown'; readonly machine: string; readonly start: Minutes; readonly end: Minutes }
  /** A new work order to fit in. */
  | { readonly type: 'rushOrder'; readonly job: Job; readonly operations: readonly Operation[] }
  /** Material arrives late: the job (or one operation) cannot start before `release`. */
  | { readonly type: 'shortage'; readonly job?: string; readonly op?: string; readonly release: Minutes }
  /** A running operation was reported to finish later than planned, at `end`. */
  | { readonly type: 'lateReport'; readonly op: string; readonly end: Minutes };

/**
 * The problem after the event, with every operation that starts before `frozenUntil` in the
 * previous schedule locked as frozen exactly where it was (a late report moves only its end).
 */
export function applyEvent(
  problem: Problem,
  previous: Schedule,
  event: RepairEvent,
  frozenUntil: Minutes,
): Problem {
  let machines = problem.machines;
  let jobs = problem.jobs;
  let operations = problem.operations;
  if (event.type === 'breakdown') {
    if (!machines.some((m) => m.id === event.machine))
      throw new ProblemError(`breakdown of unknown machine "${event.machine}"`);
    machines = machines.map((m) =>
      m.id === event.machine
        ? { ...m, calendar: subtractInterval(m.calendar, { start: event.start, end: event.end }) }
        : m,
    );
  } else if (event.type === 'rushOrder') {
    jobs = [...jobs, event.job];
    operations = [...operations, ...event.operations];
  } else if (event.type === 'shortage') {
    if (event.job !== undefined) {
      if (!jobs.some((j) => j.id === event.job))
        throw new ProblemError(`shortage for unknown job "${event.job}"`);
      jobs = jobs.map((j) =>
        j.id === event.job ? { ...j, release: Math.max(j.release ?? 0, event.release) } : j,
      );
    }
    if (event.op !== undefined) {
      if (!operations.some((o) => o.id === event.op))
        throw new ProblemError(`shortage for unknown operation "${event.op}"`);
      operations = operations.map((o) =>
        o.id === event.op ? { ...o, release: Math.max(o.release ?? 0, event.release) } : o,
      );
    }
  } else if (!previous.assignments.some((a) => a.op === event.op)) {
    throw new ProblemError(`late report for operation "${event.op}" which is not scheduled`);
  }
  const late = event.type === 'lateReport' ? event : null;
  const prev = new Map(previous.assignments.map((a) => [a.op, a]));
  operations = operations.map((o) => {
    const a = prev.get(o.id);
    if (!a || (a.start >= frozenUntil && late?.op !== o.id)) return o;
    const end = late?.op === o.id ? Math.max(late.end, a.start) : a.end;
    return {
      ...o,
      lock: {
        kind: 'frozen',
        machine: a.machine,
        unit: a.unit,
        start: a.start,
        end,
        setupMinutes: a.setupMinutes,
      },
    };
  });
  return { ...problem, machines, jobs, operations };
}
