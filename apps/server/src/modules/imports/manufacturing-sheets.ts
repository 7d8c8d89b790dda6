import { cacheOf } from '../../platform/cache/cache.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { MachinesTable, WorkCentersTable } from '../../platform/db/schema.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { formatMoney } from '../../platform/units.ts';
import { type CustomCellValues, customCells, mergeCustomValues } from '../masterdata/custom-fields.sheet.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import { toMachine } from '../workcenters/machine.service.ts';
import { toWorkCenter } from '../workcenters/workcenter.service.ts';
import { bulkId } from './bulk-ids.ts';
import {
  ACTIVE_COLUMN,
  activeCell,
  CALENDAR_COLUMN,
  CODE_COLUMN,
  nameColumn,
  readActive,
  readName,
  setGiven,
} from './sheet-columns.ts';
import type { SheetSpec } from './sheet-import.ts';
import { byCode, idsByCode, orderedByCode, stamps } from './sheet-records.ts';
import type { RowReader } from './sheet-spec.ts';

/**
 * Work centers (machine groups) and machines. Their audit entries and events are the ones the work
 * center and machine services write for a change by hand; a machine's status is not imported (it
 * changes only through its own endpoint, with its event).
 */

/** Id → code of the calendars or work centers, for the cells of an export. */
async function codesById(db: Db, table: 'calendars' | 'work_centers') {
  return new Map([...(await idsByCode(db, table))].map(([code, id]) => [id, code]));
}

/** A calendar column: empty clears it, a code must name a calendar. */
function readCalendar(
  r: RowReader,
  calendars: ReadonlyMap<string, string>,
  row: { calendar_id?: string | null },
) {
  const v = r.cell('calendar');
  if (v === undefined) return;
  if (v === '') row.calendar_id = null;
  else {
    const id = r.ref('calendar', calendars, 'calendar');
    if (id) row.calendar_id = id;
  }
}

async function change<Row extends { id: string; code: string; version: number; active: number }>(
  tx: Tx,
  ctx: Ctx,
  what: { table: 'work_centers' | 'machines'; entity: string; event: string; label: string },
  before: Row | null,
  after: Row,
  dto: unknown,
) {
  const action = !before ? 'create' : before.active === 1 && after.active === 0 ? 'deactivate' : 'update';
  await recordAudit(tx, ctx, { entityType: what.entity, entityId: after.id, action, before, after });
  await appendEvent(tx, ctx, {
    type: `${what.event}.${before ? 'updated' : 'created'}`,
    aggregateType: what.entity,
    aggregateId: after.id,
    data: dto,
  });
}

async function updated<Row extends { id: string; code: string; version: number }>(
  tx: Tx,
  table: 'work_centers' | 'machines',
  label: string,
  before: Row,
  changes: Partial<Row>,
): Promise<Row> {
  const after = await tx
    .updateTable(table as 'work_centers')
    .set({ ...(changes as object), version: before.version + 1 })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .returningAll()
    .executeTakeFirst();
  if (!after) throw staleVersion(label, before.code, before.version + 1);
  cacheOf(tx).invalidate(tx, table, before.id);
  return after as unknown as Row;
}

// Work centers

interface WorkCenterFields {
  code: string;
  row: Partial<WorkCentersTable>;
}

const WC = {
  table: 'work_centers',
  entity: 'work_center',
  event: 'workcenter',
  label: 'Work center',
} as const;

export const workCenterSheet: SheetSpec<WorkCenterFields, WorkCentersTable, ReadonlyMap<string, string>> = {
  entity: 'work-centers',
  noun: 'work center',
  sheetName: 'Work centers 工作中心',
  keyColumn: 'code',
  columns: [
    CODE_COLUMN,
    nameColumn(24),
    { key: 'kind', zh: '类别', en: 'Kind', width: 16 },
    CALENDAR_COLUMN,
    ACTIVE_COLUMN,
  ],
  example: [['WC-CNC', 'CNC 车床组', 'CNC车床组', '', 'true']],
  load: (db) => idsByCode(db, 'calendars'),
  read(r, calendars) {
    const code = r.plainCode('code');
    const row: Partial<WorkCentersTable> = {};
    readName(r, row);
    setGiven(row, 'kind', r.text('kind', 60));
    readCalendar(r, calendars, row);
    readActive(r, row);
    return code ? { key: code, fields: { code, row } } : null;
  },
  existing: (db, keys) => byCode<WorkCentersTable>(db, 'work_centers', keys),
  async write(tx, ctx, plan, { now }) {
    for (const f of plan.inserts) {
      const row: WorkCentersTable = {
        id: bulkId(),
        name: '',
        kind: '',
        calendar_id: null,
        active: 1,
        ...f.row,
        code: f.code,
        ...stamps(now),
      };
      await tx.insertInto('work_centers').values(row).execute();
      await change(tx, ctx, WC, null, row, toWorkCenter(row));
    }
    for (const { before, fields } of plan.updates) {
      const after = await updated(tx, 'work_centers', WC.label, before, { ...fields.row, updated_at: now });
      await change(tx, ctx, WC, before, after, toWorkCenter(after));
    }
  },
  async *rows(db) {
    const calendars = await codesById(db, 'calendars');
    for await (const w of orderedByCode<WorkCentersTable>(db, 'work_centers'))
      yield [
        w.code,
        w.name,
        w.kind,
        w.calendar_id ? (calendars.get(w.calendar_id) ?? '') : '',
        activeCell(w.active),
      ];
  },
};

