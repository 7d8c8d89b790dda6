import type { Contact } from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import type { CustomersTable, SupplierItemsTable, SuppliersTable } from '../../platform/db/schema.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import { customerSpec } from '../customers/customer.service.ts';
import { type LoadedRule, loadRule } from '../masterdata/code-rule.service.ts';
import { type CustomCellValues, customCells, mergeCustomValues } from '../masterdata/custom-fields.sheet.ts';
import { supplierSpec } from '../suppliers/supplier.service.ts';
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
import type { SheetSpec } from './sheet-import.ts';
import { byCode, inBatches, orderedByCode, replaceChildren, stamps } from './sheet-records.ts';
import type { RowReader, SheetColumn } from './sheet-spec.ts';

/**
 * Customers and suppliers. A record may take several rows with the same code: the first row gives
 * the record's fields and custom field values, each row adds one contact (and, for suppliers, one
 * supplied item with its price). An export writes them the same way.
 */
const TIERS: Record<string, 'A' | 'B' | 'C'> = { a: 'A', b: 'B', c: 'C' };
const CONTACT_COLUMNS: SheetColumn[] = [
  { key: 'contact', zh: '联系人', en: 'Contact', width: 12 },
  { key: 'phone', zh: '电话', en: 'Phone', width: 16 },
  { key: 'email', zh: '邮箱', en: 'Email', width: 22 },
];
const CONTACT_KEYS = ['contact', 'phone', 'email'];

/** The contact on this row, if any; undefined when the file has no contact columns at all. */
function readContact(r: RowReader): Contact[] | undefined {
  if (r.cell('contact') === undefined && r.cell('phone') === undefined) return undefined;
  if (!r.any(CONTACT_KEYS)) return [];
  const name = r.text('contact', 100);
  if (!name) {
    r.fail('contact', '', 'is required when a phone or email is given');
    return [];
  }
  const phone = r.text('phone', 40);
  const email = r.text('email', 200);
  return [{ name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) }];
}

const contactCells = (c: Contact | undefined) => [c?.name ?? '', c?.phone ?? '', c?.email ?? ''];

type PartyRow = Pick<
  CustomersTable,
  'name' | 'dup_key' | 'address' | 'active' | 'contacts' | 'custom_fields' | 'updated_at'
>;

interface PartyFields<Row> {
  code: string;
  row: Partial<Row>;
  contacts: Contact[] | undefined;
  custom: CustomCellValues;
}

/** Stored custom values after a row's: new records start empty, updates change only the columns sent. */
function customChange(before: { custom_fields?: string } | null, custom: CustomCellValues) {
  if (before && Object.keys(custom).length === 0) return {};
  return { custom_fields: mergeCustomValues(before?.custom_fields ?? null, custom) };
}

/** The name with the key that finds near-duplicate names. */
function readPartyName(r: RowReader, row: { name?: string; dup_key?: string }) {
  const name = readName(r, row);
  if (name !== undefined) row.dup_key = nearDuplicateKey(name);
}

/** What an import stores on a new customer or supplier after its defaults and the row's fields. */
function newParty<Row>(f: PartyFields<Row>, now: string) {
  return {
    ...customChange(null, f.custom),
    code: f.code,
    contacts: JSON.stringify(f.contacts ?? []),
    ...stamps(now),
  };
}

/** An update's changes: the row's fields, custom values sent, contacts when the file has them. */
function partyChanges<Row extends PartyRow>(before: Row, fields: PartyFields<Row>, now: string) {
  const changes: Partial<Row> = { ...fields.row, ...customChange(before, fields.custom), updated_at: now };
  if (fields.contacts) changes.contacts = JSON.stringify(fields.contacts);
  return changes;
}

function mergeContacts(
  first: { contacts: Contact[] | undefined },
  next: { contacts: Contact[] | undefined },
  r: RowReader,
) {
  if (!first.contacts || !next.contacts) return;
  first.contacts.push(...next.contacts);
  if (first.contacts.length > 20) r.fail('contact', next.contacts[0]?.name ?? '', 'more than 20 contacts');
}

// Customers

type CustomerFields = PartyFields<CustomersTable>;

