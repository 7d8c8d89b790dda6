import { raiseAlert } from '../../platform/alerts.ts';
import { systemCtx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobHandler } from '../../platform/jobs/worker.ts';

/** How long an operation may sit in a status before the watchdog flags it (minutes). */
export const STUCK_THRESHOLDS: Readonly<Record<string, number>> = {
  dispatched: 120,
  dispatch_failed: 15,
  paused: 60,
  in_progress: 12 * 60,
};

export async function findStuck(db: Db, now = new Date(), thresholds = STUCK_THRESHOLDS) {
  const out: {
    id: string;
    workOrderId: string;
    workOrderCode: string;
    seq: number;
    status: string;
    since: string;
    minutes: number;
  }[] = [];
  for (const [status, minutes] of Object.entries(thresholds)) {
    const cutoff = new Date(now.getTime() - minutes * 60_000).toISOString();
    const rows = await db.kysely
      .selectFrom('work_order_operations as o')
      .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
      .select(['o.id', 'o.work_order_id', 'w.code', 'o.seq', 'o.status', 'o.status_since'])
      .where('o.status', '=', status)
      .where('o.status_since', '<', cutoff)
      .orderBy('o.status_since')
      .limit(500)
      .execute();
    for (const r of rows) {
      out.push({
        id: r.id,
        workOrderId: r.work_order_id,
        workOrderCode: r.code,
        seq: r.seq,
        status: r.status,
        since: r.status_since ?? '',
        minutes: Math.round((now.getTime() - Date.parse(r.status_since ?? '')) / 60_000),
      });
    }
  }
  return out;
}

/** Recurring: flags operations stuck in a status and alerts once per operation and status spell. */
export function watchdogJob(db: Db): JobHandler {
  return async () => {
    const stuck = await findStuck(db);
    if (stuck.length === 0) return { status: 'done' };
    await db.transaction(async (tx) => {
      for (const s of stuck) {
        await raiseAlert(tx, systemCtx(), {
          severity: 'warning',
          kind: 'operation_stuck',
          title: `${s.workOrderCode} op ${s.seq} has been ${s.status} for ${s.minutes} min`,
          entityType: 'operation',
          entityId: s.id,
          dedupeKey: `stuck:${s.id}:${s.status}:${s.since}`,
        });
      }
    });
    return { status: 'done' };
  };
}
