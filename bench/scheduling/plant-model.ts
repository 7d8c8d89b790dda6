import type {
  Interval,
  Job,
  Machine,
  Operation,
  Problem,
  SecondaryResource,
  SetupRule,
} from '@takt/scheduler';
import { createRng } from '@takt/scheduler/rng';

/**
 * A generated plant that looks like a small discrete manufacturer: 60 machines in 12 groups with
 * alternatives, two shifts on weekdays, sequence-dependent setups, molds and welders as secondary
 * resources, ~5,000 operations in 500 work orders with releases, due dates, weights and some
 * parent/child links. Deterministic for a given seed.
 */
export const DAY = 1440;
export const WEEK = 7 * DAY;
const SHIFT_START = 6 * 60;
const SHIFT_END = 22 * 60;

export interface PlantOptions {
  readonly seed?: number;
  readonly workOrders?: number;
  readonly weeks?: number;
}

function weekdayShifts(weeks: number, skipDays: ReadonlySet<number>): Interval[] {
  const out: Interval[] = [];
  for (let d = 0; d < weeks * 7; d++) {
    if (d % 7 >= 5 || skipDays.has(d)) continue;
    // Early and late shift back to back; the calendar merges them into one working interval.
    out.push(
      { start: d * DAY + SHIFT_START, end: d * DAY + 14 * 60 },
      { start: d * DAY + 14 * 60, end: d * DAY + SHIFT_END },
    );
  }
  return out;
}

export function generatePlant(options: PlantOptions = {}): Problem {
  const rng = createRng(options.seed ?? 7);
  const workOrders = options.workOrders ?? 500;
  const weeks = options.weeks ?? 20;
  const groups = 12;
  const perGroup = 5;
  const holiday = new Set([2 * 7 + 4]); // a plant-wide holiday on the Friday of week 3
  const machines: Machine[] = [];
  const speed: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < perGroup; k++) {
      const skip = new Set(holiday);
      if (rng.next() < 0.3) skip.add(7 * (1 + rng.int(weeks - 2)) + rng.int(5)); // maintenance day
      machines.push({
        id: `G${g}M${k}`,
        capacity: g === 11 ? 2 : 1,
        calendar: weekdayShifts(weeks, skip),
        initialFamily: `G${g}F0`,
      });
      speed.push(0.8 + 0.4 * rng.next());
    }
  }
  const families = 5;
  const setups: SetupRule[] = [];
  for (let g = 0; g < groups; g++) {
    for (let a = 0; a < families; a++) {
      for (let b = 0; b < families; b++) {
        if (a !== b) setups.push({ from: `G${g}F${a}`, to: `G${g}F${b}`, minutes: 15 + 15 * rng.int(6) });
      }
    }
  }
  const molds = 40;
  const resources: SecondaryResource[] = [
    ...Array.from({ length: molds }, (_, i) => ({ id: `mold${i}`, count: i < 8 ? 2 : 1 })),
    { id: 'welders', count: 4 },
  ];
  const moldingGroups = new Set([0, 1]);
  const weldingGroup = 5;

  const jobs: Job[] = [];
  const operations: Operation[] = [];
  const lastOpOf: string[] = [];
  for (let j = 0; j < workOrders; j++) {
    const id = `WO${j}`;
    // Releases over ~5 weeks keep the bottleneck groups around 80 % busy.
    const releaseDay = rng.int(33);
    const release = (releaseDay + (releaseDay % 7 >= 5 ? 2 : 0)) * DAY + SHIFT_START;
    const nOps = 6 + rng.int(9);
    let group = rng.int(3);
    let work = 0;
    const jobOps: Operation[] = [];
    for (let k = 0; k < nOps; k++) {
      group = (group + 1 + rng.int(3)) % groups;
      const base = 30 + rng.int(300);
      const eligible = new Set<number>();
      const count = 2 + rng.int(2);
      while (eligible.size < count) eligible.add(rng.int(perGroup));
      const modes = [...eligible].map((m) => ({
        machine: `G${group}M${m}`,
        minutes: Math.max(10, Math.round(base * speed[group * perGroup + m]!)),
      }));
      work += base;
      const needs = [];
      if (moldingGroups.has(group)) needs.push({ resource: `mold${rng.int(molds)}` });
      if (group === weldingGroup) needs.push({ resource: 'welders' });
      const lag = rng.next() < 0.15 ? 60 + 60 * rng.int(4) : 0;
      const prev = jobOps[k - 1];
      jobOps.push({
        id: `${id}.${k}`,
        job: id,
        modes,
        setupFamily: `G${group}F${rng.int(families)}`,
        resources: needs,
        predecessors: prev && lag > 0 ? [{ op: prev.id, minLag: lag }] : undefined,
      });
    }
    // Some work orders feed a component into an earlier one's assembly step (parent/child).
    if (j > 20 && rng.next() < 0.1) {
      const child = lastOpOf[rng.int(j)]!;
      const at = Math.min(jobOps.length - 1, 2 + rng.int(3));
      const op = jobOps[at]!;
      jobOps[at] = { ...op, predecessors: [...(op.predecessors ?? []), { op: child, minLag: 120 }] };
    }
    const weight = 1 + rng.int(5);
    const due = release + Math.round(work * (2 + 3 * rng.next())) + 5 * DAY;
    jobs.push({ id, release, due, weight });
    operations.push(...jobOps);
    lastOpOf.push(jobOps[jobOps.length - 1]!.id);
  }
  return { machines, resources, jobs, operations, setups };
}
