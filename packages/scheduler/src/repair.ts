import { fitsInside } from './calendar.ts';
import { compile } from './compile.ts';
import { buildSchedule } from './evaluate.ts';
import { MinHeap } from './heap.ts';
import { lockPrecedenceConflicts, placeLocks } from './locks.ts';
import type { Assignment, Conflict, Problem, Schedule, SolveOptions } from './model.ts';
import { type Placement, PlanState } from './plan-state.ts';
import { applyEvent, type RepairEvent } from './repair-event.ts';
import type { Minutes } from './units.ts';

export type { RepairEvent } from './repair-event.ts';

export interface RepairOptions extends SolveOptions {
  /** Current time on the shop floor, in minutes from the horizon origin. */
  readonly currentTime: Minutes;
  /** Operations starting before currentTime + frozenHorizon stay exactly where they are. */
  readonly frozenHorizon: Minutes;
  /**
   * An operation leaves its previous machine only if another machine finishes it more than this
   * many minutes earlier. Default 240 (half a shift).
   */
  readonly machineChangeTolerance?: Minutes;
}

export interface RepairResult {
  /** The problem after the event, with the frozen window locked (validate against this). */
  readonly problem: Problem;
  readonly schedule: Schedule;
  /** Previously scheduled operations whose machine, unit, start or end changed. */
  readonly moved: readonly string[];
  /** Operations that had no place in the previous schedule (rush orders, unscheduled before). */
  readonly added: readonly string[];
}

/**
 * Incremental repair after a shop-floor event. Nothing that starts before now + frozenHorizon
 * moves. New operations (a rush order) are placed first, at their earliest. Every other operation
 * keeps a reservation on its previous slot; they are then replayed in the order of their previous
 * start, and an operation keeps its slot when that is still feasible (machine working, predecessors
 * done, resources free). Otherwise it goes to the earliest free time after its previous start —
 * on its machine unless another one finishes it more than the tolerance earlier — without taking
 * the reserved slot of anything else. So disturbances only travel along precedence chains.
 */
export function repair(
  problem: Problem,
  previous: Schedule,
  event: RepairEvent,
  options: RepairOptions,
): RepairResult {
  const frozenUntil = options.currentTime + options.frozenHorizon;
  const tolerance = options.machineChangeTolerance ?? 240;
  const next = applyEvent(problem, previous, event, frozenUntil);
  const c = compile(next);
  const state = new PlanState(c);
  const conflicts: Conflict[] = [...c.issues];
  placeLocks(c, state, conflicts);

  const prevById = new Map<string, Assignment>(previous.assignments.map((a) => [a.op, a]));
  const machineOf = new Map(c.machines.map((m, i) => [m.id, i]));
  const n = c.ops.length;
  const dead = Uint8Array.from(c.blocked);
  const done = new Uint8Array(n);
  const reserved = new Uint8Array(n);
  const prevOf: (Placement | null)[] = c.ops.map((o) => {
    const a = prevById.get(o.id);
    const m = a ? machineOf.get(a.machine) : undefined;
    if (!a || m === undefined || !o.modes.some((x) => x.machine === m) || a.unit >= c.machines[m]!.capacity)
      return null;
    return { machine: m, unit: a.unit, start: a.start, end: a.end, setup: a.setupMinutes };
  });
  c.ops.forEach((o, i) => {
    if (o.lock && state.placed[i]) done[i] = 1;
  });

  const kill = (op: number, conflict: Conflict): void => {
    conflicts.push(conflict);
    const stack = [op];
    dead[op] = 1;
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const s of c.ops[x]!.succs) {
        if (dead[s.op] || c.ops[s.op]!.lock) continue;
        dead[s.op] = 1;
        if (reserved[s.op]) state.unplace(s.op);
        conflicts.push({
          code: 'PREDECESSOR_UNSCHEDULED',
          op: c.ops[s.op]!.id,
          message: `operation "${c.ops[s.op]!.id}" follows unschedulable "${c.ops[x]!.id}"`,
          related: [c.ops[x]!.id],
        });
        stack.push(s.op);
      }
    }
  };
  const noCapacity = (i: number): Conflict => ({
    code: 'NO_CALENDAR_CAPACITY',
    op: c.ops[i]!.id,
    message: `operation "${c.ops[i]!.id}" fits in no working interval of its eligible machines`,
  });

  // New work first, so that a rush order gets the earliest capacity.
  for (const i of c.topo) {
    if (dead[i] || done[i] || prevOf[i] || c.ops[i]!.preds.some((l) => !done[l.op])) continue;
    const pl = state.bestPlacement(i, state.earliestStart(i));
    if (!pl) kill(i, noCapacity(i));
    else {
      state.place(i, pl);
      done[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) {
    const p = prevOf[i];
    if (p && !dead[i] && !done[i]) {
      state.place(i, p);
      reserved[i] = 1;
      state.tentative[i] = 1;
    }
  }

  // Replay order: precedence, plus the previous sequence on each unit, so that an operation is
  // replayed after the one it followed and sees its final neighbour (and exact setup).
  const laneNext = laneSuccessors(state, reserved);
  const precLeft = new Int32Array(n);
  const laneLeft = new Uint8Array(n);
  const heap = new MinHeap();
  const enqueue = (i: number): void => {
    const est = state.earliestStart(i);
    heap.push(i, Math.max(prevOf[i]?.start ?? est, est));
  };
  const check = (i: number): void => {
    if (precLeft[i] === 0 && laneLeft[i] === 0 && !dead[i] && !done[i]) enqueue(i);
  };
  for (let i = 0; i < n; i++) {
    if (dead[i] || done[i]) continue;
    precLeft[i] = c.ops[i]!.preds.filter((l) => !done[l.op]).length;
    if (laneNext[i]! >= 0) laneLeft[laneNext[i]!] = 1;
  }
  for (const i of c.topo) check(i);
  const finish = (i: number): void => {
    for (const s of c.ops[i]!.succs) {
      if (done[s.op] || dead[s.op]) continue;
      precLeft[s.op]!--;
      check(s.op);
    }
    const next = laneNext[i]!;
    if (next >= 0) {
      laneLeft[next] = 0;
      check(next);
    }
  };
  for (;;) {
    for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
      if (dead[i] || done[i]) continue;
      if (reserved[i]) {
        state.unplace(i);
        state.tentative[i] = 0;
      }
      const pl = replace(state, i, prevOf[i] ?? null, tolerance);
      if (pl) {
        state.place(i, pl);
        done[i] = 1;
      } else kill(i, noCapacity(i));
      finish(i);
    }
    // What still waits, waits on the unit order behind an operation that could not be placed:
    // release the earliest such operation whose predecessors are all done.
    let stuck = -1;
    for (const i of c.topo) {
      if (!done[i] && !dead[i] && precLeft[i] === 0) {
        stuck = i;
        break;
      }
    }
    if (stuck < 0) break;
    laneLeft[stuck] = 0;
    enqueue(stuck);
  }
  lockPrecedenceConflicts(c, state, conflicts);

  const moved: string[] = [];
  const added: string[] = [];
  state.placed.forEach((pl, i) => {
    const a = prevById.get(c.ops[i]!.id);
    if (!a) {
      if (pl) added.push(c.ops[i]!.id);
    } else if (
      !pl ||
      c.machines[pl.machine]!.id !== a.machine ||
      pl.unit !== a.unit ||
      pl.start !== a.start ||
      pl.end !== a.end
    ) {
      moved.push(c.ops[i]!.id);
    }
  });
  const schedule = buildSchedule(c, state.placed, conflicts, { method: 'repair', iterations: 1 });
  return { problem: next, schedule, moved, added };
}