export const customerSheet: SheetSpec<CustomerFields, CustomersTable, LoadedRule> = {
  entity: 'customers',
  noun: 'customer',
  sheetName: 'Customers 客户',
  keyColumn: 'code',
  customFields: 'customers',
  columns: [
    CODE_COLUMN,
    nameColumn(28),
    { key: 'tier', zh: '等级', en: 'Tier', width: 8 },
    ADDRESS_COLUMN,
    ...CONTACT_COLUMNS,
    ACTIVE_COLUMN,
  ],
  example: [
    [
      'C-0001',
      '华东机械有限公司',
      'A',
      '苏州市工业园区星湖街 1 号',
      '王经理',
      '0512-66668888',
      'wang@example.com',
      'true',
    ],
  ],
  load: (db) => loadRule(db.kysely, 'customers'),
  read(r, rule, custom) {
    const code = r.code('code', rule);
    const row: Partial<CustomersTable> = {};
    readPartyName(r, row);
    const tier = r.choice('tier', TIERS, 'tier (A/B/C)');
    if (tier) row.tier = tier;
    setGiven(row, 'address', r.text('address', 300));
    readActive(r, row);
    const contacts = readContact(r);
    return code ? { key: code, fields: { code, row, contacts, custom } } : null;
  },
  merge: mergeContacts,
  existing: (db, keys) => byCode<CustomersTable>(db, 'customers', keys),
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, customerSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        dup_key: '',
        tier: 'B',
        address: '',
        active: 1,
        ...f.row,
        ...newParty(f, now),
      }),
      changes: (before, fields) => partyChanges(before, fields, now),
    }),
  async *rows(db, custom) {
    for await (const c of orderedByCode<CustomersTable>(db, 'customers')) {
      const contacts = JSON.parse(c.contacts) as Contact[];
      for (let i = 0; i < Math.max(1, contacts.length); i++) {
        yield [
          c.code,
          c.name,
          c.tier,
          c.address,
          ...contactCells(contacts[i]),
          activeCell(c.active),
          ...customCells(c.custom_fields, custom),
        ];
      }
    }
  },
};

// Suppliers

interface SupplierFields extends PartyFields<SuppliersTable> {
  items: Omit<SupplierItemsTable, 'id' | 'supplier_id'>[] | undefined;
  itemRows: Map<string, number>;
}

interface SupplierContext {
  readonly rule: LoadedRule;
  readonly items: ReadonlyMap<string, string>;
}

const ITEM_KEYS = ['itemCode', 'partNo', 'price', 'currency', 'itemLeadDays', 'moq'];

function readSupplied(r: RowReader, items: ReadonlyMap<string, string>): SupplierFields['items'] {
  if (r.cell('itemCode') === undefined) return undefined;
  if (!r.any(ITEM_KEYS)) return [];
  const itemId = r.ref('itemCode', items, 'item');
  if (r.cell('itemCode') === '') r.fail('itemCode', '', 'is required when a price or part number is given');
  const price = r.decimal('price', 'money');
  if (price === undefined && (r.cell('price') ?? '') === '')
    r.fail('price', '', 'is required for a supplied item');
  const currency = (r.text('currency', 3) ?? '').toUpperCase() || 'CNY';
  if (!/^[A-Z]{3}$/.test(currency)) r.fail('currency', currency, 'is not a three-letter currency code');
  const leadDays = r.int('itemLeadDays', 0, 3650);
  const moq = r.decimal('moq', 'qty') ?? 0;
  if (!itemId || price === undefined) return [];
  return [
    {
      item_id: itemId,
      supplier_part_no: r.text('partNo', 60) ?? '',
      price,
      currency,
      lead_days: leadDays ?? null,
      moq,
    },
  ];
}

