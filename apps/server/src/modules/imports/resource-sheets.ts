import { normaliseText } from '@takt/domain';
import type {
  EmployeesTable,
  LocationsTable,
  ToolsTable,
  WarehousesTable,
} from '../../platform/db/schema.ts';
import { employeeSpec } from '../employees/employee.service.ts';
import { type LoadedRule, loadRule } from '../masterdata/code-rule.service.ts';
import { toolSpec } from '../tools/tool.service.ts';
import { locationSpec, warehouseSpec } from '../warehouses/warehouse.service.ts';
import { bulkId } from './bulk-ids.ts';
import { writePlan } from './record-write.ts';
import {
  ACTIVE_COLUMN,
  ADDRESS_COLUMN,
  activeCell,
  CODE_COLUMN,
  nameColumn,
  readActive,
  readName,
  setGiven,
} from './sheet-columns.ts';
import { pages, type SheetSpec } from './sheet-import.ts';
import { byCode, idsByCode, inBatches, orderedByCode, replaceChildren, stamps } from './sheet-records.ts';
import { codeKey, type RowReader } from './sheet-spec.ts';

/** Warehouses, their locations, employees (with skills) and tools/molds, one row per record. */

// Warehouses

interface WarehouseFields {
  code: string;
  row: Partial<WarehousesTable>;
}

export const warehouseSheet: SheetSpec<WarehouseFields, WarehousesTable, LoadedRule> = {
  entity: 'warehouses',
  noun: 'warehouse',
  sheetName: 'Warehouses 仓库',
  keyColumn: 'code',
  columns: [CODE_COLUMN, nameColumn(24), ADDRESS_COLUMN, ACTIVE_COLUMN],
  example: [['WH-RAW', '原材料仓', '一号厂房东侧', 'true']],
  load: (db) => loadRule(db.kysely, 'warehouses'),
  read(r, rule) {
    const code = r.code('code', rule);
    const row: Partial<WarehousesTable> = {};
    readName(r, row);
    setGiven(row, 'address', r.text('address', 300));
    readActive(r, row);
    return code ? { key: code, fields: { code, row } } : null;
  },
  existing: (db, keys) => byCode<WarehousesTable>(db, 'warehouses', keys),
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, warehouseSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        address: '',
        active: 1,
        ...f.row,
        code: f.code,
        ...stamps(now),
      }),
    }),
  async *rows(db) {
    for await (const w of orderedByCode<WarehousesTable>(db, 'warehouses'))
      yield [w.code, w.name, w.address, activeCell(w.active)];
  },
};

// Locations, keyed by warehouse code and location code

const KINDS: Record<string, string> = {
  storage: 'storage',
  存储: 'storage',
  库位: 'storage',
  lineside: 'line_side',
  线边: 'line_side',
  receiving: 'receiving',
  收货: 'receiving',
  shipping: 'shipping',
  发货: 'shipping',
  quarantine: 'quarantine',
  隔离: 'quarantine',
};

interface LocationFields {
  warehouseId: string;
  code: string;
  row: Partial<LocationsTable>;
}

export const locationSheet: SheetSpec<LocationFields, LocationsTable, ReadonlyMap<string, string>> = {
  entity: 'locations',
  noun: 'location',
  showKey: (key) => key.replace('\t', ' '),
  sheetName: 'Locations 库位',
  keyColumn: 'code',
  columns: [
    { key: 'warehouse', zh: '仓库', en: 'Warehouse', required: true, width: 14 },
    CODE_COLUMN,
    nameColumn(24),
    { key: 'kind', zh: '类型', en: 'Kind', required: true, width: 12 },
    ACTIVE_COLUMN,
  ],
  example: [['WH-RAW', 'A-01-01', 'A 区 1 排 1 层', 'storage', 'true']],
  load: (db) => idsByCode(db, 'warehouses'),
  read(r, warehouses) {
    const whCode = r.cell('warehouse') ?? '';
    if (whCode === '') r.fail('warehouse', '', 'is required');
    const warehouseId = r.ref('warehouse', warehouses, 'warehouse');
    const code = r.code('code', null);
    const row: Partial<LocationsTable> = {};
    readName(r, row);
    if (r.cell('kind') === '') r.fail('kind', '', 'is required');
    const kind = r.choice('kind', KINDS, 'location kind (storage/line_side/receiving/shipping/quarantine)');
    if (kind) row.kind = kind;
    readActive(r, row);
    if (!code || !warehouseId) return null;
    return { key: `${codeKey(whCode)}\t${code}`, fields: { warehouseId, code, row } };
  },
  async existing(db, keys) {
    const out = new Map<string, LocationsTable>();
    const codes = [...new Set(keys.map((k) => k.slice(k.indexOf('\t') + 1)))];
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await db.kysely
        .selectFrom('locations as l')
        .innerJoin('warehouses as w', 'w.id', 'l.warehouse_id')
        .selectAll('l')
        .select('w.code as warehouse_code')
        .where('l.code', 'in', codes.slice(i, i + 500))
        .execute();
      const wanted = new Set(keys);
      for (const { warehouse_code, ...row } of rows) {
        const key = `${warehouse_code}\t${row.code}`;
        if (wanted.has(key)) out.set(key, row);
      }
    }
    return out;
  },
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, locationSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        kind: 'storage',
        active: 1,
        ...f.row,
        warehouse_id: f.warehouseId,
        code: f.code,
        ...stamps(now),
      }),
    }),
  async *rows(db) {
    type Row = LocationsTable & { warehouse_code: string };
    const all = pages<Row>((after, limit) => {
      let q = db.kysely
        .selectFrom('locations as l')
        .innerJoin('warehouses as w', 'w.id', 'l.warehouse_id')
        .selectAll('l')
        .select('w.code as warehouse_code')
        .orderBy('w.code')
        .orderBy('l.code')
        .limit(limit);
      if (after)
        q = q.where((eb) =>
          eb.or([
            eb('w.code', '>', after.warehouse_code),
            eb.and([eb('w.code', '=', after.warehouse_code), eb('l.code', '>', after.code)]),
          ]),
        );
      return q.execute();
    });
    for await (const l of all) yield [l.warehouse_code, l.code, l.name, l.kind, activeCell(l.active)];
  },
};

