/**
 * Compact job shop / flexible job shop instance used by the fast path: jobs are chains of
 * operations, every machine has one unit and is always available, no setups, no secondary
 * resources. Operations are numbered job by job, in routing order.
 */
export interface ShopInstance {
  readonly nJobs: number;
  readonly nMachines: number;
  readonly nOps: number;
  readonly opJob: Int32Array;
  readonly jobPred: Int32Array;
  readonly jobSucc: Int32Array;
  /** Eligible machines of op o are modeMachine[modeStart[o] .. modeStart[o + 1]). */
  readonly modeStart: Int32Array;
  readonly modeMachine: Int32Array;
  readonly modeTime: Int32Array;
  /** Earliest start of each operation (release of its job); zero in benchmarks. */
  readonly release: Int32Array;
}

/** A solution: for every operation its machine and start; machine order follows from the starts. */
export interface ShopSolution {
  readonly machine: Int32Array;
  readonly start: Int32Array;
  readonly duration: Int32Array;
  readonly makespan: number;
  readonly iterations: number;
}

export interface ShopJobSpec {
  readonly release: number;
  readonly ops: readonly (readonly { readonly machine: number; readonly minutes: number }[])[];
}

export function buildShopInstance(nMachines: number, jobs: readonly ShopJobSpec[]): ShopInstance {
  let nOps = 0;
  let nModes = 0;
  for (const job of jobs) {
    nOps += job.ops.length;
    for (const op of job.ops) nModes += op.length;
  }
  const opJob = new Int32Array(nOps);
  const jobPred = new Int32Array(nOps).fill(-1);
  const jobSucc = new Int32Array(nOps).fill(-1);
  const modeStart = new Int32Array(nOps + 1);
  const modeMachine = new Int32Array(nModes);
  const modeTime = new Int32Array(nModes);
  const release = new Int32Array(nOps);
  let o = 0;
  let k = 0;
  jobs.forEach((job, j) => {
    job.ops.forEach((alts, index) => {
      opJob[o] = j;
      release[o] = job.release;
      if (index > 0) {
        jobPred[o] = o - 1;
        jobSucc[o - 1] = o;
      }
      modeStart[o] = k;
      for (const alt of alts) {
        modeMachine[k] = alt.machine;
        modeTime[k] = alt.minutes;
        k++;
      }
      o++;
    });
  });
  modeStart[nOps] = k;
  return {
    nJobs: jobs.length,
    nMachines,
    nOps,
    opJob,
    jobPred,
    jobSucc,
    modeStart,
    modeMachine,
    modeTime,
    release,
  };
}

export function isJobShop(inst: ShopInstance): boolean {
  for (let o = 0; o < inst.nOps; o++) if (inst.modeStart[o + 1]! - inst.modeStart[o]! !== 1) return false;
  return true;
}
