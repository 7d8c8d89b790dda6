import type {
  Location,
  LocationCreate,
  LocationListQuery,
  LocationUpdate,
  PageOf,
  Warehouse,
  WarehouseCreate,
  WarehouseListQuery,
  WarehouseUpdate,
} from '@takt/contracts';
import { DEFAULT_CODE_RULE, normaliseCode } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database, LocationsTable, WarehousesTable } from '../../platform/db/schema.ts';
import { invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { checkCode } from '../masterdata/code-rule.service.ts';
import { createRecord, deleteRecord, getRecord, type RecordSpec, updateRecord } from '../masterdata/crud.ts';
import * as repo from './warehouse.repo.ts';

/**
 * Warehouses hold locations (bins): storage, line-side (material at a work center), receiving,
 * shipping, quarantine. A location code is unique within its warehouse.
 */
type Q = Kysely<Database> | Tx;

const stamps = (row: { active: number; version: number; created_at: string; updated_at: string }) => ({
  active: row.active === 1,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const warehouseSpec: RecordSpec<WarehousesTable, Warehouse> = {
  entity: 'warehouse',
  label: 'Warehouse',
  repo: repo.warehouses,
  async dto(_db, r) {
    return { id: r.id, code: r.code, name: r.name, address: r.address, ...stamps(r) };
  },
};

export const locationSpec: RecordSpec<LocationsTable, Location> = {
  entity: 'location',
  label: 'Location',
  repo: repo.locations,
  async dto(_db, r) {
    return { id: r.id, warehouseId: r.warehouse_id, code: r.code, name: r.name, kind: r.kind, ...stamps(r) };
  },
};

export async function createWarehouse(db: Db, ctx: Ctx, input: WarehouseCreate): Promise<Warehouse> {
  const now = nowIso();
  const row: WarehousesTable = {
    id: newId(),
    code: await checkCode(db.kysely, 'warehouses', input.code),
    name: input.name.trim(),
    address: (input.address ?? '').trim(),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return createRecord(db, ctx, warehouseSpec, row);
}

export async function updateWarehouse(
  db: Db,
  ctx: Ctx,
  id: string,
  input: WarehouseUpdate,
): Promise<Warehouse> {
  const changes: Partial<WarehousesTable> = { updated_at: nowIso() };
  if (input.code !== undefined) changes.code = await checkCode(db.kysely, 'warehouses', input.code);
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.address !== undefined) changes.address = input.address.trim();
  return updateRecord(db, ctx, warehouseSpec, id, input, changes);
}

export const getWarehouse = (db: Db, id: string) => getRecord(db, warehouseSpec, id);
export const deleteWarehouse = (db: Db, ctx: Ctx, id: string) => deleteRecord(db, ctx, warehouseSpec, id);

export async function listWarehouses(db: Db, query: WarehouseListQuery): Promise<PageOf<Warehouse>> {
  const { rows, nextCursor } = await repo.listWarehouses(db.kysely, db.dialect, query);
  return { items: await Promise.all(rows.map((r) => warehouseSpec.dto(db.kysely, r))), nextCursor };
}

/** For other modules referring to a warehouse (an item's default warehouse): it must exist and be active. */
export async function assertActiveWarehouse(db: Q, id: string, field: string): Promise<void> {
  const row = await repo.warehouses.find(db, id);
  if (!row) throw invalidField(field, `Warehouse ${id} does not exist`, 'not_found');
  if (row.active !== 1) throw invalidField(field, `Warehouse ${row.code} is deactivated`, 'inactive');
}

/** Location codes have no administrator rule of their own: the default one, unique per warehouse. */
function locationCode(input: string): string {
  const result = normaliseCode(input, DEFAULT_CODE_RULE);
  if (!result.ok) throw invalidField('/code', result.message, result.code);
  return result.value;
}

async function locationOf(db: Q, warehouseId: string, locationId: string): Promise<LocationsTable> {
  const row = await repo.locations.find(db, locationId);
  if (!row || row.warehouse_id !== warehouseId) throw notFound('Location', locationId);
  return row;
}

export async function createLocation(
  db: Db,
  ctx: Ctx,
  warehouseId: string,
  input: LocationCreate,
): Promise<Location> {
  const warehouse = await repo.warehouses.find(db.kysely, warehouseId);
  if (!warehouse) throw notFound('Warehouse', warehouseId);
  const now = nowIso();
  const row: LocationsTable = {
    id: newId(),
    warehouse_id: warehouseId,
    code: locationCode(input.code),
    name: input.name.trim(),
    kind: input.kind,
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return createRecord(db, ctx, locationSpec, row);
}

export async function updateLocation(
  db: Db,
  ctx: Ctx,
  warehouseId: string,
  locationId: string,
  input: LocationUpdate,
): Promise<Location> {
  await locationOf(db.kysely, warehouseId, locationId);
  const changes: Partial<LocationsTable> = { updated_at: nowIso() };
  if (input.code !== undefined) changes.code = locationCode(input.code);
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.kind !== undefined) changes.kind = input.kind;
  return updateRecord(db, ctx, locationSpec, locationId, input, changes);
}

export async function getLocation(db: Db, warehouseId: string, locationId: string): Promise<Location> {
  return locationSpec.dto(db.kysely, await locationOf(db.kysely, warehouseId, locationId));
}

export async function deleteLocation(
  db: Db,
  ctx: Ctx,
  warehouseId: string,
  locationId: string,
): Promise<void> {
  await locationOf(db.kysely, warehouseId, locationId);
  await deleteRecord(db, ctx, locationSpec, locationId);
}

export async function listLocations(
  db: Db,
  warehouseId: string,
  query: LocationListQuery,
): Promise<PageOf<Location>> {
  if (!(await repo.warehouses.find(db.kysely, warehouseId))) throw notFound('Warehouse', warehouseId);
  const { rows, nextCursor } = await repo.listLocations(db.kysely, db.dialect, warehouseId, query);
  return { items: await Promise.all(rows.map((r) => locationSpec.dto(db.kysely, r))), nextCursor };
}
