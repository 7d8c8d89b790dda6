import { type Calendar, normalizeCalendar } from './calendar.ts';
import { compileLock } from './compile-lock.ts';
import { findCycles } from './graph.ts';
import { type Conflict, DEFAULT_OBJECTIVE, type ObjectiveTerm, type Problem } from './model.ts';
import { minutes, ProblemError } from './problem-error.ts';
import { FOREVER, type Minutes } from './units.ts';

export interface CMode {
  readonly machine: number;
  readonly minutes: Minutes;
}

export interface CLink {
  /** The other operation (predecessor in `preds`, successor in `succs`). */
  readonly op: number;
  readonly lag: Minutes;
  readonly startStart: boolean;
}

export interface CNeed {
  readonly resource: number;
  readonly count: number;
}

export interface CLock {
  readonly frozen: boolean;
  readonly machine: number;
  readonly unit: number;
  readonly start: Minutes;
  readonly end: Minutes;
  readonly setup: Minutes;
}

export interface COp {
  readonly id: string;
  readonly job: number;
  readonly modes: readonly CMode[];
  readonly family: number;
  readonly preds: CLink[];
  readonly succs: CLink[];
  readonly needs: readonly CNeed[];
  readonly release: Minutes;
  readonly lock: CLock | null;
}

export interface CMachine {
  readonly id: string;
  readonly capacity: number;
  readonly calendar: Calendar;
  readonly initialFamily: number;
}

export interface CJob {
  readonly id: string;
  readonly release: Minutes;
  /** FOREVER when the job has no due date. */
  readonly due: Minutes;
  readonly weight: number;
}

/**
 * The problem turned into dense indexes. Structural mistakes (duplicate ids, an operation of an
 * unknown job, negative minutes) throw a `ProblemError`; everything that only makes some operations
 * unschedulable (unknown machine, cycle, …) becomes a conflict in `issues` and marks `blocked`.
 */
export interface Compiled {
  readonly problem: Problem;
  readonly ops: readonly COp[];
  readonly opIndex: ReadonlyMap<string, number>;
  readonly machines: readonly CMachine[];
  readonly resources: readonly { readonly id: string; readonly count: number }[];
  readonly jobs: readonly CJob[];
  readonly families: readonly string[];
  /** setup[from * families.length + to]. */
  readonly setup: Int32Array;
  readonly objective: readonly ObjectiveTerm[];
  /** Operations in a topological order of the precedence graph (blocked ones included last). */
  readonly topo: readonly number[];
  readonly issues: readonly Conflict[];
  /** 1 for operations that cannot be scheduled because of a static issue. */
  readonly blocked: Uint8Array;
}

function indexIds(kind: string, ids: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  ids.forEach((id, i) => {
    if (map.has(id)) throw new ProblemError(`duplicate ${kind} id "${id}"`);
    map.set(id, i);
  });
  return map;
}

