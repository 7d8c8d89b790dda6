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
import { byKeys, pages, type SheetSpec } from './sheet-import.ts';
import type { RowReader } from './sheet-spec.ts';

/**
 * Work centers (machine groups) and machines. Their audit entries and events are the ones the work
 * center and machine services write for a change by hand; a machine's status is not imported (it
 * changes only through its own endpoint, with its event).
 */
const activeCell = (active: number) => (active === 1 ? 'true' : 'false');
const ACTIVE = { key: 'active', zh: '启用', en: 'Active', width: 8 } as const;

async function codeIds(db: Db, table: 'calendars' | 'work_centers') {
  const rows = await db.kysely.selectFrom(table).select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

function readActive(r: RowReader, row: { active?: number }) {
  const active = r.bool('active');
  if (active !== undefined) row.active = active ? 1 : 0;
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

function byCode<R extends { code: string }>(
  db: Db,
  table: 'work_centers' | 'machines',
  keys: readonly string[],
) {
  return byKeys<R>(
    keys,
    async (chunk) =>
      (await db.kysely
        .selectFrom(table as 'work_centers')
        .selectAll()
        .where('code', 'in', chunk)
        .execute()) as unknown as R[],
    (r) => r.code,
  );
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
    { key: 'code', zh: '编码', en: 'Code', required: true, width: 16 },
    { key: 'name', zh: '名称', en: 'Name', required: true, width: 24 },
    { key: 'kind', zh: '类别', en: 'Kind', width: 16 },
    { key: 'calendar', zh: '日历', en: 'Calendar', width: 14 },
    ACTIVE,
  ],
  example: [['WC-CNC', 'CNC 车床组', 'CNC车床组', '', 'true']],
  load: (db) => codeIds(db, 'calendars'),
  read(r, calendars) {
    const code = r.plainCode('code');
    const row: Partial<WorkCentersTable> = {};
    const name = r.text('name', 200, true);
    if (name !== undefined) row.name = name;
    const kind = r.text('kind', 60);
    if (kind !== undefined) row.kind = kind;
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
        version: 1,
        created_at: now,
        updated_at: now,
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
    const calendars = new Map([...(await codeIds(db, 'calendars'))].map(([code, id]) => [id, code]));
    const all = pages<WorkCentersTable>((after, limit) => {
      let q = db.kysely.selectFrom('work_centers').selectAll().orderBy('code').limit(limit);
      if (after) q = q.where('code', '>', after.code);
      return q.execute();
    });
    for await (const w of all)
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
    { key: 'code', zh: '编码', en: 'Code', required: true, width: 16 },
    { key: 'name', zh: '名称', en: 'Name', required: true, width: 24 },
    { key: 'workCenter', zh: '工作中心', en: 'Work center', required: true, width: 14 },
    { key: 'capacity', zh: '并行数', en: 'Capacity', width: 10 },
    { key: 'efficiency', zh: '效率%', en: 'Efficiency %', width: 12 },
    { key: 'hourlyCost', zh: '小时费率', en: 'Hourly cost', width: 12 },
    { key: 'calendar', zh: '日历', en: 'Calendar', width: 14 },
    ACTIVE,
  ],
  example: [['CNC-01', '数控车床 1 号', 'WC-CNC', '1', '95', '120.00', '', 'true']],
  async load(db) {
    return { calendars: await codeIds(db, 'calendars'), workCenters: await codeIds(db, 'work_centers') };
  },
  read(r, c, custom) {
    const code = r.plainCode('code');
    const row: Partial<MachinesTable> = {};
    const name = r.text('name', 200, true);
    if (name !== undefined) row.name = name;
    if (r.cell('workCenter') === '') r.fail('workCenter', '', 'is required');
    const wc = r.ref('workCenter', c.workCenters, 'work center');
    if (wc) row.work_center_id = wc;
    const capacity = r.int('capacity', 1, 1000);
    if (capacity !== undefined) row.capacity = capacity;
    // Efficiency in percent with up to two decimals (95.5 %) → basis points.
    const eff = r.decimal('efficiency', 'money');
    if (eff !== undefined) {
      if (eff < 1 || eff > 100_000) r.fail('efficiency', r.cell('efficiency') ?? '', 'must be 0.01–1000 %');
      else row.efficiency_bp = eff;
    }
    const cost = r.decimal('hourlyCost', 'money');
    if (cost !== undefined) row.hourly_cost = cost;
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
        version: 1,
        created_at: now,
        updated_at: now,
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
    const calendars = new Map([...(await codeIds(db, 'calendars'))].map(([code, id]) => [id, code]));
    const centers = new Map([...(await codeIds(db, 'work_centers'))].map(([code, id]) => [id, code]));
    const all = pages<MachinesTable>((after, limit) => {
      let q = db.kysely.selectFrom('machines').selectAll().orderBy('code').limit(limit);
      if (after) q = q.where('code', '>', after.code);
      return q.execute();
    });
    for await (const m of all)
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
