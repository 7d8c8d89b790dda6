import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { JobsTable } from '../db/schema.ts';
import { enqueueDueSchedules } from './schedules.ts';
import { claimJobs, completeJob, failJob, heartbeat } from './queue.ts';

/** What a job handler reports: done (or nothing to do), retry later, or failed for good. */
export type JobResult =
  | { status: 'done' }
  | { status: 'skipped'; reason: string }
  | { status: 'retry'; error: string; delayMs?: number }
  | { status: 'failed'; error: string };

export interface JobContext {
  readonly job: JobsTable;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<JobResult>;

export interface WorkerOptions {
  readonly id: string;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly queues?: readonly string[];
  /** Also enqueue due recurring schedules (safe to run in several processes). */
  readonly runSchedules?: boolean;
}

/**
 * Claims jobs from the database and runs their handlers. A job whose worker dies keeps its lease until
 * it expires, then another worker claims it again; handlers must therefore be idempotent.
 */
export class JobWorker {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #opts: Required<Omit<WorkerOptions, 'queues'>> & { queues: readonly string[] };
  readonly #active = new Map<string, AbortController>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #polling = false;
  onSettled: ((job: JobsTable, outcome: string) => void) | null = null;

  constructor(db: Db, log: Logger, options: WorkerOptions) {
    this.#db = db;
    this.#log = log;
    this.#opts = {
      id: options.id,
      concurrency: options.concurrency ?? 4,
      leaseMs: options.leaseMs ?? 30_000,
      pollMs: options.pollMs ?? 500,
      queues: options.queues ?? [],
      runSchedules: options.runSchedules ?? true,
    };
  }

  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  get handlerNames(): string[] {
    return [...this.#handlers.keys()];
  }

  start(): void {
    this.#stopped = false;
    this.#arm(0);
  }

  wake(): void {
    if (!this.#stopped && !this.#polling) this.#arm(0);
  }

  /** Stops claiming; running jobs get `signal` aborted and up to `graceMs` to finish. */
  async stop(graceMs = 5000): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const deadline = Date.now() + graceMs;
    while ((this.#active.size > 0 || this.#polling) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const c of this.#active.values()) c.abort();
  }

  #arm(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.poll(), ms);
    this.#timer.unref();
  }

  /** One round: enqueue due schedules, claim what fits, start it. Exposed for tests. */
  async poll(): Promise<number> {
    if (this.#polling) return 0;
    this.#polling = true;
    let claimed = 0;
    try {
      if (this.#opts.runSchedules) await enqueueDueSchedules(this.#db);
      const free = this.#opts.concurrency - this.#active.size;
      if (free > 0) {
        const jobs = await claimJobs(this.#db, this.#opts.id, {
          limit: free,
          leaseMs: this.#opts.leaseMs,
          queues: this.#opts.queues,
        });
        claimed = jobs.length;
        for (const job of jobs) void this.#run(job);
      }
    } catch (err) {
      this.#log.error({ err }, 'job poll failed');
    } finally {
      this.#polling = false;
    }
    this.#arm(claimed > 0 ? 0 : this.#opts.pollMs);
    return claimed;
  }

  async #run(job: JobsTable): Promise<void> {
    const controller = new AbortController();
    this.#active.set(job.id, controller);
    const log = this.#log.child({ job: job.id, jobName: job.name, attempt: job.attempts });
    const beat = setInterval(
      () => {
        heartbeat(this.#db, job.id, this.#opts.id, this.#opts.leaseMs)
          .then((held) => {
            if (!held) controller.abort(new Error('lease lost'));
          })
          .catch((err: unknown) => log.warn({ err }, 'heartbeat failed'));
      },
      Math.max(1000, Math.floor(this.#opts.leaseMs / 3)),
    );
    beat.unref();
    let outcome = 'done';
    try {
      const handler = this.#handlers.get(job.name);
      let result: JobResult;
      if (!handler) {
        result = { status: 'failed', error: `No handler for job ${job.name}` };
      } else {
        try {
          result = await handler(JSON.parse(job.payload) as unknown, { job, signal: controller.signal, log });
        } catch (err) {
          result = {
            status: 'retry',
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          };
        }
      }
      if (result.status === 'done' || result.status === 'skipped') {
        await completeJob(this.#db, job.id, this.#opts.id);
      } else {
        outcome = await failJob(this.#db, job, this.#opts.id, result.error, {
          permanent: result.status === 'failed',
          ...(result.status === 'retry' && result.delayMs !== undefined ? { delayMs: result.delayMs } : {}),
        });
        if (outcome === 'dead') log.error({ error: result.error }, 'job dead-lettered');
        else log.warn({ error: result.error }, 'job failed, will retry');
      }
    } catch (err) {
      outcome = 'error';
      log.error({ err }, 'job bookkeeping failed; the lease will expire and the job run again');
    } finally {
      clearInterval(beat);
      this.#active.delete(job.id);
      this.onSettled?.(job, outcome);
      if (!this.#stopped) this.#arm(0);
    }
  }
}
