import { fitsInside } from './calendar.ts';
import type { Compiled } from './compile.ts';
import type { Conflict } from './model.ts';
import type { PlanState } from './plan-state.ts';

/**
 * Locked operations: `pinned` ones a planner placed, `frozen` ones that have started.
 *
 * How long a running operation holds its machine. It is locked from `start` (now, for the server)
 * with the work it still has to do (`workMinutes`, plus any setup still to do). That work is laid
 * onto the machine's working calendar from `start`, and the machine stays reserved, nights and
 * weekends included, up to the working minute where the work is done: 10 h left at 15:00 on an
 * 08:00–17:00 machine run 2 h today and 8 h tomorrow, so the lock ends at 16:00 the next day.
 * - The reservation begins at `start` even outside working time: the operation is on the machine
 *   now, so nothing else may slip in before the next shift. Off-shift minutes are a pause, not
 *   progress: the plan does not count on overtime it has not been told about (an operator who
 *   finishes tonight reports it, and the next plan frees the machine).
 * - Running past the end of a shift is still a fact, never an "outside working time" conflict.
 * - No work left: the lock is empty and ends at `start`.
 * - A machine without a calendar is always working: the lock ends at start + work. Work beyond the
 *   last working minute of a calendar runs on straight after it.
 * A frozen lock given with an `end` (a repair freezing what it had planned) keeps exactly that end.
 */

/**
 * Puts frozen and pinned operations where they were locked (they are never moved) and reports what
 * they break: overlap with another lock, working time, resources, eligibility, release. Frozen ones
 * are facts, so for them only clashes with other locks and with a breakdown are reported.
 */
export function placeLocks(c: Compiled, state: PlanState, conflicts: Conflict[]): void {
  const locked = c.ops
    .map((o, i) => ({ o, i }))
    .filter(({ o, i }) => o.lock !== null && !c.blocked[i])
    .sort((a, b) => a.o.lock!.start - b.o.lock!.start || a.i - b.i);
  for (const { o, i } of locked) {
    const lock = o.lock!;
    const code = lock.frozen ? 'FROZEN_CONFLICT' : 'PINNED_CONFLICT';
    const lanes = state.lanes[lock.machine]!;
    let unit = lock.unit;
    if (unit < 0) {
      unit = lanes.findIndex((lane) => lane.isFree(lock.start, lock.end));
      if (unit < 0) unit = 0;
    }
    const lane = lanes[unit]!;
    if (!lane.isFree(lock.start, lock.end)) {
      const others = lane.ops.filter((_, k) => lane.starts[k]! < lock.end && lane.ends[k]! > lock.start);
      conflicts.push({
        code,
        op: o.id,
        message: `locked operation "${o.id}" overlaps other locked operations on "${c.machines[lock.machine]!.id}"`,
        related: others.map((x) => c.ops[x]!.id),
      });
    }
    // A running operation is a fact: it may run on past the shift's end (overtime), so only pinned
    // operations are held to working time.
    if (!lock.frozen && !fitsInside(c.machines[lock.machine]!.calendar, lock.start, lock.end)) {
      conflicts.push({ code, op: o.id, message: `locked operation "${o.id}" is outside working time` });
    }
    if (!lock.frozen) {
      for (const need of o.needs) {
        if (!state.profiles[need.resource]!.fits(lock.start, lock.end, need.count)) {
          conflicts.push({
            code,
            op: o.id,
            message: `pinned operation "${o.id}" exceeds resource "${c.resources[need.resource]!.id}"`,
          });
        }
      }
      if (!o.modes.some((m) => m.machine === lock.machine)) {
        conflicts.push({
          code,
          op: o.id,
          message: `pinned operation "${o.id}" is on a machine that is not eligible`,
        });
      }
      if (lock.start < o.release) {
        conflicts.push({ code, op: o.id, message: `pinned operation "${o.id}" starts before its release` });
      }
    }
    state.place(i, { machine: lock.machine, unit, start: lock.start, end: lock.end, setup: lock.setup });
  }
}

/** After everything is placed: precedence into pinned operations that could not be honoured. */
export function lockPrecedenceConflicts(c: Compiled, state: PlanState, conflicts: Conflict[]): void {
  c.ops.forEach((o, i) => {
    if (!o.lock || o.lock.frozen) return;
    const me = state.placed[i];
    if (!me) return;
    for (const link of o.preds) {
      const p = state.placed[link.op];
      if (!p) continue;
      const ready = (link.startStart ? p.start : p.end) + link.lag;
      if (ready > me.start) {
        const pred = c.ops[link.op]!.id;
        conflicts.push({
          code: 'PINNED_CONFLICT',
          op: o.id,
          message: `pinned operation "${o.id}" starts before its predecessor "${pred}" allows`,
          related: [pred],
        });
      }
    }
  });
}
