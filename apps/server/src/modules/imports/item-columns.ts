import type { ImportRowError, ItemType, Tracking } from '@takt/contracts';
import { nearDuplicateKey, normaliseText, parseMoney, parseQty } from '@takt/domain';
import type { ItemsTable } from '../../platform/db/schema.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import { unitName } from '../items/item-uom.ts';
import { applyRule, type LoadedRule } from '../masterdata/code-rule.apply.ts';
import { unguard } from './csv.ts';
import { headerMatcher, YES_NO } from './sheet-columns.ts';

/** The columns of an item sheet, in export order; headers are bilingual, matching accepts either half. */
export const ITEM_COLUMNS = [
  { key: 'code', zh: '编码', en: 'Code', required: true },
  { key: 'name', zh: '名称', en: 'Name', required: true },
  { key: 'spec', zh: '规格', en: 'Spec', required: false },
  { key: 'type', zh: '类型', en: 'Type', required: true },
  { key: 'uom', zh: '单位', en: 'UoM', required: true },
  { key: 'tracking', zh: '追溯方式', en: 'Tracking', required: false },
  { key: 'safetyStock', zh: '安全库存', en: 'Safety stock', required: false },
  { key: 'standardCost', zh: '标准成本', en: 'Standard cost', required: false },
  { key: 'defaultWarehouse', zh: '默认仓库', en: 'Default warehouse', required: false },
  { key: 'purchaseLeadDays', zh: '采购提前期', en: 'Purchase lead days', required: false },
  { key: 'productionLeadDays', zh: '生产提前期', en: 'Production lead days', required: false },
  { key: 'minOrderQty', zh: '最小订购量', en: 'Min order qty', required: false },
  { key: 'orderMultiple', zh: '订购倍数', en: 'Order multiple', required: false },
  { key: 'active', zh: '启用', en: 'Active', required: false },
] as const;

export type ItemColumn = (typeof ITEM_COLUMNS)[number]['key'];
export const ITEM_HEADERS = ITEM_COLUMNS.map((c) => `${c.zh} ${c.en}`);
export const ITEM_EXAMPLE = [
  'RM-0001',
  '冷轧钢板',
  '1.0mm×1250',
  'raw',
  'kg',
  'lot',
  '500',
  '6.80',
  '',
  '7',
  '0',
  '1000',
  '100',
  'true',
];

const TYPES: Record<string, ItemType> = {
  raw: 'raw',
  原材料: 'raw',
  purchased: 'purchased',
  外购件: 'purchased',
  semi_finished: 'semi_finished',
  半成品: 'semi_finished',
  finished: 'finished',
  成品: 'finished',
  consumable: 'consumable',
  辅料: 'consumable',
  tool: 'tool',
  工装: 'tool',
};
const TRACKING: Record<string, Tracking> = {
  none: 'none',
  不追溯: 'none',
  无: 'none',
  lot: 'lot',
  批次: 'lot',
  serial: 'serial',
  序列号: 'serial',
};

/** Printable ASCII without spaces: text that normaliseText gives back unchanged (most cells of a sheet). */
const PLAIN = /^[!-~]*$/;
const normal = (text: string) => (PLAIN.test(text) ? text : normaliseText(text));

const squash = (text: string) =>
  normal(text)
    .toLowerCase()
    .replace(/[\s_()（）/-]/g, '');

export type HeaderMap = Partial<Record<ItemColumn, number>>;

const itemHeaders = headerMatcher(ITEM_COLUMNS);

/** Which position holds which column, whatever the order and language of the headers. */
export const matchHeaders = (cells: readonly string[]) =>
  itemHeaders(cells) as { map: HeaderMap; errors: ImportRowError[] };

/** What one valid row says: the columns it has, as stored values (code normalised, decimals exact). */
export type ItemFields = Partial<Omit<ItemsTable, 'id' | 'version' | 'created_at' | 'updated_at'>> & {
  code: string;
};

export interface RowContext {
  readonly rule: LoadedRule;
  readonly warehouses: ReadonlyMap<string, string>;
}

