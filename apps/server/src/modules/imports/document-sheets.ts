import type { ImportRowError } from '@takt/contracts';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import type {
  BomLinesTable,
  BomsTable,
  RoutingAlternativesTable,
  RoutingOperationsTable,
  RoutingsTable,
} from '../../platform/db/schema.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import { assertNoCycle, audited as bomAudited } from '../boms/bom.service.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import * as routingRepo from '../routings/routing.service.ts';
import { audited as routingAudited } from '../routings/routing.service.ts';
import {
  checkOperations,
  findOperationCycle,
  formatRunMinutes,
  parseRunMinutes,
  resolvePredecessors,
} from '../routings/routing.rules.ts';
import { bulkId } from './bulk-ids.ts';
import {
  ALTERNATIVES_COLUMN,
  type AlternativeCell,
  alternativesCell,
  readAlternatives,
  sameOperations,
} from './routing-alternatives.ts';
import { pages, type SheetSpec } from './sheet-import.ts';
import { inBatches } from './sheet-records.ts';
import { codeKey, type RowReader } from './sheet-spec.ts';

/**
 * BOM lines and routing operations: one row per line or operation, headed by the parent item code
 * and version label; rows with the same item and version make one BOM or routing. An import creates
 * draft versions, or (upsert) replaces the lines of an existing draft; released versions are refused.
 */
interface ItemRef {
  id: string;
  code: string;
}

async function itemRefs(db: Db): Promise<Map<string, ItemRef>> {
  const rows = await db.kysely.selectFrom('items').select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

interface Header {
  item: ItemRef;
  label: string;
  from: string | null | undefined;
  to: string | null | undefined;
}

function readHeader(r: RowReader, items: ReadonlyMap<string, ItemRef>): Header | null {
  const raw = r.cell('item') ?? '';
  if (raw === '') r.fail('item', '', 'is required');
  const item = raw === '' ? undefined : items.get(codeKey(raw));
  if (raw !== '' && !item) r.fail('item', raw, 'is not the code of an existing item');
  const label = r.text('version', 40, true);
  if (label?.includes('\t')) r.fail('version', label, 'must not contain a tab');
  if (label === undefined && r.cell('version') === undefined) r.fail('version', '', 'is required');
  const from = r.date('effectiveFrom');
  const to = r.date('effectiveTo');
  if (from && to && to < from) r.fail('effectiveTo', to, 'must not be before the effective-from date');
  if (!item || !label) return null;
  return { item, label, from, to };
}

/** Item code and version label; a tab cannot occur in either. */
const headerKey = (h: Header) => `${h.item.code}\t${h.label}`;

function keyOf(row: BomsTable): string {
  return `${row.item_code}\t${row.version_label}`;
}

async function headers(db: Db, table: 'boms' | 'routings', keys: readonly string[]) {
  const out = new Map<string, BomsTable>();
  const wanted = new Set(keys);
  const codes = [...new Set(keys.map((k) => k.slice(0, k.indexOf('\t'))))];
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db.kysely
      .selectFrom(table)
      .selectAll()
      .where('item_code', 'in', codes.slice(i, i + 500))
      .execute();
    for (const row of rows) if (wanted.has(keyOf(row))) out.set(keyOf(row), row);
  }
  return out;
}

const refuseReleased = (noun: string) => (before: BomsTable) =>
  before.status === 'draft'
    ? null
    : `${noun} ${before.item_code} ${before.version_label} is ${before.status}; import into a draft version instead`;

function newHeader(h: Header, now: string): BomsTable {
  return {
    id: bulkId(),
    item_id: h.item.id,
    item_code: h.item.code,
    version_label: h.label,
    effective_from: h.from ?? null,
    effective_to: h.to ?? null,
    status: 'draft',
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

async function updateHeader(
  tx: Tx,
  table: 'boms' | 'routings',
  label: string,
  before: BomsTable,
  h: Header,
  now: string,
) {
  const changes: Partial<BomsTable> = { updated_at: now, version: before.version + 1 };
  if (h.from !== undefined) changes.effective_from = h.from;
  if (h.to !== undefined) changes.effective_to = h.to;
  const after = await tx
    .updateTable(table)
    .set(changes)
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .returningAll()
    .executeTakeFirst();
  if (!after) throw staleVersion(label, before.item_code, before.version + 1);
  return after;
}

const HEADER_COLUMNS = [
  { key: 'item', zh: '父项物料', en: 'Item', required: true, width: 16 },
  { key: 'version', zh: '版本', en: 'Version', required: true, width: 10 },
  { key: 'effectiveFrom', zh: '生效日期', en: 'Effective from', width: 12 },
  { key: 'effectiveTo', zh: '失效日期', en: 'Effective to', width: 12 },
] as const;

const dateCell = (d: string | null) => d ?? '';

/** Every BOM or routing header in item code and version order, read in keyset pages. */
function versionPages<R extends BomsTable>(db: Db, table: 'boms' | 'routings') {
  return pages<R>(async (after, limit) => {
    let q = db.kysely
      .selectFrom(table as 'boms')
      .selectAll()
      .orderBy('item_code')
      .orderBy('version_label')
      .limit(limit);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('item_code', '>', after.item_code),
          eb.and([eb('item_code', '=', after.item_code), eb('version_label', '>', after.version_label)]),
        ]),
      );
    return (await q.execute()) as R[];
  }, 200);
}