export const supplierSheet: SheetSpec<SupplierFields, SuppliersTable, SupplierContext> = {
  entity: 'suppliers',
  noun: 'supplier',
  sheetName: 'Suppliers 供应商',
  keyColumn: 'code',
  customFields: 'suppliers',
  columns: [
    CODE_COLUMN,
    nameColumn(28),
    { key: 'leadDays', zh: '交货期', en: 'Lead days', width: 10 },
    ADDRESS_COLUMN,
    ...CONTACT_COLUMNS,
    ACTIVE_COLUMN,
    { key: 'itemCode', zh: '供货物料', en: 'Item code', width: 16 },
    { key: 'partNo', zh: '供应商料号', en: 'Supplier part no', width: 16 },
    { key: 'price', zh: '单价', en: 'Price', width: 12 },
    { key: 'currency', zh: '币种', en: 'Currency', width: 8 },
    { key: 'itemLeadDays', zh: '物料交货期', en: 'Item lead days', width: 10 },
    { key: 'moq', zh: '最小订购量', en: 'MOQ', width: 12 },
  ],
  example: [
    [
      'S-0001',
      '宝钢供应链',
      '7',
      '上海市宝山区',
      '李工',
      '021-55556666',
      'li@example.com',
      'true',
      'RM-0001',
      'BG-1250',
      '6.80',
      'CNY',
      '5',
      '1000',
    ],
  ],
  async load(db) {
    const rows = await db.kysely.selectFrom('items').select(['id', 'code']).where('active', '=', 1).execute();
    return { rule: await loadRule(db.kysely, 'suppliers'), items: new Map(rows.map((i) => [i.code, i.id])) };
  },
  read(r, c, custom) {
    const code = r.code('code', c.rule);
    const row: Partial<SuppliersTable> = {};
    readPartyName(r, row);
    setGiven(row, 'lead_days', r.int('leadDays', 0, 3650));
    setGiven(row, 'address', r.text('address', 300));
    readActive(r, row);
    const contacts = readContact(r);
    const items = readSupplied(r, c.items);
    const itemRows = new Map<string, number>();
    for (const i of items ?? []) itemRows.set(i.item_id, r.rowNo);
    return code ? { key: code, fields: { code, row, contacts, custom, items, itemRows } } : null;
  },
  merge(first, next, r) {
    mergeContacts(first, next, r);
    if (!first.items || !next.items) return;
    for (const i of next.items) {
      const seen = first.itemRows.get(i.item_id);
      if (seen !== undefined)
        r.fail('itemCode', r.cell('itemCode') ?? '', `is listed for this supplier on row ${seen} too`);
      else {
        first.itemRows.set(i.item_id, r.rowNo);
        first.items.push(i);
      }
    }
  },
  existing: (db, keys) => byCode<SuppliersTable>(db, 'suppliers', keys),
  write: (tx, ctx, plan, { now }) =>
    writePlan(tx, ctx, supplierSpec, plan, now, {
      create: (f) => ({
        id: bulkId(),
        name: '',
        dup_key: '',
        lead_days: 0,
        address: '',
        active: 1,
        ...f.row,
        ...newParty(f, now),
      }),
      changes: (before, fields) => partyChanges(before, fields, now),
      children: (id, f) => async () => {
        if (f.items)
          await replaceChildren(
            tx,
            'supplier_items',
            'supplier_id',
            id,
            f.items.map((i) => ({ ...i, id: bulkId(), supplier_id: id })),
          );
      },
    }),
  rows: (db, custom) =>
    inBatches(
      orderedByCode<SuppliersTable>(db, 'suppliers', 500),
      500,
      (batch) =>
        db.kysely
          .selectFrom('supplier_items as s')
          .innerJoin('items as i', 'i.id', 's.item_id')
          .select([
            's.supplier_id',
            'i.code',
            's.supplier_part_no',
            's.price',
            's.currency',
            's.lead_days',
            's.moq',
          ])
          .where(
            's.supplier_id',
            'in',
            batch.map((b) => b.id),
          )
          .orderBy('i.code')
          .execute(),
      function* (s, lines) {
        const contacts = JSON.parse(s.contacts) as Contact[];
        const items = lines.filter((l) => l.supplier_id === s.id);
        for (let i = 0; i < Math.max(1, contacts.length, items.length); i++) {
          const it = items[i];
          yield [
            s.code,
            s.name,
            String(s.lead_days),
            s.address,
            ...contactCells(contacts[i]),
            activeCell(s.active),
            it?.code ?? '',
            it?.supplier_part_no ?? '',
            it ? formatMoney(Number(it.price)) : '',
            it?.currency ?? '',
            it?.lead_days == null ? '' : String(it.lead_days),
            it ? formatQty(Number(it.moq)) : '',
            ...customCells(s.custom_fields, custom),
          ];
        }
      },
    ),
};
