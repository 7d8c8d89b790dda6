import type {
  Contact,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerUpdate,
  PageOf,
} from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { CustomersTable, Database } from '../../platform/db/schema.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { checkCode } from '../masterdata/code-rule.service.ts';
import { checkCustomFields, customFieldFilter, customFieldsOf } from '../masterdata/custom-fields.service.ts';
import { createRecord, deleteRecord, getRecord, type RecordSpec, updateRecord } from '../masterdata/crud.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { versionedRepo } from '../masterdata/versioned-table.ts';

/** Customers, with a tier (A/B/C) that planning uses for priority. */
type Q = Kysely<Database> | Tx;
const repo = versionedRepo('customers');

/** Contacts as typed, trimmed, empty fields dropped. */
export function cleanContacts(list: readonly Contact[]): Contact[] {
  return list.map((c) => ({
    name: c.name.trim(),
    ...(c.phone?.trim() ? { phone: c.phone.trim() } : {}),
    ...(c.email?.trim() ? { email: c.email.trim() } : {}),
  }));
}

export const customerSpec: RecordSpec<CustomersTable, Customer> = {
  entity: 'customer',
  label: 'Customer',
  repo,
  async dto(_db, r) {
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      tier: r.tier as Customer['tier'],
      contacts: JSON.parse(r.contacts) as Contact[],
      address: r.address,
      customFields: customFieldsOf(r.custom_fields),
      active: r.active === 1,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  },
};

export async function createCustomer(db: Db, ctx: Ctx, input: CustomerCreate): Promise<Customer> {
  const now = nowIso();
  const name = input.name.trim();
  return createRecord(db, ctx, customerSpec, {
    id: newId(),
    code: await checkCode(db.kysely, 'customers', input.code),
    name,
    dup_key: nearDuplicateKey(name),
    tier: input.tier ?? 'B',
    contacts: JSON.stringify(cleanContacts(input.contacts ?? [])),
    address: (input.address ?? '').trim(),
    custom_fields: await checkCustomFields(db.kysely, 'customers', input.customFields, null),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  });
}

export async function updateCustomer(db: Db, ctx: Ctx, id: string, input: CustomerUpdate): Promise<Customer> {
  const c: Partial<CustomersTable> = { updated_at: nowIso() };
  if (input.code !== undefined) c.code = await checkCode(db.kysely, 'customers', input.code);
  if (input.name !== undefined) {
    c.name = input.name.trim();
    c.dup_key = nearDuplicateKey(c.name);
  }
  if (input.tier !== undefined) c.tier = input.tier;
  if (input.contacts !== undefined) c.contacts = JSON.stringify(cleanContacts(input.contacts));
  if (input.address !== undefined) c.address = input.address.trim();
  const values = input.customFields;
  return updateRecord(db, ctx, customerSpec, id, input, c, {
    check: values
      ? async (tx, before) => {
          c.custom_fields = await checkCustomFields(tx, 'customers', values, before.custom_fields);
        }
      : undefined,
  });
}

export const getCustomer = (db: Db, id: string) => getRecord(db, customerSpec, id);
export const deleteCustomer = (db: Db, ctx: Ctx, id: string) => deleteRecord(db, ctx, customerSpec, id);

async function page(db: Q, dialect: Db['dialect'], query: CustomerListQuery) {
  let q = db.selectFrom('customers').selectAll();
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.tier) q = q.where('tier', '=', query.tier);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  const custom = await customFieldFilter(db, dialect, 'customers', 'custom_fields', query);
  if (custom) q = q.where(custom);
  return runPage(q, query);
}

export async function listCustomers(db: Db, query: CustomerListQuery): Promise<PageOf<Customer>> {
  const { rows, nextCursor } = await page(db.kysely, db.dialect, query);
  return { items: await Promise.all(rows.map((r) => customerSpec.dto(db.kysely, r))), nextCursor };
}