/** Validates every cell of one row; either the fields or every problem found in it. */
export function readItemRow(
  rowNo: number,
  cells: readonly string[],
  map: HeaderMap,
  ctx: RowContext,
): { fields: ItemFields; errors: null } | { fields: null; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const out: Partial<ItemFields> = {};
  const fail = (key: ItemColumn, value: string, message: string) =>
    errors.push({ row: rowNo, column: header(key), value, message });
  const cell = (key: ItemColumn): string | undefined => {
    const at = map[key];
    return at === undefined ? undefined : unguard((cells[at] ?? '').trim());
  };
  const text = (key: ItemColumn, max: number, required: boolean, set: (v: string) => void) => {
    const v = cell(key);
    if (v === undefined) return;
    if (v === '' && required) return fail(key, v, 'is required');
    // Characters, not UTF-16 units; a text of at most `max` units has at most `max` characters.
    if (v.length > max && [...v].length > max) return fail(key, v, `is longer than ${max} characters`);
    set(v);
  };
  const lookup = <T>(key: ItemColumn, table: Record<string, T>, what: string, set: (v: T) => void) => {
    const v = cell(key);
    if (v === undefined || v === '') return;
    // A label as written is looked up first: squashing a known label gives that label or no label.
    const hit = table[v] ?? table[squash(v)];
    if (hit === undefined) fail(key, v, `is not a known ${what}`);
    else set(hit);
  };
  const decimal = (key: ItemColumn, money: boolean, set: (v: number) => void) => {
    const v = cell(key);
    if (v === undefined || v === '') return;
    const plain = normal(v).replaceAll(',', '');
    const parsed = money ? parseMoney(plain) : parseQty(plain);
    if (!parsed.ok) return fail(key, v, parsed.message);
    if (parsed.value < 0) return fail(key, v, 'must not be negative');
    set(parsed.value);
  };
  const days = (key: ItemColumn, set: (v: number) => void) => {
    const v = cell(key);
    if (v === undefined || v === '') return;
    const n = Number(normal(v));
    if (!Number.isInteger(n) || n < 0 || n > 3650)
      return fail(key, v, 'must be a whole number of days, 0–3650');
    set(n);
  };

  const rawCode = cell('code') ?? '';
  if (rawCode === '') fail('code', rawCode, 'is required');
  else {
    try {
      out.code = applyRule(ctx.rule, rawCode);
    } catch (err) {
      fail('code', rawCode, (err as Error).message);
    }
  }
  text('name', 200, true, (v) => (out.name = v));
  text('spec', 200, false, (v) => (out.spec = v));
  if (cell('type') === '') fail('type', '', 'is required');
  lookup('type', TYPES, 'item type (原材料/外购件/半成品/成品/辅料/工装)', (v) => (out.type = v));
  text('uom', 16, true, (v) => (out.uom = unitName(v)));
  lookup('tracking', TRACKING, 'tracking (none/lot/serial, 不追溯/批次/序列号)', (v) => (out.tracking = v));
  decimal('safetyStock', false, (v) => (out.safety_stock = v));
  decimal('standardCost', true, (v) => (out.standard_cost = v));
  const wh = cell('defaultWarehouse');
  if (wh !== undefined) {
    if (wh === '') out.default_warehouse_id = null;
    else {
      const id = ctx.warehouses.get(normaliseText(wh, { upperCase: true, whitespace: 'remove' }));
      if (id) out.default_warehouse_id = id;
      else fail('defaultWarehouse', wh, 'is not the code of an active warehouse');
    }
  }
  days('purchaseLeadDays', (v) => (out.purchase_lead_days = v));
  days('productionLeadDays', (v) => (out.production_lead_days = v));
  decimal('minOrderQty', false, (v) => (out.min_order_qty = v));
  decimal('orderMultiple', false, (v) => (out.order_multiple = v));
  lookup('active', YES_NO, 'yes/no value (true/false, 是/否)', (v) => (out.active = v ? 1 : 0));
  if (errors.length > 0) return { fields: null, errors };
  return { fields: out as ItemFields, errors: null };
}

export function header(key: ItemColumn): string {
  const c = ITEM_COLUMNS.find((x) => x.key === key)!;
  return `${c.zh} ${c.en}`;
}

/** A new row from a valid import row, with the same defaults as creating an item by hand. */
export function newItemRow(fields: ItemFields, id: string, now: string): ItemsTable {
  const row: ItemsTable = {
    id,
    name: '',
    spec: '',
    type: 'raw',
    uom: '',
    safety_stock: 0,
    standard_cost: 0,
    tracking: 'none',
    default_warehouse_id: null,
    purchase_lead_days: 0,
    production_lead_days: 0,
    min_order_qty: 0,
    order_multiple: 0,
    dup_key: '',
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
    ...fields,
  };
  row.dup_key = nearDuplicateKey(row.name, row.spec);
  return row;
}

/** One exported line, in ITEM_COLUMNS order. */
export function itemCells(row: ItemsTable, warehouseCodes: ReadonlyMap<string, string>): string[] {
  return [
    row.code,
    row.name,
    row.spec,
    row.type,
    row.uom,
    row.tracking,
    formatQty(Number(row.safety_stock)),
    formatMoney(Number(row.standard_cost)),
    row.default_warehouse_id ? (warehouseCodes.get(row.default_warehouse_id) ?? '') : '',
    String(row.purchase_lead_days),
    String(row.production_lead_days),
    formatQty(Number(row.min_order_qty)),
    formatQty(Number(row.order_multiple)),
    row.active === 1 ? 'true' : 'false',
  ];
}
