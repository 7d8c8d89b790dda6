import type { SupplierListQuery } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database, SupplierItemsTable } from '../../platform/db/schema.ts';
import { customFieldFilter } from '../masterdata/custom-fields.service.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { versionedRepo } from '../masterdata/versioned-table.ts';

type Q = Kysely<Database> | Tx;

export const suppliers = versionedRepo('suppliers');

export async function listSuppliers(db: Q, dialect: Dialect, query: SupplierListQuery) {
  let q = db.selectFrom('suppliers').selectAll();
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (query.itemId) {
    const itemId = query.itemId;
    q = q.where('id', 'in', (eb) =>
      eb.selectFrom('supplier_items').select('supplier_id').where('item_id', '=', itemId),
    );
  }
  const custom = await customFieldFilter(db, dialect, 'suppliers', 'custom_fields', query);
  if (custom) q = q.where(custom);
  return runPage(q, query);
}

export async function suppliedItems(db: Q, supplierIds: readonly string[]): Promise<SupplierItemsTable[]> {
  if (supplierIds.length === 0) return [];
  return db
    .selectFrom('supplier_items')
    .selectAll()
    .where('supplier_id', 'in', supplierIds)
    .orderBy('supplier_id')
    .orderBy('id')
    .execute();
}

export async function replaceSuppliedItems(
  tx: Tx,
  supplierId: string,
  rows: SupplierItemsTable[],
): Promise<void> {
  await tx.deleteFrom('supplier_items').where('supplier_id', '=', supplierId).execute();
  if (rows.length > 0) await tx.insertInto('supplier_items').values(rows).execute();
}