/** New placement of one operation given its previous one (null for new work). */
function replace(state: PlanState, i: number, prev: Placement | null, tolerance: Minutes): Placement | null {
  const est = state.earliestStart(i);
  if (!prev) return state.bestPlacement(i, est);
  const from = Math.max(est, prev.start);
  const same = keepOnMachine(state, i, prev.machine, prev.unit, from, prev.end);
  if (same && same.unit === prev.unit && same.start === prev.start && same.end <= prev.end) {
    // The slot is still good. Keep its full length even if the setup got shorter: reserving a
    // longer setup is allowed and nothing after it has to notice.
    if (same.end === prev.end || slotIsFree(state, i, prev)) return same.end === prev.end ? same : prev;
  }
  // Its neighbour on the unit changed and it needs a longer setup: start earlier, finish as before.
  const minutes = state.c.ops[i]!.modes.find((x) => x.machine === prev.machine)!.minutes;
  const setup = minutes === 0 ? 0 : state.setupAt(i, prev.machine, prev.unit, prev.start);
  const anchored = prev.end - minutes - setup;
  if (anchored >= est && anchored < prev.start) {
    const r = state.earliestOnUnit(i, prev.machine, prev.unit, minutes, anchored);
    if (r && r.start === anchored && anchored + r.setup + minutes === prev.end) {
      return { machine: prev.machine, unit: prev.unit, start: anchored, end: prev.end, setup: r.setup };
    }
  }
  // Other machines may look emptier during the replay than they will be, so a switch must win by
  // more than the tolerance.
  const any = state.bestPlacement(i, from);
  return same && (!any || same.end <= any.end + tolerance) ? same : any;
}

function slotIsFree(state: PlanState, i: number, pl: Placement): boolean {
  const c = state.c;
  if (!state.lanes[pl.machine]![pl.unit]!.isFree(pl.start, pl.end)) return false;
  if (!fitsInside(c.machines[pl.machine]!.calendar, pl.start, pl.end)) return false;
  return c.ops[i]!.needs.every((nd) => state.profiles[nd.resource]!.fits(pl.start, pl.end, nd.count));
}

/** For each reserved operation, the reserved operation that followed it on its unit (or -1). */
function laneSuccessors(state: PlanState, reserved: Uint8Array): Int32Array {
  const next = new Int32Array(reserved.length).fill(-1);
  for (const lanes of state.lanes) {
    for (const lane of lanes) {
      let prev = -1;
      for (const op of lane.ops) {
        if (!reserved[op]) continue;
        if (prev >= 0) next[prev] = op;
        prev = op;
      }
    }
  }
  return next;
}

/** Earliest placement on machine m; the previous unit wins ties and keeps a slot ending by `prevEnd`. */
function keepOnMachine(
  state: PlanState,
  op: number,
  m: number,
  unit: number,
  from: Minutes,
  prevEnd: Minutes,
): Placement | null {
  const mode = state.c.ops[op]!.modes.find((x) => x.machine === m)!;
  let best: Placement | null = null;
  const units = state.lanes[m]!.length;
  for (let k = 0; k < units; k++) {
    const u = (unit + k) % units;
    const r = state.earliestOnUnit(op, m, u, mode.minutes, from);
    if (!r) continue;
    const end = r.start + r.setup + mode.minutes;
    if (!best || end < best.end) best = { machine: m, unit: u, start: r.start, end, setup: r.setup };
    if (k === 0 && end <= prevEnd) break;
  }
  return best;
}