// Employees, skills as "WELD:3; CNC:2"

interface EmployeeFields {
  code: string;
  row: Partial<EmployeesTable>;
  skills: { skill_code: string; level: number }[] | undefined;
}

function readSkills(r: RowReader): EmployeeFields['skills'] {
  const text = r.cell('skills');
  if (text === undefined) return undefined;
  const out: { skill_code: string; level: number }[] = [];
  for (const part of text.split(/[;；,，]/)) {
    if (part.trim() === '') continue;
    const m = /^(.+?)\s*[:：]\s*(\d+)$/.exec(part.trim());
    const skill = normaliseText(m ? m[1]! : part);
    const level = m ? Number(m[2]) : 1;
    if (!skill || skill.length > 40) r.fail('skills', part, 'is not a skill (SKILL:level)');
    else if (level < 1 || level > 5) r.fail('skills', part, 'level must be 1–5');
    else if (out.some((s) => s.skill_code === skill)) r.fail('skills', part, `${skill} is listed twice`);
    else out.push({ skill_code: skill, level });
  }
  return out;
}

export const employeeSheet: SheetSpec<EmployeeFields, EmployeesTable, LoadedRule> = {
  entity: 'employees',
  noun: 'employee',
  sheetName: 'Employees 员工',
  keyColumn: 'code',
  columns: [
    { key: 'code', zh: '工号', en: 'Code', required: true, width: 14 },
    { key: 'name', zh: '姓名', en: 'Name', required: true, width: 14 },
    { key: 'team', zh: '班组', en: 'Team', width: 12 },
    { key: 'shift', zh: '班次', en: 'Shift', width: 10 },
    { key: 'badge', zh: '工牌', en: 'Badge', width: 14 },
    { key: 'skills', zh: '技能', en: 'Skills', width: 24 },
    ACTIVE_COLUMN,
  ],
  example: [['E-0001', '张伟', '冲压一组', '白班', 'B10001', 'PRESS:4; WELD:2', 'true']],
  load: (db) => loadRule(db.kysely, 'employees'),
  read(r, rule) {
    const code = r.code('code', rule);
    const row: Partial<EmployeesTable> = {};
    readName(r, row);
    setGiven(row, 'team', r.text('team', 60));
    setGiven(row, 'shift', r.text('shift', 60));
    const badge = r.text('badge', 64);
    if (badge !== undefined) row.badge_code = badge === '' ? null : codeKey(badge);
    readActive(r, row);
    const skills = readSkills(r);
    return code ? { key: code, fields: { code, row, skills } } : null;
  },
  existing: (db, keys) => byCode<EmployeesTable>(db, 'employees', keys),
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, employeeSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        team: '',
        shift: '',
        badge_code: null,
        active: 1,
        ...f.row,
        code: f.code,
        ...stamps(now),
      }),
      children: (id, f) => async () => {
        if (f.skills)
          await replaceChildren(
            tx,
            'employee_skills',
            'employee_id',
            id,
            f.skills.map((s) => ({ ...s, employee_id: id })),
          );
      },
    }),
  rows: (db) =>
    inBatches(
      orderedByCode<EmployeesTable>(db, 'employees'),
      500,
      (batch) =>
        db.kysely
          .selectFrom('employee_skills')
          .selectAll()
          .where(
            'employee_id',
            'in',
            batch.map((e) => e.id),
          )
          .orderBy('skill_code')
          .execute(),
      function* (e, skills) {
        const mine = skills.filter((s) => s.employee_id === e.id).map((s) => `${s.skill_code}:${s.level}`);
        yield [e.code, e.name, e.team, e.shift, e.badge_code ?? '', mine.join('; '), activeCell(e.active)];
      },
    ),
};

// Tools and molds