// Machines

interface MachineFields {
  code: string;
  row: Partial<MachinesTable>;
  custom: CustomCellValues;
}

interface MachineContext {
  readonly calendars: ReadonlyMap<string, string>;
  readonly workCenters: ReadonlyMap<string, string>;
}

const MC = { table: 'machines', entity: 'machine', event: 'machine', label: 'Machine' } as const;

export const machineSheet: SheetSpec<MachineFields, MachinesTable, MachineContext> = {
  entity: 'machines',
  noun: 'machine',
  sheetName: 'Machines 设备',
  keyColumn: 'code',
  customFields: 'machines',
  columns: [
    CODE_COLUMN,
    nameColumn(24),
    { key: 'workCenter', zh: '工作中心', en: 'Work center', required: true, width: 14 },
    { key: 'capacity', zh: '并行数', en: 'Capacity', width: 10 },
    { key: 'efficiency', zh: '效率%', en: 'Efficiency %', width: 12 },
    { key: 'hourlyCost', zh: '小时费率', en: 'Hourly cost', width: 12 },
    CALENDAR_COLUMN,
    ACTIVE_COLUMN,
  ],
  example: [['CNC-01', '数控车床 1 号', 'WC-CNC', '1', '95', '120.00', '', 'true']],
  async load(db) {
    return { calendars: await idsByCode(db, 'calendars'), workCenters: await idsByCode(db, 'work_centers') };
  },
  read(r, c, custom) {
    const code = r.plainCode('code');
    const row: Partial<MachinesTable> = {};
    readName(r, row);
    if (r.cell('workCenter') === '') r.fail('workCenter', '', 'is required');
    const wc = r.ref('workCenter', c.workCenters, 'work center');
    if (wc) row.work_center_id = wc;
    setGiven(row, 'capacity', r.int('capacity', 1, 1000));
    // Efficiency in percent with up to two decimals (95.5 %) → basis points.
    const eff = r.decimal('efficiency', 'money');
    if (eff !== undefined) {
      if (eff < 1 || eff > 100_000) r.fail('efficiency', r.cell('efficiency') ?? '', 'must be 0.01–1000 %');
      else row.efficiency_bp = eff;
    }
    setGiven(row, 'hourly_cost', r.decimal('hourlyCost', 'money'));
    readCalendar(r, c.calendars, row);
    readActive(r, row);
    return code ? { key: code, fields: { code, row, custom } } : null;
  },
  existing: (db, keys) => byCode<MachinesTable>(db, 'machines', keys),
  async write(tx, ctx, plan, { now }) {
    for (const f of plan.inserts) {
      const row: MachinesTable = {
        id: bulkId(),
        name: '',
        work_center_id: '',
        capacity: 1,
        efficiency_bp: 10000,
        hourly_cost: 0,
        status: 'up',
        calendar_id: null,
        active: 1,
        ...f.row,
        custom_fields: mergeCustomValues(null, f.custom),
        code: f.code,
        ...stamps(now),
      };
      await tx.insertInto('machines').values(row).execute();
      const stored = await tx
        .selectFrom('machines')
        .selectAll()
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      await change(tx, ctx, MC, null, stored, toMachine(stored));
    }
    for (const { before, fields } of plan.updates) {
      const changes: Partial<MachinesTable> = { ...fields.row, updated_at: now };
      if (Object.keys(fields.custom).length > 0)
        changes.custom_fields = mergeCustomValues(before.custom_fields, fields.custom);
      const after = await updated(tx, 'machines', MC.label, before, changes);
      await change(tx, ctx, MC, before, after, toMachine(after));
    }
  },
  async *rows(db, custom) {
    const calendars = await codesById(db, 'calendars');
    const centers = await codesById(db, 'work_centers');
    for await (const m of orderedByCode<MachinesTable>(db, 'machines'))
      yield [
        m.code,
        m.name,
        centers.get(m.work_center_id) ?? '',
        String(m.capacity),
        formatMoney(m.efficiency_bp),
        formatMoney(Number(m.hourly_cost)),
        m.calendar_id ? (calendars.get(m.calendar_id) ?? '') : '',
        activeCell(m.active),
        ...customCells(m.custom_fields, custom),
      ];
  },
};