export function compile(problem: Problem): Compiled {
  const machineIndex = indexIds(
    'machine',
    problem.machines.map((m) => m.id),
  );
  const resourceIndex = indexIds(
    'resource',
    (problem.resources ?? []).map((r) => r.id),
  );
  const jobIndex = indexIds(
    'job',
    problem.jobs.map((j) => j.id),
  );
  const opIndex = indexIds(
    'operation',
    problem.operations.map((o) => o.id),
  );
  const familyIndex = new Map<string, number>([['', 0]]);
  const family = (name: string | undefined): number => {
    const key = name ?? '';
    let f = familyIndex.get(key);
    if (f === undefined) {
      f = familyIndex.size;
      familyIndex.set(key, f);
    }
    return f;
  };
  const issues: Conflict[] = [];
  const blocked = new Uint8Array(problem.operations.length);
  const block = (op: number, code: Conflict['code'], message: string, related?: string[]): void => {
    if (blocked[op]) return;
    blocked[op] = 1;
    const id = problem.operations[op]!.id;
    issues.push(related ? { code, op: id, message, related } : { code, op: id, message });
  };

  const machines: CMachine[] = problem.machines.map((m) => {
    const capacity = m.capacity ?? 1;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new ProblemError(`machine "${m.id}": capacity must be a positive integer`);
    return {
      id: m.id,
      capacity,
      calendar: normalizeCalendar(m.calendar),
      initialFamily: family(m.initialFamily),
    };
  });
  const resources = (problem.resources ?? []).map((r) => {
    if (!Number.isInteger(r.count) || r.count < 0)
      throw new ProblemError(`resource "${r.id}": count must be a non-negative integer`);
    return { id: r.id, count: r.count };
  });
  const jobs: CJob[] = problem.jobs.map((j) => ({
    id: j.id,
    release: minutes(j.release, 0, `job "${j.id}" release`),
    due: minutes(j.due, FOREVER, `job "${j.id}" due`),
    weight: j.weight ?? 1,
  }));

  const lastOfJob = new Map<number, number>();
  const ops: COp[] = problem.operations.map((o, i) => {
    const job = jobIndex.get(o.job);
    if (job === undefined) throw new ProblemError(`operation "${o.id}" belongs to unknown job "${o.job}"`);
    const modes: CMode[] = [];
    const unknown: string[] = [];
    for (const mode of o.modes) {
      const machine = machineIndex.get(mode.machine);
      const time = minutes(mode.minutes, 0, `operation "${o.id}" minutes`);
      if (time < 0) throw new ProblemError(`operation "${o.id}": negative minutes`);
      if (machine === undefined) unknown.push(mode.machine);
      else modes.push({ machine, minutes: time });
    }
    if (modes.length === 0) {
      const why = unknown.length > 0 ? ` (unknown machines: ${unknown.join(', ')})` : '';
      block(i, 'NO_ELIGIBLE_MACHINE', `operation "${o.id}" has no eligible machine${why}`);
    }
    const needs: CNeed[] = [];
    for (const need of o.resources ?? []) {
      const resource = resourceIndex.get(need.resource);
      const count = need.count ?? 1;
      if (resource === undefined) {
        block(i, 'UNKNOWN_REFERENCE', `operation "${o.id}" needs unknown resource "${need.resource}"`);
        continue;
      }
      if (count > resources[resource]!.count) {
        block(
          i,
          'RESOURCE_CAPACITY',
          `operation "${o.id}" needs ${count} of "${need.resource}" which has ${resources[resource]!.count}`,
        );
      }
      const existing = needs.findIndex((n) => n.resource === resource);
      if (existing >= 0) needs[existing] = { resource, count: needs[existing]!.count + count };
      else needs.push({ resource, count });
    }
    const jobRelease = jobs[job]!.release;
    return {
      id: o.id,
      job,
      modes,
      family: family(o.setupFamily),
      preds: [],
      succs: [],
      needs,
      release: Math.max(jobRelease, minutes(o.release, jobRelease, `operation "${o.id}" release`)),
      lock: compileLock(o, i, modes, machineIndex, machines, block),
    };
  });

  // Precedence: explicit links plus the implicit routing chain of `sequence` jobs.
  problem.operations.forEach((o, i) => {
    const op = ops[i]!;
    const explicit = new Set<number>();
    for (const link of o.predecessors ?? []) {
      const pred = opIndex.get(link.op);
      if (pred === undefined) {
        block(i, 'UNKNOWN_REFERENCE', `operation "${o.id}" follows unknown operation "${link.op}"`);
        continue;
      }
      if (explicit.has(pred)) continue;
      explicit.add(pred);
      const lag = minutes(link.minLag, 0, `link ${link.op} → ${o.id} lag`);
      const startStart = link.type === 'start-start';
      op.preds.push({ op: pred, lag, startStart });
      ops[pred]!.succs.push({ op: i, lag, startStart });
    }
    const jobSpec = problem.jobs[op.job]!;
    if ((jobSpec.routing ?? 'sequence') === 'sequence') {
      const prev = lastOfJob.get(op.job);
      if (prev !== undefined && !explicit.has(prev)) {
        op.preds.push({ op: prev, lag: 0, startStart: false });
        ops[prev]!.succs.push({ op: i, lag: 0, startStart: false });
      }
      lastOfJob.set(op.job, i);
    }
  });

  for (const rule of problem.setups ?? []) {
    family(rule.from);
    family(rule.to);
  }
  const families = [...familyIndex.keys()];
  const F = families.length;
  const setup = new Int32Array(F * F);
  for (const rule of problem.setups ?? []) {
    const v = minutes(rule.minutes, 0, `setup ${rule.from} → ${rule.to}`);
    if (v < 0) throw new ProblemError(`setup ${rule.from} → ${rule.to}: negative minutes`);
    setup[familyIndex.get(rule.from)! * F + familyIndex.get(rule.to)!] = v;
  }

  const { order, cyclic } = findCycles(ops.map((o) => o.preds.map((l) => l.op)));
  for (const i of cyclic) block(i, 'CYCLE', `operation "${ops[i]!.id}" is on a precedence cycle`);
  // Operations after an unschedulable one cannot run either (locked ones stay where they are).
  for (const i of order) {
    if (blocked[i] || ops[i]!.lock) continue;
    const bad = ops[i]!.preds.find((l) => blocked[l.op] && !ops[l.op]!.lock);
    if (bad) {
      block(
        i,
        'PREDECESSOR_UNSCHEDULED',
        `operation "${ops[i]!.id}" follows unschedulable "${ops[bad.op]!.id}"`,
        [ops[bad.op]!.id],
      );
    }
  }

  return {
    problem,
    ops,
    opIndex,
    machines,
    resources,
    jobs,
    families,
    setup,
    objective: problem.objective ?? DEFAULT_OBJECTIVE,
    topo: order,
    issues,
    blocked,
  };
}