const TOOL_KINDS: Record<string, string> = {
  tool: 'tool',
  刀具: 'tool',
  工具: 'tool',
  mold: 'mold',
  mould: 'mold',
  模具: 'mold',
  fixture: 'fixture',
  夹具: 'fixture',
};

interface ToolFields {
  code: string;
  row: Partial<ToolsTable>;
  itemIds: string[] | undefined;
  machineCodes: string[] | undefined;
}

interface ToolContext {
  readonly rule: LoadedRule;
  readonly items: ReadonlyMap<string, string>;
}

const list = (text: string) =>
  text
    .split(/[;；,，\s]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');

export const toolSheet: SheetSpec<ToolFields, ToolsTable, ToolContext> = {
  entity: 'tools',
  noun: 'tool',
  sheetName: 'Tools 工装模具',
  keyColumn: 'code',
  columns: [
    CODE_COLUMN,
    nameColumn(24),
    { key: 'kind', zh: '类型', en: 'Kind', required: true, width: 10 },
    { key: 'qty', zh: '可用数量', en: 'Qty available', width: 10 },
    { key: 'setupFamily', zh: '换型族', en: 'Setup family', width: 12 },
    { key: 'usageLimit', zh: '寿命次数', en: 'Usage limit', width: 12 },
    { key: 'items', zh: '适用物料', en: 'Items', width: 24 },
    { key: 'machines', zh: '适用机台', en: 'Machines', width: 20 },
    ACTIVE_COLUMN,
  ],
  example: [['MD-0001', '支架冲压模', 'mold', '1', 'BRK', '200000', 'FG-100100', 'PR-01; PR-02', 'true']],
  async load(db) {
    const items = await idsByCode(db, 'items');
    return { rule: await loadRule(db.kysely, 'tools'), items };
  },
  read(r, c) {
    const code = r.code('code', c.rule);
    const row: Partial<ToolsTable> = {};
    readName(r, row);
    if (r.cell('kind') === '') r.fail('kind', '', 'is required');
    const kind = r.choice('kind', TOOL_KINDS, 'tool kind (tool/mold/fixture, 刀具/模具/夹具)');
    if (kind) row.kind = kind;
    setGiven(row, 'qty_available', r.int('qty', 0, 1_000_000));
    setGiven(row, 'setup_family', r.text('setupFamily', 60));
    const limit = r.int('usageLimit', 1, Number.MAX_SAFE_INTEGER);
    if (limit !== undefined) row.usage_limit = limit;
    else if (r.cell('usageLimit') === '') row.usage_limit = null;
    let itemIds: string[] | undefined;
    const items = r.cell('items');
    if (items !== undefined) {
      itemIds = [];
      for (const itemCode of list(items)) {
        const id = c.items.get(codeKey(itemCode));
        if (!id) r.fail('items', itemCode, 'is not the code of an existing item');
        else if (!itemIds.includes(id)) itemIds.push(id);
      }
    }
    const machines = r.cell('machines');
    const machineCodes = machines === undefined ? undefined : [...new Set(list(machines).map(codeKey))];
    readActive(r, row);
    return code ? { key: code, fields: { code, row, itemIds, machineCodes } } : null;
  },
  existing: (db, keys) => byCode<ToolsTable>(db, 'tools', keys),
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, toolSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        kind: 'tool',
        qty_available: 1,
        setup_family: '',
        usage_count: 0,
        usage_limit: null,
        active: 1,
        ...f.row,
        code: f.code,
        ...stamps(now),
      }),
      children: (id, f) => async () => {
        if (f.itemIds)
          await replaceChildren(
            tx,
            'tool_items',
            'tool_id',
            id,
            f.itemIds.map((item_id) => ({ tool_id: id, item_id })),
          );
        if (f.machineCodes)
          await replaceChildren(
            tx,
            'tool_machines',
            'tool_id',
            id,
            f.machineCodes.map((machine_code) => ({ tool_id: id, machine_code })),
          );
      },
    }),
  rows: (db) =>
    inBatches(
      orderedByCode<ToolsTable>(db, 'tools'),
      500,
      async (batch) => {
        const ids = batch.map((t) => t.id);
        const items = await db.kysely
          .selectFrom('tool_items as t')
          .innerJoin('items as i', 'i.id', 't.item_id')
          .select(['t.tool_id', 'i.code'])
          .where('t.tool_id', 'in', ids)
          .orderBy('i.code')
          .execute();
        const machines = await db.kysely
          .selectFrom('tool_machines')
          .selectAll()
          .where('tool_id', 'in', ids)
          .orderBy('machine_code')
          .execute();
        return { items, machines };
      },
      function* (t, { items, machines }) {
        yield [
          t.code,
          t.name,
          t.kind,
          String(t.qty_available),
          t.setup_family,
          t.usage_limit == null ? '' : String(t.usage_limit),
          items
            .filter((i) => i.tool_id === t.id)
            .map((i) => i.code)
            .join('; '),
          machines
            .filter((m) => m.tool_id === t.id)
            .map((m) => m.machine_code)
            .join('; '),
          activeCell(t.active),
        ];
      },
    ),
};