// BOM lines

interface BomFields {
  header: Header;
  lines: (Omit<BomLinesTable, 'id' | 'bom_id'> & { rowNo: number })[];
}

export const bomSheet: SheetSpec<BomFields, BomsTable, ReadonlyMap<string, ItemRef>> = {
  entity: 'boms',
  noun: 'BOM',
  sheetName: 'BOM lines 物料清单',
  keyColumn: 'version',
  keyName: 'item and version',
  showKey: (key) => key.replace('\t', ' '),
  columns: [
    ...HEADER_COLUMNS,
    { key: 'position', zh: '行号', en: 'Position', width: 8 },
    { key: 'component', zh: '子项物料', en: 'Component', required: true, width: 16 },
    { key: 'qtyPer', zh: '用量', en: 'Qty per', required: true, width: 10 },
    { key: 'scrap', zh: '损耗率%', en: 'Scrap %', width: 10 },
    { key: 'operationSeq', zh: '工序号', en: 'Operation seq', width: 10 },
  ],
  example: [
    ['FG-100100', 'V1', '2026-01-01', '', '10', 'RM-0001', '1.25', '2.5', '10'],
    ['FG-100100', 'V1', '2026-01-01', '', '20', 'PP-0001', '4', '0', '20'],
  ],
  load: itemRefs,
  read(r, items) {
    const header = readHeader(r, items);
    const rawComponent = r.cell('component') ?? '';
    const component = rawComponent === '' ? undefined : items.get(codeKey(rawComponent));
    if (rawComponent === '') r.fail('component', '', 'is required');
    else if (!component) r.fail('component', rawComponent, 'is not the code of an existing item');
    const qty = r.decimal('qtyPer', 'qty');
    if (qty === undefined && (r.cell('qtyPer') ?? '') === '') r.fail('qtyPer', '', 'is required');
    else if (qty === 0) r.fail('qtyPer', r.cell('qtyPer') ?? '', 'must be greater than 0');
    const scrap = r.decimal('scrap', 'money') ?? 0;
    if (scrap > 100_000) r.fail('scrap', r.cell('scrap') ?? '', 'must be at most 1000 %');
    const position = r.int('position', 1, 99_999);
    const op = r.int('operationSeq', 1, 9999);
    if (!header || !component || !qty) return null;
    if (component.id === header.item.id) r.fail('component', rawComponent, 'is the parent item itself');
    return {
      key: headerKey(header),
      fields: {
        header,
        lines: [
          {
            rowNo: r.rowNo,
            position: position ?? 10,
            component_item_id: component.id,
            component_code: component.code,
            qty_per: qty,
            scrap_bp: scrap,
            operation_seq: op ?? null,
          },
        ],
      },
    };
  },
  merge(first, next, r) {
    const line = next.lines[0]!;
    if (r.cell('position') === undefined || r.cell('position') === '')
      line.position = (first.lines.length + 1) * 10;
    const clash = first.lines.find((l) => l.position === line.position);
    if (clash) r.fail('position', String(line.position), `is used on row ${clash.rowNo} too`);
    else first.lines.push(line);
  },
  existing: (db, keys) => headers(db, 'boms', keys),
  refuse: refuseReleased('BOM'),
  async write(tx, ctx, plan, { now }) {
    const lineRows = (bomId: string, f: BomFields): BomLinesTable[] =>
      f.lines.map(({ rowNo: _, ...l }) => ({ ...l, id: bulkId(), bom_id: bomId }));
    for (const f of plan.inserts) {
      const row = newHeader(f.header, now);
      const lines = lineRows(row.id, f);
      await assertNoCycle(tx, row.item_id, row.item_code, lines);
      await tx.insertInto('boms').values(row).execute();
      await tx.insertInto('bom_lines').values(lines).execute();
      await bomAudited(tx, ctx, 'bom.created', 'create', null, row, lines);
    }
    for (const { before, fields } of plan.updates) {
      const lines = lineRows(before.id, fields);
      await assertNoCycle(tx, before.item_id, before.item_code, lines);
      const after = await updateHeader(tx, 'boms', 'BOM', before, fields.header, now);
      await tx.deleteFrom('bom_lines').where('bom_id', '=', before.id).execute();
      await tx.insertInto('bom_lines').values(lines).execute();
      await bomAudited(tx, ctx, 'bom.updated', 'update', before, after, lines);
    }
  },
  rows: (db) =>
    inBatches(
      versionPages<BomsTable>(db, 'boms'),
      200,
      (batch) =>
        db.kysely
          .selectFrom('bom_lines')
          .selectAll()
          .where(
            'bom_id',
            'in',
            batch.map((b) => b.id),
          )
          .orderBy('position')
          .execute(),
      function* (b, lines) {
        const head = [b.item_code, b.version_label, dateCell(b.effective_from), dateCell(b.effective_to)];
        for (const l of lines.filter((x) => x.bom_id === b.id))
          yield [
            ...head,
            String(l.position),
            l.component_code,
            formatQty(Number(l.qty_per)),
            formatMoney(l.scrap_bp),
            l.operation_seq === null ? '' : String(l.operation_seq),
          ];
      },
    ),
};

