import { fitsInside } from './calendar.ts';
import { compile } from './compile.ts';
import type { Assignment, Problem, Schedule } from './model.ts';
import type { Minutes } from './units.ts';

/** A hand move on the planning board: put `op` on `machine` starting at `start`. */
export interface ManualMove {
  readonly op: string;
  readonly machine: string;
  readonly start: Minutes;
  /** Unit of a multi-unit machine; the first one without overlap when omitted. */
  readonly unit?: number;
}

export type MoveConflictCode =
  | 'UNKNOWN_OPERATION'
  | 'FROZEN'
  | 'NOT_ELIGIBLE'
  | 'OFF_SHIFT'
  | 'OVERLAP'
  | 'SETUP'
  | 'PRECEDENCE'
  | 'RESOURCE'
  | 'RELEASE'
  | 'DUE_DATE_MISSED';

export interface MoveConflict {
  readonly code: MoveConflictCode;
  readonly message: string;
  readonly related?: readonly string[];
}

export interface MoveCheck {
  /** Where the operation would be: its unit, end and setup after the move. */
  readonly unit: number;
  readonly end: Minutes;
  readonly setupMinutes: Minutes;
  readonly conflicts: readonly MoveConflict[];
}

/**
 * Checks a single manual move against the rest of the schedule, which stays as it is: nothing is
 * re-solved, so the answer is immediate and lists every rule the move would break.
 */
export function checkMove(problem: Problem, schedule: Schedule, move: ManualMove): MoveCheck {
  const c = compile(problem);
  const i = c.opIndex.get(move.op);
  const m = c.machines.findIndex((x) => x.id === move.machine);
  if (i === undefined || m < 0) {
    const what = i === undefined ? `operation "${move.op}"` : `machine "${move.machine}"`;
    return {
      unit: 0,
      end: move.start,
      setupMinutes: 0,
      conflicts: [{ code: 'UNKNOWN_OPERATION', message: `unknown ${what}` }],
    };
  }
  const o = c.ops[i]!;
  const conflicts: MoveConflict[] = [];
  if (o.lock?.frozen) conflicts.push({ code: 'FROZEN', message: `"${o.id}" has started and cannot move` });
  const mode = o.modes.find((x) => x.machine === m);
  if (!mode) {
    conflicts.push({ code: 'NOT_ELIGIBLE', message: `"${o.id}" cannot run on "${move.machine}"` });
    return { unit: move.unit ?? 0, end: move.start, setupMinutes: 0, conflicts };
  }
  const others = schedule.assignments.filter((a) => a.op !== o.id);
  const at = new Map(others.map((a) => [a.op, a]));
  const F = c.families.length;
  const familyOf = (id: string): number => c.ops[c.opIndex.get(id)!]!.family;
  const onUnit = (u: number): Assignment[] =>
    others.filter((a) => a.machine === move.machine && a.unit === u).sort((a, b) => a.start - b.start);
  // Operations of no length take no setup and leave the machine as it was (as validate.ts counts).
  const place = (u: number) => {
    const lane = onUnit(u).filter((a) => a.end > a.start);
    const before = lane.filter((a) => a.start <= move.start).pop();
    const from = before ? familyOf(before.op) : c.machines[m]!.initialFamily;
    const setup = mode.minutes === 0 ? 0 : c.setup[from * F + o.family]!;
    const end = move.start + setup + mode.minutes;
    const overlap = lane.filter((a) => a.start < end && a.end > move.start);
    const after = end > move.start ? lane.find((a) => a.start >= move.start && a !== before) : undefined;
    return { lane, setup, end, overlap, after };
  };
  let unit = move.unit ?? 0;
  if (move.unit === undefined) {
    for (let u = 0; u < c.machines[m]!.capacity; u++) {
      if (place(u).overlap.length === 0) {
        unit = u;
        break;
      }
    }
  }
  const { setup, end, overlap, after } = place(unit);
  if (overlap.length > 0) {
    conflicts.push({
      code: 'OVERLAP',
      message: `"${o.id}" overlaps ${overlap.length} operation(s)`,
      related: overlap.map((a) => a.op),
    });
  }
  if (after && c.setup[o.family * F + familyOf(after.op)]! > after.setupMinutes) {
    conflicts.push({
      code: 'SETUP',
      message: `"${after.op}" would need a longer setup after "${o.id}"`,
      related: [after.op],
    });
  }
  if (!fitsInside(c.machines[m]!.calendar, move.start, end)) {
    conflicts.push({
      code: 'OFF_SHIFT',
      message: `[${move.start}, ${end}) is not inside one working interval of "${move.machine}"`,
    });
  }
  if (move.start < o.release)
    conflicts.push({ code: 'RELEASE', message: `"${o.id}" is released at ${o.release}` });
  for (const l of o.preds) {
    const a = at.get(c.ops[l.op]!.id);
    if (a && move.start < (l.startStart ? a.start : a.end) + l.lag) {
      conflicts.push({
        code: 'PRECEDENCE',
        message: `"${o.id}" would start before "${a.op}" allows`,
        related: [a.op],
      });
    }
  }
  for (const l of o.succs) {
    const a = at.get(c.ops[l.op]!.id);
    if (a && a.start < (l.startStart ? move.start : end) + l.lag) {
      conflicts.push({
        code: 'PRECEDENCE',
        message: `"${a.op}" would start before "${o.id}" allows`,
        related: [a.op],
      });
    }
  }
  for (const need of o.needs) {
    const id = c.resources[need.resource]!.id;
    const users = others.filter(
      (a) => a.start < end && a.end > move.start && a.resources.some((r) => r.resource === id),
    );
    const points = [move.start, ...users.map((a) => a.start).filter((t) => t > move.start && t < end)];
    const peak = Math.max(
      ...points.map((t) =>
        users
          .filter((a) => a.start <= t && a.end > t)
          .reduce((s, a) => s + (a.resources.find((r) => r.resource === id)?.count ?? 0), 0),
      ),
    );
    if (peak + need.count > c.resources[need.resource]!.count) {
      conflicts.push({
        code: 'RESOURCE',
        message: `not enough "${id}" during the move`,
        related: users.map((a) => a.op),
      });
    }
  }
  const job = c.jobs[o.job]!;
  const jobEnd = Math.max(
    end,
    ...others.filter((a) => c.ops[c.opIndex.get(a.op)!]!.job === o.job).map((a) => a.end),
  );
  if (jobEnd > job.due)
    conflicts.push({
      code: 'DUE_DATE_MISSED',
      message: `job "${job.id}" would finish at ${jobEnd}, due ${job.due}`,
    });
  return { unit, end, setupMinutes: setup, conflicts };
}
