import type { ScheduleConflict, ScheduleKpis, ScheduleRun, ScheduleSettings } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  ScheduleAssignmentsTable,
  ScheduleRunsTable,
  ScheduleSettingsTable,
} from '../../platform/db/schema-scheduling.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { nowIso } from '../../platform/ids.ts';

/** Rows of scheduling runs, assignments and settings. */
type Q = Kysely<Database> | Tx;

export const DEFAULT_SETTINGS = { frozenHorizonMinutes: 120, dispatchWithinHours: 8 };

export function toRun(r: ScheduleRunsTable): ScheduleRun {
  const kpis = JSON.parse(r.kpis) as Partial<ScheduleKpis>;
  return {
    id: r.id,
    kind: r.kind as ScheduleRun['kind'],
    status: r.status as ScheduleRun['status'],
    trigger: r.trigger,
    origin: r.origin,
    seed: r.seed,
    timeLimitMs: r.time_limit_ms,
    maxIterations: r.max_iterations,
    progress: r.progress,
    baseRunId: r.base_run_id,
    kpis: kpis.onTimePercent !== undefined ? (kpis as ScheduleKpis) : null,
    conflicts: JSON.parse(r.conflicts) as ScheduleConflict[],
    moved: JSON.parse(r.moved) as string[],
    note: r.note,
    error: r.error,
    elapsedMs: r.elapsed_ms,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    publishedAt: r.published_at,
  };
}

export function newRunRow(
  fields: Partial<ScheduleRunsTable> & Pick<ScheduleRunsTable, 'id' | 'kind' | 'trigger' | 'origin' | 'seed'>,
): ScheduleRunsTable {
  return {
    status: 'queued',
    time_limit_ms: null,
    max_iterations: null,
    progress: 0,
    base_run_id: null,
    repair_key: null,
    kpis: '{}',
    conflicts: '[]',
    moved: '[]',
    problem: null,
    schedule: null,
    note: null,
    error: null,
    elapsed_ms: null,
    requested_by: null,
    created_at: nowIso(),
    started_at: null,
    finished_at: null,
    published_at: null,
    published_by: null,
    ...fields,
  };
}

export async function insertRun(db: Q, row: ScheduleRunsTable): Promise<void> {
  await db.insertInto('schedule_runs').values(row).execute();
}

export async function findRun(db: Q, id: string): Promise<ScheduleRunsTable | undefined> {
  return db.selectFrom('schedule_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRun(db: Q, id: string, patch: Partial<ScheduleRunsTable>): Promise<void> {
  await db.updateTable('schedule_runs').set(patch).where('id', '=', id).execute();
}

/** The run whose plan is on the operations now: the latest published one. */
export async function publishedRun(db: Q): Promise<ScheduleRunsTable | undefined> {
  return db
    .selectFrom('schedule_runs')
    .selectAll()
    .where('published_at', 'is not', null)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listRuns(db: Q, query: { limit?: number; cursor?: string }) {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, '-id');
  let q = db
    .selectFrom('schedule_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (cursor) q = q.where('id', '<', cursor.id);
  const rows = await q.execute();
  const out = rows.slice(0, limit);
  const last = out[out.length - 1];
  return {
    items: out.map(toRun),
    nextCursor: rows.length > limit && last ? encodeCursor({ s: '-id', v: null, id: last.id }) : null,
  };
}

export async function replaceAssignments(
  db: Q,
  runId: string,
  rows: readonly ScheduleAssignmentsTable[],
): Promise<void> {
  await db.deleteFrom('schedule_assignments').where('run_id', '=', runId).execute();
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('schedule_assignments')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function assignmentsOf(
  db: Q,
  runId: string,
  filter: { machineId?: string; from?: string; to?: string } = {},
) {
  let q = db
    .selectFrom('schedule_assignments as a')
    .innerJoin('work_order_operations as o', 'o.id', 'a.operation_id')
    .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
    .select([
      'a.operation_id',
      'a.machine_id',
      'a.start_at',
      'a.end_at',
      'a.setup_minutes',
      'a.locked',
      'o.work_order_id',
      'o.seq',
      'o.name',
      'o.status',
      'w.code as wo_code',
      'w.due_date',
      'w.priority',
    ])
    .where('a.run_id', '=', runId);
  if (filter.machineId) q = q.where('a.machine_id', '=', filter.machineId);
  if (filter.from) q = q.where('a.end_at', '>', filter.from);
  if (filter.to) q = q.where('a.start_at', '<', filter.to);
  return q.orderBy('a.start_at').orderBy('a.operation_id').execute();
}

export function toSettings(r: ScheduleSettingsTable): ScheduleSettings {
  return {
    frozenHorizonMinutes: r.frozen_horizon_minutes,
    dispatchWithinHours: r.dispatch_within_hours,
    version: Math.max(1, r.version),
    updatedAt: r.updated_at,
  };
}

export async function readSettings(db: Q): Promise<ScheduleSettingsTable> {
  const row = await db.selectFrom('schedule_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  return (
    row ?? {
      id: 1,
      frozen_horizon_minutes: DEFAULT_SETTINGS.frozenHorizonMinutes,
      dispatch_within_hours: DEFAULT_SETTINGS.dispatchWithinHours,
      version: 0,
      updated_at: new Date(0).toISOString(),
    }
  );
}

export async function saveSettings(db: Q, row: ScheduleSettingsTable, existed: boolean): Promise<void> {
  if (existed) await db.updateTable('schedule_settings').set(row).where('id', '=', 1).execute();
  else await db.insertInto('schedule_settings').values(row).execute();
}