// Routing operations

type OpRow = Omit<
  RoutingOperationsTable,
  'id' | 'routing_id' | 'predecessors' | 'instructions_url' | 'drawing_url'
> & {
  rowNo: number;
  preds: number[] | undefined;
  /** Undefined when the file has no alternatives column: an upsert keeps the operation's own. */
  alts: AlternativeCell[] | undefined;
};

interface RoutingFields {
  header: Header;
  ops: OpRow[];
}

interface RoutingContext {
  readonly items: ReadonlyMap<string, ItemRef>;
  readonly workCenters: ReadonlyMap<string, string>;
  readonly machines: ReadonlyMap<string, string>;
}

const NO_PREDECESSORS = new Set(['-', '—', 'none', '无', 'start', '开始']);

function readPredecessors(r: RowReader): number[] | undefined {
  const v = r.cell('predecessors');
  if (v === undefined || v === '') return undefined;
  if (NO_PREDECESSORS.has(v.toLowerCase())) return [];
  const out: number[] = [];
  for (const part of v.split(/[;；,，\s]+/)) {
    if (part === '') continue;
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 9999)
      r.fail('predecessors', v, 'is not a list of operation numbers (10; 20) or "-"');
    else out.push(n);
  }
  return out;
}

export const routingSheet: SheetSpec<RoutingFields, RoutingsTable, RoutingContext> = {
  entity: 'routings',
  noun: 'routing',
  sheetName: 'Routing operations 工艺路线',
  keyColumn: 'version',
  keyName: 'item and version',
  showKey: (key) => key.replace('\t', ' '),
  columns: [
    ...HEADER_COLUMNS,
    { key: 'seq', zh: '工序号', en: 'Seq', required: true, width: 8 },
    { key: 'name', zh: '工序名称', en: 'Operation', required: true, width: 16 },
    { key: 'workCenter', zh: '工作中心', en: 'Work center', required: true, width: 14 },
    { key: 'setup', zh: '准备时间(分)', en: 'Setup min', width: 10 },
    { key: 'run', zh: '单件工时(分)', en: 'Run min per unit', required: true, width: 12 },
    { key: 'transferBatch', zh: '转移批量', en: 'Transfer batch', width: 10 },
    { key: 'skill', zh: '技能', en: 'Skill', width: 10 },
    { key: 'skillLevel', zh: '技能等级', en: 'Skill level', width: 8 },
    { key: 'tool', zh: '工装', en: 'Tool', width: 12 },
    { key: 'wait', zh: '等待时间(分)', en: 'Wait min', width: 10 },
    { key: 'overlap', zh: '可重叠', en: 'Overlap', width: 8 },
    { key: 'inspection', zh: '首检', en: 'Inspection', width: 8 },
    { key: 'predecessors', zh: '前序工序', en: 'Predecessors', width: 12 },
    ALTERNATIVES_COLUMN,
  ],
  example: [
    [
      'FG-100100',
      'V1',
      '',
      '',
      '10',
      '下料',
      'WC-SAW',
      '15',
      '0.5',
      '',
      '',
      '',
      '',
      '0',
      'false',
      'false',
      '-',
      '',
    ],
    [
      'FG-100100',
      'V1',
      '',
      '',
      '20',
      '车削',
      'WC-CNC',
      '30',
      '2.25',
      '50',
      'CNC',
      '3',
      'MD-0001',
      '0',
      'true',
      'true',
      '10',
      'CNC-02:2.5; CNC-03:2.75:20:1',
    ],
  ],
  async load(db) {
    const centers = await db.kysely.selectFrom('work_centers').select(['id', 'code']).execute();
    const machines = await db.kysely.selectFrom('machines').select(['id', 'code']).execute();
    return {
      items: await itemRefs(db),
      workCenters: new Map(centers.map((w) => [w.code, w.id])),
      machines: new Map(machines.map((m) => [m.code, m.id])),
    };
  },
  read(r, c) {
    const header = readHeader(r, c.items);
    const seq = r.int('seq', 1, 9999);
    if (seq === undefined && (r.cell('seq') ?? '') === '') r.fail('seq', '', 'is required');
    const name = r.text('name', 100, true);
    if ((r.cell('workCenter') ?? '') === '') r.fail('workCenter', '', 'is required');
    const wc = r.ref('workCenter', c.workCenters, 'work center');
    const setup = r.int('setup', 0, 100_000) ?? 0;
    const runText = r.cell('run') ?? '';
    let run: number | undefined;
    if (runText === '') r.fail('run', '', 'is required');
    else if (!/^\d{1,7}(\.\d{1,3})?$/.test(runText))
      r.fail('run', runText, 'is not minutes with up to 3 decimals');
    else run = parseRunMinutes(runText);
    const batch = r.decimal('transferBatch', 'qty');
    if (batch === 0) r.fail('transferBatch', r.cell('transferBatch') ?? '', 'must be greater than 0');
    const skill = r.text('skill', 40);
    const skillLevel = r.int('skillLevel', 1, 9);
    const tool = r.text('tool', 40);
    const wait = r.int('wait', 0, 100_000) ?? 0;
    const overlap = r.bool('overlap') ?? false;
    const inspection = r.bool('inspection') ?? false;
    const preds = readPredecessors(r);
    const alts = readAlternatives(r, c.machines, run);
    if (!header || seq === undefined || !name || !wc || run === undefined) return null;
    return {
      key: headerKey(header),
      fields: {
        header,
        ops: [
          {
            rowNo: r.rowNo,
            seq,
            name,
            work_center_id: wc,
            setup_minutes: setup,
            run_mmin: run,
            transfer_batch: batch ?? null,
            skill_code: skill || null,
            skill_level: skillLevel ?? null,
            tool_code: tool ? tool.toUpperCase() : null,
            wait_minutes: wait,
            overlap: overlap ? 1 : 0,
            inspection: inspection ? 1 : 0,
            preds,
            alts,
          },
        ],
      },
    };
  },
  merge(first, next) {
    first.ops.push(...next.ops);
  },
  complete(f) {
    const shapes = f.ops.map((o) => ({ seq: o.seq, predecessors: o.preds }));
    const preds = resolvePredecessors(shapes);
    const errors: ImportRowError[] = [];
    const at = (field: string) => f.ops[Number(/\/operations\/(\d+)/.exec(field)?.[1] ?? 0)]!;
    for (const p of checkOperations(shapes, preds)) {
      const op = at(p.field);
      const column = p.field.includes('/seq') ? '工序号 Seq' : '前序工序 Predecessors';
      errors.push({
        row: op.rowNo,
        column,
        value: p.field.includes('/seq') ? String(op.seq) : (op.preds ?? []).join('; '),
        message: p.message,
      });
    }
    if (errors.length === 0) {
      const cycle = findOperationCycle(shapes, preds);
      if (cycle) {
        const op = f.ops.find((o) => o.seq === cycle[0])!;
        errors.push({
          row: op.rowNo,
          column: '前序工序 Predecessors',
          value: (op.preds ?? []).join('; '),
          message: `operations wait for each other in a cycle: ${cycle.join(' → ')}`,
        });
      }
    }
    f.ops.forEach((o, i) => {
      o.preds = preds[i];
    });
    return errors;
  },
  existing: (db, keys) => headers(db, 'routings', keys),
  refuse: refuseReleased('Routing'),
  async write(tx, ctx, plan, { now }) {
    /**
     * The rows of a routing's operations. The sheet has no link columns, so an operation keeps the
     * links of the stored operation with its seq, and its alternatives too when the file has no
     * alternatives column.
     */
    const build = (routingId: string, f: RoutingFields, old?: routingRepo.Operations) => {
      const ops: Selectable<RoutingOperationsTable>[] = [];
      const alts: RoutingAlternativesTable[] = [];
      for (const { rowNo: _, preds, alts: given, ...o } of [...f.ops].sort((a, b) => a.seq - b.seq)) {
        const id = bulkId();
        const was = old?.ops.find((x) => x.seq === o.seq);
        ops.push({
          ...o,
          id,
          routing_id: routingId,
          predecessors: JSON.stringify(preds ?? []),
          instructions_url: was?.instructions_url ?? null,
          drawing_url: was?.drawing_url ?? null,
        });
        const mine = given ?? (was ? (old?.alts ?? []).filter((a) => a.operation_id === was.id) : []);
        for (const a of mine)
          alts.push({
            id: bulkId(),
            operation_id: id,
            machine_id: a.machine_id,
            run_mmin: Number(a.run_mmin),
            setup_minutes: a.setup_minutes,
            priority: Number(a.priority),
          });
      }
      return { ops, alts };
    };
    for (const f of plan.inserts) {
      const row = newHeader(f.header, now);
      const ops = build(row.id, f);
      await tx.insertInto('routings').values(row).execute();
      await tx.insertInto('routing_operations').values(ops.ops).execute();
      if (ops.alts.length > 0) await tx.insertInto('routing_alternatives').values(ops.alts).execute();
      await routingAudited(tx, ctx, 'routing.created', 'create', null, row, ops);
    }
    for (const { before, fields } of plan.updates) {
      const old = await routingRepo.operationsOf(tx, [before.id]);
      const ops = build(before.id, fields, old);
      const { from, to } = fields.header;
      const sameDates =
        (from === undefined || from === before.effective_from) &&
        (to === undefined || to === before.effective_to);
      if (sameDates && sameOperations(old, ops)) continue;
      const after = await updateHeader(tx, 'routings', 'Routing', before, fields.header, now);
      await routingRepo.replaceOperations(tx, before.id, ops.ops, ops.alts);
      await routingAudited(tx, ctx, 'routing.updated', 'update', before, after, ops);
    }
  },
  async *rows(db) {
    const codes = async (table: 'work_centers' | 'machines') =>
      new Map(
        (await db.kysely.selectFrom(table).select(['id', 'code']).execute()).map((w) => [w.id, w.code]),
      );
    const centers = await codes('work_centers');
    const machines = await codes('machines');
    const all = versionPages<RoutingsTable>(db, 'routings');
    let batch: RoutingsTable[] = [];
    const flush = async function* () {
      const ops =
        batch.length === 0
          ? []
          : await db.kysely
              .selectFrom('routing_operations')
              .selectAll()
              .where(
                'routing_id',
                'in',
                batch.map((b) => b.id),
              )
              .orderBy('seq')
              .execute();
      const alts =
        ops.length === 0
          ? []
          : await db.kysely
              .selectFrom('routing_alternatives as a')
              .innerJoin('routing_operations as o', 'o.id', 'a.operation_id')
              .selectAll('a')
              .where(
                'o.routing_id',
                'in',
                batch.map((b) => b.id),
              )
              .orderBy('a.priority')
              .orderBy('a.id')
              .execute();
      for (const b of batch) {
        const head = [b.item_code, b.version_label, dateCell(b.effective_from), dateCell(b.effective_to)];
        for (const o of ops.filter((x) => x.routing_id === b.id)) {
          const preds = JSON.parse(o.predecessors) as number[];
          yield [
            ...head,
            String(o.seq),
            o.name,
            centers.get(o.work_center_id) ?? '',
            String(o.setup_minutes),
            formatRunMinutes(Number(o.run_mmin)),
            o.transfer_batch === null ? '' : formatQty(Number(o.transfer_batch)),
            o.skill_code ?? '',
            o.skill_level === null ? '' : String(o.skill_level),
            o.tool_code ?? '',
            String(o.wait_minutes),
            o.overlap === 1 ? 'true' : 'false',
            o.inspection === 1 ? 'true' : 'false',
            preds.length === 0 ? '-' : preds.join('; '),
            alternativesCell(
              alts.filter((a) => a.operation_id === o.id),
              machines,
            ),
          ];
        }
      }
      batch = [];
    };
    for await (const b of all) {
      batch.push(b);
      if (batch.length === 200) yield* flush();
    }
    yield* flush();
  },
};
