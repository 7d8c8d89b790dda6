import type { Assignment, Conflict, Interval, Operation, Problem } from './model.ts';

/**
 * Independent feasibility check of a schedule against its problem. It shares no code with the
 * solver on purpose (only the types), so that a bug in the engine's bookkeeping cannot hide itself.
 *
 * Frozen operations are facts: they are only checked for being exactly where they were locked (a
 * lock with `workMinutes` ends where that work is done in the machine's working time), and clashes
 * among frozen operations are not reported. Pinned operations are checked like any other.
 * Operations absent from the assignments must be declared in the schedule's conflicts.
 */
export type ViolationCode =
  | 'UNKNOWN_OPERATION'
  | 'DUPLICATE_ASSIGNMENT'
  | 'MISSING_OPERATION'
  | 'NOT_ELIGIBLE'
  | 'BAD_UNIT'
  | 'DURATION'
  | 'SETUP'
  | 'MACHINE_OVERLAP'
  | 'CALENDAR'
  | 'PRECEDENCE'
  | 'RELEASE'
  | 'RESOURCE'
  | 'LOCK_MOVED';

export interface Violation {
  readonly code: ViolationCode;
  readonly op: string;
  readonly message: string;
}

export interface ScheduleToCheck {
  readonly assignments: readonly Assignment[];
  readonly conflicts?: readonly Conflict[];
}

interface Ctx {
  readonly problem: Problem;
  readonly ops: ReadonlyMap<string, Operation>;
  readonly at: ReadonlyMap<string, Assignment>;
  readonly out: Violation[];
}

const isFrozen = (o: Operation | undefined): boolean => o?.lock?.kind === 'frozen';

function setupBetween(problem: Problem, from: string, to: string): number {
  for (const r of problem.setups ?? []) if (r.from === from && r.to === to) return r.minutes;
  return 0;
}

function merged(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end)
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, iv.end) };
    else out.push(iv);
  }
  return out;
}

/** Where `work` working minutes from `start` are done; straight on past the calendar's end. */
function workDoneAt(calendar: readonly Interval[] | null, start: number, work: number): number {
  if (calendar === null || work <= 0) return start + Math.max(0, work);
  let at = start;
  let left = work;
  for (const iv of calendar) {
    if (iv.end <= at) continue;
    at = Math.max(at, iv.start);
    const here = Math.min(left, iv.end - at);
    at += here;
    left -= here;
    if (left === 0) return at;
  }
  return at + left;
}

export function validate(problem: Problem, schedule: ScheduleToCheck): Violation[] {
  const out: Violation[] = [];
  const ops = new Map(problem.operations.map((o) => [o.id, o]));
  const at = new Map<string, Assignment>();
  for (const a of schedule.assignments) {
    if (!ops.has(a.op))
      out.push({ code: 'UNKNOWN_OPERATION', op: a.op, message: `"${a.op}" is not in the problem` });
    else if (at.has(a.op))
      out.push({ code: 'DUPLICATE_ASSIGNMENT', op: a.op, message: `"${a.op}" is assigned twice` });
    else at.set(a.op, a);
  }
  const declared = new Set((schedule.conflicts ?? []).map((c) => c.op));
  for (const o of problem.operations) {
    if (!at.has(o.id) && !declared.has(o.id)) {
      out.push({
        code: 'MISSING_OPERATION',
        op: o.id,
        message: `"${o.id}" is neither scheduled nor reported`,
      });
    }
  }
  const ctx: Ctx = { problem, ops, at, out };
  checkPlacement(ctx);
  checkMachines(ctx);
  checkPrecedence(ctx);
  checkResources(ctx);
  return out;
}

/** Eligibility, unit, duration, lock position, release, working time. */
function checkPlacement(ctx: Ctx): void {
  const { problem, ops, at, out } = ctx;
  const machines = new Map(problem.machines.map((m) => [m.id, m]));
  const calendars = new Map(problem.machines.map((m) => [m.id, m.calendar ? merged(m.calendar) : null]));
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));
  for (const a of at.values()) {
    const o = ops.get(a.op)!;
    const m = machines.get(a.machine);
    const lock = o.lock;
    const mode = o.modes.find((x) => x.machine === a.machine);
    if (!m) {
      out.push({ code: 'NOT_ELIGIBLE', op: a.op, message: `"${a.op}" is on unknown machine "${a.machine}"` });
      continue;
    }
    if (!Number.isInteger(a.unit) || a.unit < 0 || a.unit >= (m.capacity ?? 1)) {
      out.push({ code: 'BAD_UNIT', op: a.op, message: `"${a.op}" uses unit ${a.unit} of "${a.machine}"` });
    }
    if (lock) {
      const setup = lock.setupMinutes ?? 0;
      const end =
        lock.workMinutes !== undefined
          ? workDoneAt(calendars.get(lock.machine) ?? null, lock.start, setup + lock.workMinutes)
          : (lock.end ?? lock.start + setup + (mode?.minutes ?? Number.NaN));
      if (
        a.machine !== lock.machine ||
        a.start !== lock.start ||
        a.end !== end ||
        (lock.unit !== undefined && a.unit !== lock.unit)
      ) {
        out.push({ code: 'LOCK_MOVED', op: a.op, message: `locked "${a.op}" is not where it was locked` });
      }
      if (lock.kind === 'frozen') continue;
    }
    if (!mode) {
      out.push({ code: 'NOT_ELIGIBLE', op: a.op, message: `"${a.op}" is not eligible on "${a.machine}"` });
    } else if (!lock && a.end - a.start !== a.setupMinutes + mode.minutes) {
      out.push({
        code: 'DURATION',
        op: a.op,
        message: `"${a.op}" lasts ${a.end - a.start}, expected ${a.setupMinutes} + ${mode.minutes}`,
      });
    }
    const job = jobs.get(o.job);
    const release = Math.max(job?.release ?? 0, o.release ?? 0);
    if (a.start < release)
      out.push({
        code: 'RELEASE',
        op: a.op,
        message: `"${a.op}" starts at ${a.start} before release ${release}`,
      });
    const cal = calendars.get(a.machine);
    if (cal && !cal.some((iv) => iv.start <= a.start && a.end <= iv.end && a.start < iv.end)) {
      out.push({
        code: 'CALENDAR',
        op: a.op,
        message: `"${a.op}" [${a.start}, ${a.end}) is not inside one working interval of "${a.machine}"`,
      });
    }
  }
}

