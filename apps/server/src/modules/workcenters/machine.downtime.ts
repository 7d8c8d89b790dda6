import type { Downtime, DowntimeCreate, MachineAvailability } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { MachineDowntimesTable } from '../../platform/db/schema.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { availabilityOf, getCalendar, parseHorizon } from '../calendars/calendar.service.ts';
import { getMachine } from './machine.service.ts';
import * as repo from './workcenter.repo.ts';

/** Planned downtime windows of machines, and machine availability (calendar minus downtime). */
const toDowntime = (row: MachineDowntimesTable): Downtime => ({
  id: row.id,
  machineId: row.machine_id,
  start: row.start_at,
  end: row.end_at,
  reason: row.reason,
  createdAt: row.created_at,
});

export async function addDowntime(
  db: Db,
  ctx: Ctx,
  machineId: string,
  input: DowntimeCreate,
): Promise<Downtime> {
  const from = Date.parse(input.start);
  const to = Date.parse(input.end);
  if (Number.isNaN(from)) throw invalidField('/start', 'is not a date-time');
  if (!(to > from)) throw invalidField('/end', 'must be after start');
  const row: MachineDowntimesTable = {
    id: newId(),
    machine_id: machineId,
    start_at: new Date(from).toISOString(),
    end_at: new Date(to).toISOString(),
    reason: (input.reason ?? '').trim(),
    created_at: nowIso(),
  };
  return db.transaction(async (tx) => {
    if (!(await repo.findMachine(tx, machineId))) throw notFound('Machine', machineId);
    await repo.insertDowntime(tx, row);
    await recordAudit(tx, ctx, {
      entityType: 'machine_downtime',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
    await appendEvent(tx, ctx, {
      type: 'machine.downtime_planned',
      aggregateType: 'machine',
      aggregateId: machineId,
      data: toDowntime(row),
    });
    return toDowntime(row);
  });
}

export async function removeDowntime(db: Db, ctx: Ctx, machineId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repo.findDowntime(tx, machineId, id);
    if (!before) throw notFound('Downtime', id);
    await repo.deleteDowntime(tx, id);
    await recordAudit(tx, ctx, {
      entityType: 'machine_downtime',
      entityId: id,
      action: 'delete',
      before,
      after: null,
    });
    await appendEvent(tx, ctx, {
      type: 'machine.downtime_removed',
      aggregateType: 'machine',
      aggregateId: machineId,
      data: toDowntime(before),
    });
  });
}

export async function listDowntimes(db: Db, machineId: string): Promise<Downtime[]> {
  await getMachine(db, machineId);
  return (await repo.downtimesOf(db.kysely, machineId)).map(toDowntime);
}

/**
 * What the scheduler consumes: the machine's calendar (its own, else its work center's) expanded over
 * [from, to) minus its planned downtime, as UTC intervals.
 */
export async function machineAvailability(
  db: Db,
  id: string,
  query: { from: string; to: string },
): Promise<MachineAvailability> {
  const { from, to } = parseHorizon(query);
  const machine = await getMachine(db, id);
  const center = await repo.findWorkCenter(db.kysely, machine.workCenterId);
  const calendarId = machine.calendarId ?? center?.calendar_id ?? null;
  if (!calendarId) {
    throw new AppError('INVALID_STATE', `Machine ${machine.code} has no calendar, nor has its work center`);
  }
  const calendar = await getCalendar(db, calendarId);
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  const downtime = (await repo.downtimesOf(db.kysely, id, fromIso, toIso)).map((d) => ({
    start: Date.parse(d.start_at),
    end: Date.parse(d.end_at),
  }));
  return {
    machineId: id,
    machineCode: machine.code,
    calendarId,
    status: machine.status,
    capacity: machine.capacity,
    efficiencyBp: machine.efficiencyBp,
    ...availabilityOf(calendar, from, to, downtime),
  };
}
