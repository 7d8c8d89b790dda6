import type {
  PageOf,
  WorkCenter,
  WorkCenterCreate,
  WorkCenterListQuery,
  WorkCenterUpdate,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { WorkCentersTable } from '../../platform/db/schema.ts';
import {
  AppError,
  invalidField,
  isForeignKeyViolation,
  isUniqueViolation,
  notFound,
} from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { duplicateCode, getCalendar, inUse, staleVersion } from '../calendars/calendar.service.ts';
import * as repo from './workcenter.repo.ts';

/**
 * Work centers group interchangeable machines (a machine group such as CNC车床组). Routing operations
 * name a work center; its active machines are the default candidates, each with its own calendar.
 */
export function toWorkCenter(row: WorkCentersTable): WorkCenter {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    calendarId: row.calendar_id,
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Refuses a calendar reference that does not exist, naming the field. */
export async function assertCalendarRef(db: Db, id: string | null | undefined, field: string): Promise<void> {
  if (!id) return;
  try {
    await getCalendar(db, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw invalidField(field, 'is not a known calendar');
    throw err;
  }
}

export async function createWorkCenter(db: Db, ctx: Ctx, input: WorkCenterCreate): Promise<WorkCenter> {
  await assertCalendarRef(db, input.calendarId, '/calendarId');
  const now = nowIso();
  const row: WorkCentersTable = {
    id: newId(),
    code: input.code.trim().toUpperCase(),
    name: input.name.trim(),
    kind: (input.kind ?? '').trim(),
    calendar_id: input.calendarId ?? null,
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction(async (tx) => {
      await repo.insertWorkCenter(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'work_center',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
      await appendEvent(tx, ctx, {
        type: 'workcenter.created',
        aggregateType: 'work_center',
        aggregateId: row.id,
        data: toWorkCenter(row),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateCode('Work center', row.code);
    throw err;
  }
  return toWorkCenter(row);
}

export async function getWorkCenter(db: Db, id: string): Promise<WorkCenter> {
  const row = await repo.findWorkCenter(db.kysely, id);
  if (!row) throw notFound('Work center', id);
  return toWorkCenter(row);
}

export async function updateWorkCenter(
  db: Db,
  ctx: Ctx,
  id: string,
  input: WorkCenterUpdate,
): Promise<WorkCenter> {
  await assertCalendarRef(db, input.calendarId, '/calendarId');
  const changes: Partial<WorkCentersTable> = { updated_at: nowIso() };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.kind !== undefined) changes.kind = input.kind.trim();
  if (input.calendarId !== undefined) changes.calendar_id = input.calendarId;
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  return db.transaction(async (tx) => {
    const before = await repo.findWorkCenter(tx, id);
    if (!before) throw notFound('Work center', id);
    const after = await repo.updateWorkCenter(tx, id, input.version, changes);
    if (!after) throw staleVersion('Work center', before.code, before.version);
    const action = input.active === false && before.active === 1 ? 'deactivate' : 'update';
    await recordAudit(tx, ctx, { entityType: 'work_center', entityId: id, action, before, after });
    await appendEvent(tx, ctx, {
      type: 'workcenter.updated',
      aggregateType: 'work_center',
      aggregateId: id,
      data: toWorkCenter(after),
    });
    return toWorkCenter(after);
  });
}

/** Hard delete only while no machine or routing refers to the work center. */
export async function deleteWorkCenter(db: Db, ctx: Ctx, id: string): Promise<void> {
  let code = id;
  try {
    await db.transaction(async (tx) => {
      const before = await repo.findWorkCenter(tx, id);
      if (!before) throw notFound('Work center', id);
      code = before.code;
      await repo.deleteWorkCenter(tx, id);
      await recordAudit(tx, ctx, {
        entityType: 'work_center',
        entityId: id,
        action: 'delete',
        before,
        after: null,
      });
      await appendEvent(tx, ctx, {
        type: 'workcenter.deleted',
        aggregateType: 'work_center',
        aggregateId: id,
        data: { id, code: before.code },
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw inUse('Work center', code);
    throw err;
  }
}

export async function listWorkCenters(db: Db, query: WorkCenterListQuery): Promise<PageOf<WorkCenter>> {
  const { rows, nextCursor } = await repo.listWorkCenters(db.kysely, db.dialect, query);
  return { items: rows.map(toWorkCenter), nextCursor };
}
