import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Problem, Schedule } from './model.ts';
import { type RepairEvent, type RepairOptions, type RepairResult, repair } from './repair.ts';
import { solve } from './solve.ts';

/**
 * Runs the engine off the main thread so a server stays responsive while a schedule is computed.
 * The clock cannot cross the thread boundary, so the worker injects its own for `timeLimitMs`.
 */
export interface WorkerSolveOptions {
  readonly seed?: number;
  readonly maxIterations?: number;
  readonly timeLimitMs?: number;
}

export type WorkerRepairOptions = Omit<RepairOptions, 'now'>;

type Job =
  | { readonly kind: 'solve'; readonly problem: Problem; readonly options: WorkerSolveOptions }
  | {
      readonly kind: 'repair';
      readonly problem: Problem;
      readonly previous: Schedule;
      readonly event: RepairEvent;
      readonly options: WorkerRepairOptions;
    };

const TAG = 'takt-scheduler-job';

function run<T>(job: Job): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { tag: TAG, job } });
    let settled = false;
    worker.once('message', (message: { ok: true; value: T } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else reject(new Error(message.error));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`scheduler worker exited with code ${code}`));
    });
  });
}

export function solveInWorker(problem: Problem, options: WorkerSolveOptions = {}): Promise<Schedule> {
  return run<Schedule>({ kind: 'solve', problem, options });
}

export function repairInWorker(
  problem: Problem,
  previous: Schedule,
  event: RepairEvent,
  options: WorkerRepairOptions,
): Promise<RepairResult> {
  return run<RepairResult>({ kind: 'repair', problem, previous, event, options });
}

if (!isMainThread && parentPort && (workerData as { tag?: string } | null)?.tag === TAG) {
  const port = parentPort;
  const job = (workerData as { job: Job }).job;
  const now = () => performance.now();
  try {
    const value =
      job.kind === 'solve'
        ? solve(job.problem, { ...job.options, now })
        : repair(job.problem, job.previous, job.event, { ...job.options, now });
    port.postMessage({ ok: true, value });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
