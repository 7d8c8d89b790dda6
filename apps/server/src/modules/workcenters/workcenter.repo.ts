import type { MachineListQuery, WorkCenterListQuery } from '@takt/contracts';
import { type Kysely, sql } from 'kysely';
import { cachedRow, cachedRows, cacheOf } from '../../platform/cache/cache.ts';
import type { Tx } from '../../platform/db/database.ts';
import type {
  Database,
  MachineDowntimesTable,
  MachinesTable,
  WorkCentersTable,
} from '../../platform/db/schema.ts';
import { decodeCursor, pageOf, parseSort } from '../../platform/http/pagination.ts';
import { customFieldFilter } from '../masterdata/custom-fields.service.ts';

// Work centers and machines by id are read through the master-data cache outside a transaction;
// every update and delete here drops the row from it once the transaction commits.

type Q = Kysely<Database> | Tx;
type Dialect = 'sqlite' | 'postgres';

const SORTS = { code: 'code', name: 'name', updatedAt: 'updated_at' } as const;

function contains(dialect: Dialect, text: string) {
  const p = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialect === 'postgres'
    ? sql<boolean>`(code ilike ${p} or name ilike ${p})`
    : sql<boolean>`(code like ${p} escape '\\' or name like ${p} escape '\\')`;
}

// ---- work centers

export async function findWorkCenter(db: Q, id: string): Promise<WorkCentersTable | undefined> {
  return cachedRow(db, 'work_centers', id, () =>
    db.selectFrom('work_centers').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

export async function insertWorkCenter(db: Q, row: WorkCentersTable): Promise<void> {
  await db.insertInto('work_centers').values(row).execute();
}

export async function updateWorkCenter(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<WorkCentersTable, 'id' | 'version' | 'created_at'>>,
): Promise<WorkCentersTable | undefined> {
  const row = await db
    .updateTable('work_centers')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  cacheOf(db).invalidate(db, 'work_centers', id);
  return row;
}

export async function deleteWorkCenter(db: Q, id: string): Promise<void> {
  await db.deleteFrom('work_centers').where('id', '=', id).execute();
  cacheOf(db).invalidate(db, 'work_centers', id);
}

export async function listWorkCenters(db: Q, dialect: Dialect, query: WorkCenterListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'code');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('work_centers')
    .selectAll()
    .orderBy(sort.column, dir)
    .orderBy('id', dir)
    .limit(limit + 1);
  if (query.q) q = q.where(contains(dialect, query.q));
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  if (cursor) {
    const cmp = sort.desc ? '<' : '>';
    const v = cursor.v as string;
    q = q.where((eb) =>
      eb.or([eb(sort.column, cmp, v), eb.and([eb(sort.column, '=', v), eb('id', cmp, cursor.id)])]),
    );
  }
  return pageOf(await q.execute(), limit, sort, (r) => r[sort.column]);
}

// ---- machines

export async function findMachine(db: Q, id: string): Promise<MachinesTable | undefined> {
  return cachedRow(db, 'machines', id, () =>
    db.selectFrom('machines').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** The machines of `ids` that exist, in no particular order. */
export async function findMachines(db: Q, ids: readonly string[]): Promise<MachinesTable[]> {
  if (ids.length === 0) return [];
  const rows = await cachedRows(db, 'machines', ids, (missing) =>
    db.selectFrom('machines').selectAll().where('id', 'in', missing).execute(),
  );
  return [...rows.values()];
}

export async function machinesOfWorkCenters(
  db: Q,
  workCenterIds: readonly string[],
): Promise<MachinesTable[]> {
  if (workCenterIds.length === 0) return [];
  return db
    .selectFrom('machines')
    .selectAll()
    .where('work_center_id', 'in', workCenterIds)
    .orderBy('code')
    .execute();
}

export async function insertMachine(db: Q, row: MachinesTable): Promise<void> {
  await db.insertInto('machines').values(row).execute();
}

export async function updateMachine(
  db: Q,
  id: string,
  version: number,
  changes: Partial<Omit<MachinesTable, 'id' | 'version' | 'created_at'>>,
): Promise<MachinesTable | undefined> {
  const row = await db
    .updateTable('machines')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  cacheOf(db).invalidate(db, 'machines', id);
  return row;
}

export async function deleteMachine(db: Q, id: string): Promise<void> {
  await db.deleteFrom('machines').where('id', '=', id).execute();
  cacheOf(db).invalidate(db, 'machines', id);
}

export async function listMachines(db: Q, dialect: Dialect, query: MachineListQuery) {
  const limit = query.limit ?? 50;
  const sort = parseSort(query.sort, SORTS, 'code');
  const cursor = decodeCursor(query.cursor, sort.key);
  const dir = sort.desc ? 'desc' : 'asc';
  let q = db
    .selectFrom('machines')
    .selectAll()
    .orderBy(sort.column, dir)
    .orderBy('id', dir)
    .limit(limit + 1);
  if (query.q) q = q.where(contains(dialect, query.q));
  if (query.workCenterId) q = q.where('work_center_id', '=', query.workCenterId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.active !== undefined) q = q.where('active', '=', query.active ? 1 : 0);
  const custom = await customFieldFilter(db, dialect, 'machines', 'custom_fields', query);
  if (custom) q = q.where(custom);
  if (cursor) {
    const cmp = sort.desc ? '<' : '>';
    const v = cursor.v as string;
    q = q.where((eb) =>
      eb.or([eb(sort.column, cmp, v), eb.and([eb(sort.column, '=', v), eb('id', cmp, cursor.id)])]),
    );
  }
  return pageOf(await q.execute(), limit, sort, (r) => r[sort.column]);
}

// ---- planned downtime

export async function insertDowntime(db: Q, row: MachineDowntimesTable): Promise<void> {
  await db.insertInto('machine_downtimes').values(row).execute();
}

export async function findDowntime(db: Q, machineId: string, id: string) {
  return db
    .selectFrom('machine_downtimes')
    .selectAll()
    .where('id', '=', id)
    .where('machine_id', '=', machineId)
    .executeTakeFirst();
}

export async function deleteDowntime(db: Q, id: string): Promise<void> {
  await db.deleteFrom('machine_downtimes').where('id', '=', id).execute();
}

/** Downtime windows of a machine overlapping [from, to) (ISO text compares as time). */
export async function downtimesOf(db: Q, machineId: string, from?: string, to?: string) {
  let q = db
    .selectFrom('machine_downtimes')
    .selectAll()
    .where('machine_id', '=', machineId)
    .orderBy('start_at')
    .orderBy('id');
  if (from) q = q.where('end_at', '>', from);
  if (to) q = q.where('start_at', '<', to);
  return q.execute();
}
