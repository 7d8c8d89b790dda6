import type {
  Calendar,
  CalendarAvailability,
  CalendarCreate,
  CalendarListQuery,
  CalendarUpdate,
  PageOf,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { CalendarsTable } from '../../platform/db/schema.ts';
import { AppError, isForeignKeyViolation, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import {
  type CalendarRules,
  checkCalendarRules,
  expandCalendar,
  type Span,
  totalMinutes,
} from './calendar.rules.ts';
import * as repo from './calendar.repo.ts';

/** The longest horizon one availability request expands (a planning year plus slack). */
export const MAX_HORIZON_DAYS = 400;

export function toCalendar(row: CalendarsTable): Calendar {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    timeZone: row.time_zone,
    shifts: JSON.parse(row.weekly_shifts) as Calendar['shifts'],
    exceptions: JSON.parse(row.exceptions) as Calendar['exceptions'],
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function sortShifts(shifts: Calendar['shifts']): Calendar['shifts'] {
  return [...shifts].sort((a, b) => a.weekday - b.weekday || (a.start < b.start ? -1 : 1));
}

function sortExceptions(exceptions: Calendar['exceptions']): Calendar['exceptions'] {
  return [...exceptions].sort((a, b) => (a.date < b.date ? -1 : 1));
}

function assertRules(rules: CalendarRules): void {
  const problems = checkCalendarRules(rules);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.field} ${p.message}`).join('; '), {
      fieldErrors: problems,
    });
  }
}

export function staleVersion(what: string, code: string, current: number): AppError {
  return new AppError(
    'STALE_VERSION',
    `${what} ${code} was changed by someone else (now version ${current})`,
    {
      extra: { currentVersion: current },
    },
  );
}

export function duplicateCode(what: string, code: string): AppError {
  return new AppError('DUPLICATE_CODE', `${what} code ${code} is already in use`, {
    fieldErrors: [{ field: '/code', message: 'is already in use', code: 'duplicate' }],
  });
}

export function inUse(what: string, code: string): AppError {
  return new AppError('IN_USE', `${what} ${code} is still referenced; deactivate it instead of deleting it`);
}

export async function createCalendar(db: Db, ctx: Ctx, input: CalendarCreate): Promise<Calendar> {
  const shifts = sortShifts(input.shifts ?? []);
  const exceptions = sortExceptions(input.exceptions ?? []);
  assertRules({ timeZone: input.timeZone, shifts, exceptions });
  const now = nowIso();
  const row: CalendarsTable = {
    id: newId(),
    code: input.code.trim().toUpperCase(),
    name: input.name.trim(),
    time_zone: input.timeZone,
    weekly_shifts: JSON.stringify(shifts),
    exceptions: JSON.stringify(exceptions),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction(async (tx) => {
      await repo.insertCalendar(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'calendar',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
      await appendEvent(tx, ctx, {
        type: 'calendar.created',
        aggregateType: 'calendar',
        aggregateId: row.id,
        data: toCalendar(row),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateCode('Calendar', row.code);
    throw err;
  }
  return toCalendar(row);
}

export async function getCalendar(db: Db, id: string): Promise<Calendar> {
  const row = await repo.findCalendar(db.kysely, id);
  if (!row) throw notFound('Calendar', id);
  return toCalendar(row);
}

export async function updateCalendar(db: Db, ctx: Ctx, id: string, input: CalendarUpdate): Promise<Calendar> {
  return db.transaction(async (tx) => {
    const before = await repo.findCalendar(tx, id);
    if (!before) throw notFound('Calendar', id);
    const current = toCalendar(before);
    const shifts = sortShifts(input.shifts ?? current.shifts);
    const exceptions = sortExceptions(input.exceptions ?? current.exceptions);
    assertRules({ timeZone: input.timeZone ?? current.timeZone, shifts, exceptions });
    const changes: Partial<CalendarsTable> = { updated_at: nowIso() };
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.timeZone !== undefined) changes.time_zone = input.timeZone;
    if (input.shifts !== undefined) changes.weekly_shifts = JSON.stringify(shifts);
    if (input.exceptions !== undefined) changes.exceptions = JSON.stringify(exceptions);
    if (input.active !== undefined) changes.active = input.active ? 1 : 0;
    const after = await repo.updateCalendar(tx, id, input.version, changes);
    if (!after) throw staleVersion('Calendar', before.code, before.version);
    const action = input.active === false && before.active === 1 ? 'deactivate' : 'update';
    await recordAudit(tx, ctx, { entityType: 'calendar', entityId: id, action, before, after });
    await appendEvent(tx, ctx, {
      type: 'calendar.updated',
      aggregateType: 'calendar',
      aggregateId: id,
      data: toCalendar(after),
    });
    return toCalendar(after);
  });
}

/** Hard delete only while nothing refers to the calendar; otherwise deactivate it. */
export async function deleteCalendar(db: Db, ctx: Ctx, id: string): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const before = await repo.findCalendar(tx, id);
      if (!before) throw notFound('Calendar', id);
      await repo.deleteCalendar(tx, id);
      await recordAudit(tx, ctx, {
        entityType: 'calendar',
        entityId: id,
        action: 'delete',
        before,
        after: null,
      });
      await appendEvent(tx, ctx, {
        type: 'calendar.deleted',
        aggregateType: 'calendar',
        aggregateId: id,
        data: { id, code: before.code },
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw inUse('Calendar', id);
    throw err;
  }
}

export async function listCalendars(db: Db, query: CalendarListQuery): Promise<PageOf<Calendar>> {
  const { rows, nextCursor } = await repo.listCalendars(db.kysely, db.dialect, query);
  return { items: rows.map(toCalendar), nextCursor };
}

/** Parses and bounds an availability horizon; errors name the query field. */
export function parseHorizon(query: { from: string; to: string }): { from: number; to: number } {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  const field = (f: string, message: string) =>
    new AppError('VALIDATION_FAILED', `${f} ${message}`, { fieldErrors: [{ field: f, message }] });
  if (Number.isNaN(from)) throw field('/querystring/from', 'is not a date-time');
  if (Number.isNaN(to)) throw field('/querystring/to', 'is not a date-time');
  if (to <= from) throw field('/querystring/to', 'must be after from');
  if (to - from > MAX_HORIZON_DAYS * 86_400_000) {
    throw field('/querystring/to', `must be at most ${MAX_HORIZON_DAYS} days after from`);
  }
  return { from, to };
}

/** Working intervals of a calendar over a horizon, minus the given downtime. */
export function availabilityOf(calendar: Calendar, from: number, to: number, downtime: readonly Span[] = []) {
  const spans = expandCalendar(calendar, from, to, downtime);
  return {
    timeZone: calendar.timeZone,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    totalMinutes: totalMinutes(spans),
    intervals: spans.map((s) => ({
      start: new Date(s.start).toISOString(),
      end: new Date(s.end).toISOString(),
    })),
  };
}

export async function calendarAvailability(
  db: Db,
  id: string,
  query: { from: string; to: string },
): Promise<CalendarAvailability> {
  const { from, to } = parseHorizon(query);
  const calendar = await getCalendar(db, id);
  return { calendarId: id, ...availabilityOf(calendar, from, to) };
}
