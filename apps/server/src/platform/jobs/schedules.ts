import type { RecurringSchedule } from '@takt/contracts';
import { CronExpressionParser } from 'cron-parser';
import type { Db } from '../db/database.ts';
import { enqueue } from './queue.ts';

export interface ScheduleDefinition {
  readonly name: string;
  /** Five or six field cron expression, evaluated in `tz` (default UTC). */
  readonly cron: string;
  readonly jobName: string;
  readonly payload?: unknown;
  readonly tz?: string;
}

export function nextRun(cron: string, after: Date, tz = 'UTC'): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz }).next().toDate();
}

/** Registers or updates a recurring schedule; its next run is kept unless the expression changed. */
export async function ensureSchedule(db: Db, def: ScheduleDefinition): Promise<void> {
  const next = nextRun(def.cron, new Date(), def.tz).toISOString();
  await db.kysely
    .insertInto('job_schedules')
    .values({
      name: def.name,
      cron: def.cron,
      job_name: def.jobName,
      payload: JSON.stringify(def.payload ?? {}),
      enabled: 1,
      next_run_at: next,
      last_run_at: null,
    })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({
          cron: def.cron,
          job_name: def.jobName,
          payload: JSON.stringify(def.payload ?? {}),
          next_run_at: next,
        })
        .where('job_schedules.cron', '<>', def.cron),
    )
    .execute();
}

/**
 * Enqueues one job per due schedule slot. The job's unique key is the schedule name plus the slot
 * time, so several processes ticking at once still enqueue each slot exactly once.
 */
export async function enqueueDueSchedules(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    let q = tx
      .selectFrom('job_schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now.toISOString());
    if (db.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const due = await q.execute();
    let n = 0;
    for (const s of due) {
      const id = await enqueue(tx, {
        name: s.job_name,
        payload: JSON.parse(s.payload),
        uniqueKey: `schedule:${s.name}@${s.next_run_at}`,
        runAt: new Date(s.next_run_at),
      });
      if (id) n++;
      await tx
        .updateTable('job_schedules')
        .set({ last_run_at: s.next_run_at, next_run_at: nextRun(s.cron, now).toISOString() })
        .where('name', '=', s.name)
        .execute();
    }
    return n;
  });
}

export async function listSchedules(db: Db): Promise<RecurringSchedule[]> {
  const rows = await db.kysely.selectFrom('job_schedules').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    cron: r.cron,
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
  }));
}
