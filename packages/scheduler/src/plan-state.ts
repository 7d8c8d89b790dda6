import { fitStart } from './calendar.ts';
import type { Compiled } from './compile.ts';
import { Lane, Profile } from './timeline.ts';
import { FOREVER, type Minutes } from './units.ts';

export interface Placement {
  readonly machine: number;
  readonly unit: number;
  readonly start: Minutes;
  readonly end: Minutes;
  readonly setup: Minutes;
}

/**
 * Partial schedule used by the serial schedule-generation scheme: one lane per machine unit and a
 * usage profile per secondary resource. New operations may fill gaps between placed ones, provided
 * the setup of the following operation still fits in what it reserved.
 */
export class PlanState {
  readonly c: Compiled;
  readonly lanes: Lane[][];
  readonly profiles: Profile[];
  readonly placed: (Placement | null)[];
  /**
   * Operations whose placement is only a reservation that may still move (repair). Anything placed
   * right after one reserves the worst-case setup, since its predecessor on the unit may change.
   */
  readonly tentative: Uint8Array;
  private readonly worstSetup: Int32Array;
  private readonly nFamilies: number;

  constructor(c: Compiled) {
    this.c = c;
    this.lanes = c.machines.map((m) => Array.from({ length: m.capacity }, () => new Lane()));
    this.profiles = c.resources.map((r) => new Profile(r.count));
    this.placed = c.ops.map(() => null);
    this.nFamilies = c.families.length;
    this.tentative = new Uint8Array(c.ops.length);
    const F = this.nFamilies;
    this.worstSetup = new Int32Array(F);
    for (let from = 0; from < F; from++) {
      for (let to = 0; to < F; to++)
        this.worstSetup[to] = Math.max(this.worstSetup[to]!, c.setup[from * F + to]!);
    }
  }

  setupMinutes(fromFamily: number, toFamily: number): Minutes {
    return this.c.setup[fromFamily * this.nFamilies + toFamily]!;
  }

  place(op: number, pl: Placement): void {
    this.placed[op] = pl;
    this.lanes[pl.machine]![pl.unit]!.insert(op, pl.start, pl.end, pl.setup);
    for (const need of this.c.ops[op]!.needs) this.profiles[need.resource]!.add(pl.start, pl.end, need.count);
  }

  unplace(op: number): void {
    const pl = this.placed[op];
    if (!pl) return;
    this.placed[op] = null;
    this.lanes[pl.machine]![pl.unit]!.remove(op);
    for (const need of this.c.ops[op]!.needs)
      this.profiles[need.resource]!.add(pl.start, pl.end, -need.count);
  }

  /** Earliest start allowed by release and placed predecessors (with lags). */
  earliestStart(op: number): Minutes {
    const o = this.c.ops[op]!;
    let t = o.release;
    for (const link of o.preds) {
      const p = this.placed[link.op];
      if (!p) continue;
      const ready = (link.startStart ? p.start : p.end) + link.lag;
      if (ready > t) t = ready;
    }
    return t;
  }

  /**
   * Setup needed by family `family` when placed in gap k of a lane (before entry k), after the last
   * entry before it that takes time: an operation of no length neither needs a setup nor changes
   * what the machine is set up for (validate.ts counts it so too), so zero-length operations that
   * share an instant may sit in any order.
   */
  private gapSetup(family: number, machine: number, lane: Lane, k: number): Minutes {
    let j = k - 1;
    while (j >= 0 && lane.ends[j] === lane.starts[j]) j--;
    const prevOp = j >= 0 ? lane.ops[j]! : -1;
    if (prevOp >= 0 && this.tentative[prevOp]) return this.worstSetup[family]!;
    return this.setupMinutes(
      prevOp >= 0 ? this.c.ops[prevOp]!.family : this.c.machines[machine]!.initialFamily,
      family,
    );
  }

  /** Setup `op` would need if it started at t on the unit (from whatever precedes t there). */
  setupAt(op: number, machine: number, unit: number, t: Minutes): Minutes {
    const lane = this.lanes[machine]![unit]!;
    return this.gapSetup(this.c.ops[op]!.family, machine, lane, lane.firstStartingAtOrAfter(t));
  }

  /** Earliest start ≥ est of `op` on one unit, with the setup it needs there; null if none. */
  earliestOnUnit(
    op: number,
    machine: number,
    unit: number,
    minutes: Minutes,
    est: Minutes,
  ): { start: Minutes; setup: Minutes } | null {
    const c = this.c;
    const o = c.ops[op]!;
    const lane = this.lanes[machine]![unit]!;
    const cal = c.machines[machine]!.calendar;
    const len = lane.starts.length;
    for (let k = lane.firstStartingAtOrAfter(est); k <= len; k++) {
      // No work, no setup: it takes no time and leaves the machine as it was (see gapSetup).
      const setup = minutes === 0 ? 0 : this.gapSetup(o.family, machine, lane, k);
      const duration = setup + minutes;
      const lo = k > 0 ? Math.max(est, lane.maxEnd[k - 1]!) : est;
      const hi = k < len ? lane.starts[k]! : FOREVER;
      if (lo + duration > hi) continue;
      if (duration > 0) {
        // The next entry that takes time now follows this one: its reserved setup must cover that.
        let n = k;
        while (n < len && lane.ends[n] === lane.starts[n]) n++;
        if (n < len && this.setupMinutes(o.family, c.ops[lane.ops[n]!]!.family) > lane.setups[n]!) continue;
      }
      let t = lo;
      for (;;) {
        t = fitStart(cal, t, duration);
        if (t < 0 || t + duration > hi) break;
        let r = t;
        for (const need of o.needs) {
          const e = this.profiles[need.resource]!.earliest(t, duration, need.count);
          if (e < 0) return null;
          if (e > r) r = e;
        }
        if (r === t) return { start: t, setup };
        t = r;
      }
    }
    return null;
  }

  /**
   * Best placement of `op` starting no earlier than est: earliest end over eligible machines and
   * units, ties to the smaller setup, then to the earlier-listed mode and lower unit. `onlyMachine`
   * restricts the search (repair keeps operations on their machine).
   */
  bestPlacement(op: number, est: Minutes, onlyMachine = -1): Placement | null {
    let best: Placement | null = null;
    for (const mode of this.c.ops[op]!.modes) {
      if (onlyMachine >= 0 && mode.machine !== onlyMachine) continue;
      const lanes = this.lanes[mode.machine]!;
      for (let unit = 0; unit < lanes.length; unit++) {
        const r = this.earliestOnUnit(op, mode.machine, unit, mode.minutes, est);
        if (!r) continue;
        const end = r.start + r.setup + mode.minutes;
        if (!best || end < best.end || (end === best.end && r.setup < best.setup)) {
          best = { machine: mode.machine, unit, start: r.start, end, setup: r.setup };
        }
      }
    }
    return best;
  }
}
