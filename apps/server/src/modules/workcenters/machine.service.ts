import type {
  Machine,
  MachineCreate,
  MachineListQuery,
  MachineStatusChange,
  MachineUpdate,
  PageOf,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { MachinesTable } from '../../platform/db/schema.ts';
import { invalidField, isForeignKeyViolation, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatMoney, parseMoneyField } from '../../platform/units.ts';
import { duplicateCode, inUse, staleVersion } from '../calendars/calendar.service.ts';
import { checkCustomFields, customFieldsOf } from '../masterdata/custom-fields.service.ts';
import * as repo from './workcenter.repo.ts';
import { assertCalendarRef } from './workcenter.service.ts';

/**
 * Machines: capacity is the number of parallel units, efficiency scales run time (basis points, 100 % =
 * 10000), the calendar overrides the work center's. Status (up | down | maintenance) changes only
 * through its own endpoint so every change leaves a `machine.status_changed` event.
 */
export function toMachine(row: MachinesTable): Machine {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    workCenterId: row.work_center_id,
    capacity: row.capacity,
    efficiencyBp: row.efficiency_bp,
    hourlyCost: formatMoney(Number(row.hourly_cost)),
    status: row.status,
    calendarId: row.calendar_id,
    customFields: customFieldsOf(row.custom_fields),
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function assertWorkCenter(tx: Tx, id: string): Promise<void> {
  if (!(await repo.findWorkCenter(tx, id))) throw invalidField('/workCenterId', 'is not a known work center');
}

function nonNegativeCost(text: string): number {
  const cents = parseMoneyField('/hourlyCost', text);
  if (cents < 0) throw invalidField('/hourlyCost', 'must not be negative');
  return cents;
}

export async function createMachine(db: Db, ctx: Ctx, input: MachineCreate): Promise<Machine> {
  await assertCalendarRef(db, input.calendarId, '/calendarId');
  const now = nowIso();
  const row: MachinesTable = {
    id: newId(),
    code: input.code.trim().toUpperCase(),
    name: input.name.trim(),
    work_center_id: input.workCenterId,
    capacity: input.capacity ?? 1,
    efficiency_bp: input.efficiencyBp ?? 10000,
    hourly_cost: nonNegativeCost(input.hourlyCost ?? '0'),
    status: input.status ?? 'up',
    calendar_id: input.calendarId ?? null,
    custom_fields: await checkCustomFields(db.kysely, 'machines', input.customFields, null),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction(async (tx) => {
      await assertWorkCenter(tx, row.work_center_id);
      await repo.insertMachine(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'machine',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
      await appendEvent(tx, ctx, {
        type: 'machine.created',
        aggregateType: 'machine',
        aggregateId: row.id,
        data: toMachine(row),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateCode('Machine', row.code);
    throw err;
  }
  return toMachine(row);
}

export async function getMachine(db: Db, id: string): Promise<Machine> {
  const row = await repo.findMachine(db.kysely, id);
  if (!row) throw notFound('Machine', id);
  return toMachine(row);
}

/** Machines by id (unknown ids are left out). */
export async function getMachines(db: Db, ids: readonly string[]): Promise<Machine[]> {
  return (await repo.findMachines(db.kysely, [...new Set(ids)])).map(toMachine);
}

/** All machines of the given work centers, active or not, ordered by code. */
export async function machinesOfWorkCenters(db: Db, workCenterIds: readonly string[]): Promise<Machine[]> {
  return (await repo.machinesOfWorkCenters(db.kysely, [...new Set(workCenterIds)])).map(toMachine);
}

export async function updateMachine(db: Db, ctx: Ctx, id: string, input: MachineUpdate): Promise<Machine> {
  await assertCalendarRef(db, input.calendarId, '/calendarId');
  const changes: Partial<MachinesTable> = { updated_at: nowIso() };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.workCenterId !== undefined) changes.work_center_id = input.workCenterId;
  if (input.capacity !== undefined) changes.capacity = input.capacity;
  if (input.efficiencyBp !== undefined) changes.efficiency_bp = input.efficiencyBp;
  if (input.hourlyCost !== undefined) changes.hourly_cost = nonNegativeCost(input.hourlyCost);
  if (input.calendarId !== undefined) changes.calendar_id = input.calendarId;
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  return db.transaction(async (tx) => {
    const before = await repo.findMachine(tx, id);
    if (!before) throw notFound('Machine', id);
    if (input.workCenterId !== undefined) await assertWorkCenter(tx, input.workCenterId);
    if (input.customFields !== undefined)
      changes.custom_fields = await checkCustomFields(
        tx,
        'machines',
        input.customFields,
        before.custom_fields,
      );
    const after = await repo.updateMachine(tx, id, input.version, changes);
    if (!after) throw staleVersion('Machine', before.code, before.version);
    const action = input.active === false && before.active === 1 ? 'deactivate' : 'update';
    await recordAudit(tx, ctx, { entityType: 'machine', entityId: id, action, before, after });
    await appendEvent(tx, ctx, {
      type: 'machine.updated',
      aggregateType: 'machine',
      aggregateId: id,
      data: toMachine(after),
    });
    return toMachine(after);
  });
}

export async function changeMachineStatus(
  db: Db,
  ctx: Ctx,
  id: string,
  input: MachineStatusChange,
): Promise<Machine> {
  return db.transaction(async (tx) => {
    const before = await repo.findMachine(tx, id);
    if (!before) throw notFound('Machine', id);
    const changedAt = nowIso();
    const after = await repo.updateMachine(tx, id, input.version, {
      status: input.status,
      updated_at: changedAt,
    });
    if (!after) throw staleVersion('Machine', before.code, before.version);
    await recordAudit(tx, ctx, { entityType: 'machine', entityId: id, action: 'status', before, after });
    await appendEvent(tx, ctx, {
      type: 'machine.status_changed',
      aggregateType: 'machine',
      aggregateId: id,
      data: {
        machineId: id,
        code: after.code,
        workCenterId: after.work_center_id,
        from: before.status,
        to: after.status,
        reason: input.reason ?? null,
        at: changedAt,
      },
    });
    return toMachine(after);
  });
}

/** Hard delete only while no routing refers to the machine; its planned downtime goes with it. */
export async function deleteMachine(db: Db, ctx: Ctx, id: string): Promise<void> {
  let code = id;
  try {
    await db.transaction(async (tx) => {
      const before = await repo.findMachine(tx, id);
      if (!before) throw notFound('Machine', id);
      code = before.code;
      await repo.deleteMachine(tx, id);
      await recordAudit(tx, ctx, {
        entityType: 'machine',
        entityId: id,
        action: 'delete',
        before,
        after: null,
      });
      await appendEvent(tx, ctx, {
        type: 'machine.deleted',
        aggregateType: 'machine',
        aggregateId: id,
        data: { id, code },
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw inUse('Machine', code);
    throw err;
  }
}

export async function listMachines(db: Db, query: MachineListQuery): Promise<PageOf<Machine>> {
  const { rows, nextCursor } = await repo.listMachines(db.kysely, db.dialect, query);
  return { items: rows.map(toMachine), nextCursor };
}
