import type { Minutes } from './units.ts';

/** A half-open working interval [start, end) in minutes from the horizon origin. */
export interface Interval {
  readonly start: Minutes;
  readonly end: Minutes;
}

export interface Machine {
  readonly id: string;
  /** Identical parallel units (e.g. two identical presses planned as one work centre). Default 1. */
  readonly capacity?: number;
  /**
   * Working intervals (shifts minus holidays and planned downtime). Omitted means always available.
   * Intervals may be unsorted or touching; they are merged. Operations are not preemptive: each
   * operation (setup included) must lie inside a single merged working interval.
   */
  readonly calendar?: readonly Interval[];
  /** Setup family the machine is prepared for at minute 0; without it the first setup is free. */
  readonly initialFamily?: string;
}

/** A pool with a limited count used for the whole duration of an operation: molds, tools, skills. */
export interface SecondaryResource {
  readonly id: string;
  readonly count: number;
}

export interface Job {
  readonly id: string;
  readonly release?: Minutes;
  readonly due?: Minutes;
  /** Weight of a minute of tardiness. Default 1. */
  readonly weight?: number;
  /**
   * `sequence` (default): each operation of the job follows the previous one of the same job in the
   * order of `Problem.operations`. `dag`: only the explicit `predecessors` links apply.
   */
  readonly routing?: 'sequence' | 'dag';
}

/** One eligible machine and the processing minutes (quantity × rate) on it, setup excluded. */
export interface Mode {
  readonly machine: string;
  readonly minutes: Minutes;
}

/**
 * A precedence link from `op` to the operation that declares it.
 * `end-start` (default): successor.start ≥ predecessor.end + minLag (transfer, cooling, curing).
 * `start-start`: successor.start ≥ predecessor.start + minLag (overlapping operations).
 */
export interface Link {
  readonly op: string;
  readonly minLag?: Minutes;
  readonly type?: 'end-start' | 'start-start';
}

export interface ResourceNeed {
  readonly resource: string;
  /** Default 1. */
  readonly count?: number;
}

/**
 * An operation the engine must not move. `frozen`: already started, a fact (not checked against
 * calendars or precedence). `pinned`: placed by a planner; violations are reported as conflicts.
 * A running operation is best given as `frozen` from now with its `workMinutes`: it then holds its
 * machine until that much working time has passed (see `locks.ts`).
 */
export interface Lock {
  readonly kind: 'frozen' | 'pinned';
  readonly machine: string;
  readonly start: Minutes;
  /** Unit of a multi-unit machine; the first free unit when omitted. */
  readonly unit?: number;
  /** Setup minutes included at the start of the interval. Default 0. */
  readonly setupMinutes?: Minutes;
  /** End of the interval; default start + setupMinutes + processing minutes on the machine. */
  readonly end?: Minutes;
  /**
   * Frozen locks only, instead of `end`: the working minutes still to do after the setup. The lock
   * then ends where setupMinutes + workMinutes of the machine's working time have passed since
   * `start`, so a long running operation keeps its machine across nights and weekends.
   */
  readonly workMinutes?: Minutes;
}

export interface Operation {
  readonly id: string;
  readonly job: string;
  readonly modes: readonly Mode[];
  readonly setupFamily?: string;
  readonly predecessors?: readonly Link[];
  readonly resources?: readonly ResourceNeed[];
  /** Earliest start of this operation on top of the job release (e.g. material arrival). */
  readonly release?: Minutes;
  readonly lock?: Lock;
}

/** Sequence-dependent setup minutes when a machine switches from family `from` to family `to`. */
export interface SetupRule {
  readonly from: string;
  readonly to: string;
  readonly minutes: Minutes;
}

export type ObjectiveTerm = 'weightedTardiness' | 'makespan' | 'setupTime' | 'weightedCompletion';

export const DEFAULT_OBJECTIVE: readonly ObjectiveTerm[] = ['weightedTardiness', 'makespan', 'setupTime'];

export interface Problem {
  readonly machines: readonly Machine[];
  readonly resources?: readonly SecondaryResource[];
  readonly jobs: readonly Job[];
  readonly operations: readonly Operation[];
  /** Missing pairs cost 0 minutes; a switch within the same family costs 0 unless listed. */
  readonly setups?: readonly SetupRule[];
  /** Lexicographic objective, most important first. Default: DEFAULT_OBJECTIVE. */
  readonly objective?: readonly ObjectiveTerm[];
}

export interface ResourceUse {
  readonly resource: string;
  readonly count: number;
}

export interface Assignment {
  readonly op: string;
  readonly machine: string;
  readonly unit: number;
  /** Start of the setup (or of processing when there is no setup). */
  readonly start: Minutes;
  readonly end: Minutes;
  readonly setupMinutes: Minutes;
  readonly resources: readonly ResourceUse[];
}

export type ConflictCode =
  | 'NO_ELIGIBLE_MACHINE'
  | 'NO_CALENDAR_CAPACITY'
  | 'RESOURCE_CAPACITY'
  | 'UNKNOWN_REFERENCE'
  | 'CYCLE'
  | 'PREDECESSOR_UNSCHEDULED'
  | 'PINNED_CONFLICT'
  | 'FROZEN_CONFLICT';

/**
 * An operation that could not be scheduled, or a locked operation that breaks a constraint.
 * Unscheduled operations are absent from `assignments`; locked ones stay where they were put.
 */
export interface Conflict {
  readonly code: ConflictCode;
  readonly op: string;
  readonly message: string;
  /** Other operations involved (the predecessor, the overlapping lock…). */
  readonly related?: readonly string[];
}

export interface Kpis {
  /** Share of jobs with a due date that complete by it, in percent (100 when no job has one). */
  readonly onTimePercent: number;
  readonly totalWeightedTardiness: number;
  readonly makespan: Minutes;
  /** Busy minutes / (available minutes in [0, makespan) × capacity), per machine id. */
  readonly utilization: Readonly<Record<string, number>>;
  readonly setups: number;
  readonly setupMinutes: Minutes;
  readonly scheduledOperations: number;
  readonly unscheduledOperations: number;
}

export interface Schedule {
  readonly assignments: readonly Assignment[];
  readonly conflicts: readonly Conflict[];
  readonly kpis: Kpis;
  /** Values of `Problem.objective` in order, after the number of unscheduled operations. */
  readonly objective: readonly number[];
  /** Which solver produced the schedule and how many improvement iterations it ran. */
  readonly stats: {
    readonly method: 'shop-tabu' | 'flexible-tabu' | 'dispatch' | 'repair';
    readonly iterations: number;
  };
}

export interface SolveOptions {
  readonly seed?: number;
  /** Stop improving after this many iterations. Runs with the same value are reproducible. */
  readonly maxIterations?: number;
  /** Wall-clock budget; only honoured together with `now`. */
  readonly timeLimitMs?: number;
  /** Monotonic clock in milliseconds, injected so the engine stays pure. */
  readonly now?: () => number;
}
