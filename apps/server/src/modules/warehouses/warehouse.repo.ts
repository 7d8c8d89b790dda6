import type { LocationListQuery, WarehouseListQuery } from '@takt/contracts';
import type { Kysely } from 'kysely';
import type { Dialect, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { containsText, runPage } from '../masterdata/list.ts';
import { versionedRepo } from '../masterdata/versioned-table.ts';

type Q = Kysely<Database> | Tx;

export const warehouses = versionedRepo('warehouses');
export const locations = versionedRepo('locations');

export async function listWarehouses(db: Q, dialect: Dialect, query: WarehouseListQuery) {
  let q = db.selectFrom('warehouses').selectAll();
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  return runPage(q, query);
}

export async function listLocations(db: Q, dialect: Dialect, warehouseId: string, query: LocationListQuery) {
  let q = db.selectFrom('locations').selectAll().where('warehouse_id', '=', warehouseId);
  if (query.q) q = q.where(containsText(dialect, query.q, ['code', 'name']));
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  return runPage(q, query);
}