/** No overlap on a unit; each operation reserves at least the setup its predecessor requires. */
function checkMachines(ctx: Ctx): void {
  const { problem, ops, at, out } = ctx;
  const units = new Map<string, Assignment[]>();
  for (const a of at.values()) {
    const key = `${a.machine}\u0000${a.unit}`;
    const list = units.get(key) ?? [];
    list.push(a);
    units.set(key, list);
  }
  const initial = new Map(problem.machines.map((m) => [m.id, m.initialFamily ?? '']));
  for (const list of units.values()) {
    list.sort((x, y) => x.start - y.start || x.end - y.end);
    let runner: Assignment | undefined;
    /** The last operation that took time: what the machine is set up for. */
    let setUpBy: Assignment | undefined;
    for (const a of list) {
      if (
        runner &&
        runner.end > a.start &&
        a.end > a.start &&
        !(isFrozen(ops.get(runner.op)) && isFrozen(ops.get(a.op)))
      ) {
        out.push({
          code: 'MACHINE_OVERLAP',
          op: a.op,
          message: `"${a.op}" overlaps "${runner.op}" on "${a.machine}" unit ${a.unit}`,
        });
      }
      if (!runner || a.end > runner.end) runner = a;
      // An operation of no length needs no setup and leaves the machine set up as it was: those that
      // share an instant may come in any order.
      if (a.end === a.start) continue;
      const prev = setUpBy;
      setUpBy = a;
      const o = ops.get(a.op)!;
      if (o.lock) continue;
      const from = prev ? (ops.get(prev.op)!.setupFamily ?? '') : initial.get(a.machine)!;
      const need = setupBetween(problem, from, o.setupFamily ?? '');
      if (a.setupMinutes < need) {
        out.push({
          code: 'SETUP',
          op: a.op,
          message: `"${a.op}" reserves ${a.setupMinutes} setup minutes, needs ${need}`,
        });
      }
    }
  }
}

function checkPrecedence(ctx: Ctx): void {
  const { problem, at, out } = ctx;
  const last = new Map<string, string>();
  const jobs = new Map(problem.jobs.map((j) => [j.id, j]));
  for (const o of problem.operations) {
    const links = [...(o.predecessors ?? [])];
    if ((jobs.get(o.job)?.routing ?? 'sequence') === 'sequence') {
      const prev = last.get(o.job);
      if (prev !== undefined && !links.some((l) => l.op === prev)) links.push({ op: prev });
      last.set(o.job, o.id);
    }
    const b = at.get(o.id);
    if (!b || isFrozen(o)) continue;
    for (const link of links) {
      const a = at.get(link.op);
      if (!a) {
        if (!o.lock)
          out.push({
            code: 'PRECEDENCE',
            op: o.id,
            message: `"${o.id}" is scheduled but its predecessor "${link.op}" is not`,
          });
        continue;
      }
      const ready = (link.type === 'start-start' ? a.start : a.end) + (link.minLag ?? 0);
      if (b.start < ready) {
        out.push({
          code: 'PRECEDENCE',
          op: o.id,
          message: `"${o.id}" starts at ${b.start}, before "${link.op}" allows (${ready})`,
        });
      }
    }
  }
}

/** Usage of each resource never exceeds its count (overloads made only of frozen work are facts). */
function checkResources(ctx: Ctx): void {
  const { problem, ops, at, out } = ctx;
  const count = new Map((problem.resources ?? []).map((r) => [r.id, r.count]));
  const events = new Map<string, { t: number; d: number; op: string }[]>();
  for (const a of at.values()) {
    const o = ops.get(a.op)!;
    for (const need of o.resources ?? []) {
      if (a.end <= a.start) continue;
      const list = events.get(need.resource) ?? [];
      list.push({ t: a.start, d: need.count ?? 1, op: a.op }, { t: a.end, d: -(need.count ?? 1), op: a.op });
      events.set(need.resource, list);
    }
  }
  for (const [resource, list] of events) {
    const cap = count.get(resource);
    list.sort((x, y) => x.t - y.t || x.d - y.d);
    let usage = 0;
    const active = new Set<string>();
    const reported = new Set<string>();
    for (const e of list) {
      usage += e.d;
      if (e.d > 0) active.add(e.op);
      else active.delete(e.op);
      if (cap === undefined || usage > cap) {
        for (const op of active) {
          if (isFrozen(ops.get(op)) || reported.has(op)) continue;
          reported.add(op);
          out.push({ code: 'RESOURCE', op, message: `"${op}" overloads resource "${resource}"` });
        }
      }
    }
  }
}
