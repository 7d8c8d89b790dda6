import type {
  Contact,
  PageOf,
  Supplier,
  SupplierCreate,
  SupplierItemInput,
  SupplierListQuery,
  SupplierUpdate,
} from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, SupplierItemsTable, SuppliersTable } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatMoney, formatQty, parseMoneyField, parseQtyField } from '../../platform/units.ts';
import { cleanContacts } from '../customers/customer.service.ts';
import { itemsByIds } from '../items/item.service.ts';
import { checkCode } from '../masterdata/code-rule.service.ts';
import { checkCustomFields, customFieldsOf } from '../masterdata/custom-fields.service.ts';
import { createRecord, deleteRecord, getRecord, type RecordSpec, updateRecord } from '../masterdata/crud.ts';
import * as repo from './supplier.repo.ts';

/**
 * Suppliers and what they supply: per item the supplier's part number, price (exact, in the
 * given currency, CNY by default), lead time and minimum order quantity.
 */
type Q = Kysely<Database> | Tx;

async function toSuppliers(db: Q, rows: readonly SuppliersTable[]): Promise<Supplier[]> {
  const links = await repo.suppliedItems(
    db,
    rows.map((r) => r.id),
  );
  const items = new Map(
    (
      await itemsByIds(
        db,
        links.map((l) => l.item_id),
      )
    ).map((i) => [i.id, i]),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    leadDays: r.lead_days,
    contacts: JSON.parse(r.contacts) as Contact[],
    address: r.address,
    items: links
      .filter((l) => l.supplier_id === r.id)
      .map((l) => ({
        itemId: l.item_id,
        itemCode: items.get(l.item_id)?.code ?? '',
        itemName: items.get(l.item_id)?.name ?? '',
        supplierPartNo: l.supplier_part_no,
        price: formatMoney(Number(l.price)),
        currency: l.currency,
        leadDays: l.lead_days,
        moq: formatQty(Number(l.moq)),
      })),
    customFields: customFieldsOf(r.custom_fields),
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export const supplierSpec: RecordSpec<SuppliersTable, Supplier> = {
  entity: 'supplier',
  label: 'Supplier',
  repo: repo.suppliers,
  async dto(db, row) {
    return (await toSuppliers(db, [row]))[0]!;
  },
};

/** Parses the supplied-item lines; every item must exist and appear once. */
async function suppliedRows(tx: Tx, supplierId: string, input: readonly SupplierItemInput[]) {
  const known = new Set(
    (
      await itemsByIds(
        tx,
        input.map((l) => l.itemId),
      )
    ).map((i) => i.id),
  );
  const seen = new Set<string>();
  return input.map((l, i): SupplierItemsTable => {
    const at = `/items/${i}`;
    if (!known.has(l.itemId))
      throw invalidField(`${at}/itemId`, `Item ${l.itemId} does not exist`, 'not_found');
    if (seen.has(l.itemId)) throw invalidField(`${at}/itemId`, 'is listed twice', 'duplicate');
    seen.add(l.itemId);
    const price = parseMoneyField(`${at}/price`, l.price);
    if (price < 0) throw invalidField(`${at}/price`, 'must not be negative');
    const moq = parseQtyField(`${at}/moq`, l.moq ?? '0');
    if (moq < 0) throw invalidField(`${at}/moq`, 'must not be negative');
    return {
      id: newId(),
      supplier_id: supplierId,
      item_id: l.itemId,
      supplier_part_no: (l.supplierPartNo ?? '').trim(),
      price,
      currency: (l.currency ?? 'CNY').toUpperCase(),
      lead_days: l.leadDays ?? null,
      moq,
    };
  });
}

export async function createSupplier(db: Db, ctx: Ctx, input: SupplierCreate): Promise<Supplier> {
  const now = nowIso();
  const name = input.name.trim();
  const row: SuppliersTable = {
    id: newId(),
    code: await checkCode(db.kysely, 'suppliers', input.code),
    name,
    dup_key: nearDuplicateKey(name),
    lead_days: input.leadDays ?? 0,
    contacts: JSON.stringify(cleanContacts(input.contacts ?? [])),
    address: (input.address ?? '').trim(),
    custom_fields: await checkCustomFields(db.kysely, 'suppliers', input.customFields, null),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return createRecord(db, ctx, supplierSpec, row, {
    children: async (tx) =>
      repo.replaceSuppliedItems(tx, row.id, await suppliedRows(tx, row.id, input.items ?? [])),
  });
}

export async function updateSupplier(db: Db, ctx: Ctx, id: string, input: SupplierUpdate): Promise<Supplier> {
  const c: Partial<SuppliersTable> = { updated_at: nowIso() };
  if (input.code !== undefined) c.code = await checkCode(db.kysely, 'suppliers', input.code);
  if (input.name !== undefined) {
    c.name = input.name.trim();
    c.dup_key = nearDuplicateKey(c.name);
  }
  if (input.leadDays !== undefined) c.lead_days = input.leadDays;
  if (input.contacts !== undefined) c.contacts = JSON.stringify(cleanContacts(input.contacts));
  if (input.address !== undefined) c.address = input.address.trim();
  const lines = input.items;
  const values = input.customFields;
  return updateRecord(db, ctx, supplierSpec, id, input, c, {
    check: values
      ? async (tx, before) => {
          c.custom_fields = await checkCustomFields(tx, 'suppliers', values, before.custom_fields);
        }
      : undefined,
    children: lines
      ? async (tx) => repo.replaceSuppliedItems(tx, id, await suppliedRows(tx, id, lines))
      : undefined,
  });
}

export const getSupplier = (db: Db, id: string) => getRecord(db, supplierSpec, id);
export const deleteSupplier = (db: Db, ctx: Ctx, id: string) => deleteRecord(db, ctx, supplierSpec, id);

export async function listSuppliers(db: Db, query: SupplierListQuery): Promise<PageOf<Supplier>> {
  const { rows, nextCursor } = await repo.listSuppliers(db.kysely, db.dialect, query);
  return { items: await toSuppliers(db.kysely, rows), nextCursor };
}
