import { availableMinutes } from './calendar.ts';
import type { Compiled } from './compile.ts';
import type { Assignment, Conflict, Kpis, ObjectiveTerm, Schedule } from './model.ts';
import type { Placement } from './plan-state.ts';
import { FOREVER } from './units.ts';

/** Objective vector: unscheduled operations first, then the configured terms in order. */
export function objectiveVector(c: Compiled, placed: readonly (Placement | null)[]): number[] {
  let unscheduled = 0;
  let makespan = 0;
  let setup = 0;
  const completion = new Float64Array(c.jobs.length).fill(-FOREVER);
  placed.forEach((p, i) => {
    if (!p) {
      unscheduled++;
      return;
    }
    if (p.end > makespan) makespan = p.end;
    setup += p.setup;
    const j = c.ops[i]!.job;
    if (p.end > completion[j]!) completion[j] = p.end;
  });
  let tardiness = 0;
  let weightedCompletion = 0;
  c.jobs.forEach((job, j) => {
    const done = completion[j]!;
    if (done === -FOREVER) return;
    if (job.due < FOREVER && done > job.due) tardiness += job.weight * (done - job.due);
    weightedCompletion += job.weight * done;
  });
  const value: Record<ObjectiveTerm, number> = {
    weightedTardiness: tardiness,
    makespan,
    setupTime: setup,
    weightedCompletion,
  };
  return [unscheduled, ...c.objective.map((t) => value[t])];
}

/** Lexicographic comparison of objective vectors (negative when a is better). */
export function compareObjective(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

export function computeKpis(c: Compiled, placed: readonly (Placement | null)[]): Kpis {
  let makespan = 0;
  let setups = 0;
  let setupMinutes = 0;
  let scheduled = 0;
  const completion = new Float64Array(c.jobs.length).fill(-FOREVER);
  const busy = new Float64Array(c.machines.length);
  for (const [i, p] of placed.entries()) {
    if (!p) continue;
    scheduled++;
    makespan = Math.max(makespan, p.end);
    if (p.setup > 0) {
      setups++;
      setupMinutes += p.setup;
    }
    const j = c.ops[i]!.job;
    completion[j] = Math.max(completion[j]!, p.end);
  }
  // A running operation's lock spans nights and weekends: only its working minutes keep the machine busy.
  for (const [i, p] of placed.entries()) {
    if (!p) continue;
    const from = Math.max(p.start, 0);
    const to = Math.min(p.end, makespan);
    busy[p.machine]! += c.ops[i]!.lock?.frozen
      ? availableMinutes(c.machines[p.machine]!.calendar, from, to)
      : Math.max(0, to - from);
  }
  let withDue = 0;
  let onTime = 0;
  let tardiness = 0;
  c.jobs.forEach((job, j) => {
    if (job.due >= FOREVER) return;
    withDue++;
    const done = completion[j]!;
    if (done <= job.due) onTime++;
    else tardiness += job.weight * (done - job.due);
  });
  const utilization: Record<string, number> = {};
  c.machines.forEach((m, k) => {
    const available = availableMinutes(m.calendar, 0, makespan) * m.capacity;
    utilization[m.id] = available > 0 ? Math.round((busy[k]! / available) * 10000) / 10000 : 0;
  });
  return {
    onTimePercent: withDue === 0 ? 100 : Math.round((onTime / withDue) * 10000) / 100,
    totalWeightedTardiness: tardiness,
    makespan,
    utilization,
    setups,
    setupMinutes,
    scheduledOperations: scheduled,
    unscheduledOperations: c.ops.length - scheduled,
  };
}

export function buildSchedule(
  c: Compiled,
  placed: readonly (Placement | null)[],
  conflicts: readonly Conflict[],
  stats: Schedule['stats'],
): Schedule {
  const assignments: Assignment[] = [];
  placed.forEach((p, i) => {
    if (!p) return;
    const o = c.ops[i]!;
    assignments.push({
      op: o.id,
      machine: c.machines[p.machine]!.id,
      unit: p.unit,
      start: p.start,
      end: p.end,
      setupMinutes: p.setup,
      resources: o.needs.map((nd) => ({ resource: c.resources[nd.resource]!.id, count: nd.count })),
    });
  });
  return {
    assignments,
    conflicts,
    kpis: computeKpis(c, placed),
    objective: objectiveVector(c, placed),
    stats,
  };
}
