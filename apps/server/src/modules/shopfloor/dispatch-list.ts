import type { DispatchListEntry, DispatchListQuery } from '@takt/contracts';
import type { Static } from 'typebox';
import { preparedShapes } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import { notePartitionRead, noteRead, unnoted } from '../../platform/db/table-versions.ts';
import { formatQty } from '../../platform/units.ts';

/** Operation statuses that still belong on a dispatch list. */
const LISTED = ['ready', 'dispatched', 'dispatch_failed', 'in_progress', 'paused'];

type Shape = 'all' | 'workCenter' | 'machine' | 'both';

/** The list query, compiled once per filter combination: (work center?, machine?, limit). */
const listShapes = preparedShapes((shape: Shape) => (db, ...args: (string | number)[]) => {
  let query = db
    .selectFrom('work_order_operations as o')
    .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .select([
      'o.id',
      'o.work_order_id',
      'w.code',
      'i.code as item_code',
      'o.seq',
      'o.name',
      'o.status',
      'o.machine_id',
      'w.qty',
      'o.qty_good',
      'o.planned_minutes',
      'o.planned_start',
      'w.due_date',
      'w.priority',
    ])
    .where('o.status', 'in', LISTED)
    .orderBy('o.planned_start')
    .orderBy('w.priority', 'desc')
    .orderBy('w.due_date')
    .orderBy('w.code')
    .orderBy('o.seq')
    .limit(args[args.length - 1] as number);
  let i = 0;
  if (shape === 'workCenter' || shape === 'both')
    query = query.where('o.work_center_id', '=', args[i++] as string);
  if (shape === 'machine' || shape === 'both') query = query.where('o.machine_id', '=', args[i++] as string);
  return query;
});

/** What to run next, per work center or machine, in planned order. */
export async function dispatchList(
  db: Db,
  q: DispatchListQuery,
): Promise<Static<typeof DispatchListEntry>[]> {
  const args: (string | number)[] = [];
  if (q.workCenterId) args.push(q.workCenterId);
  if (q.machineId) args.push(q.machineId);
  args.push(q.limit ?? 100);
  const shape: Shape = q.workCenterId
    ? q.machineId
      ? 'both'
      : 'workCenter'
    : q.machineId
      ? 'machine'
      : 'all';
  // By machine (or work center): a cached answer notes that partition of the operations, so a report
  // on another machine's operation leaves it current (table-versions.ts). The joined work orders
  // and items are looked up by key either way.
  const byPartition = q.machineId !== undefined || q.workCenterId !== undefined;
  const rows = byPartition
    ? await unnoted(() => listShapes(shape).all(db.kysely, ...args))
    : await listShapes(shape).all(db.kysely, ...args);
  if (q.machineId !== undefined) notePartitionRead('work_order_operations', 'machine_id', q.machineId);
  else if (q.workCenterId !== undefined)
    notePartitionRead('work_order_operations', 'work_center_id', q.workCenterId);
  if (byPartition) {
    noteRead('work_orders', 'lookup');
    noteRead('items', 'lookup');
  }
  return rows.map((r) => ({
    operationId: r.id,
    workOrderId: r.work_order_id,
    workOrderCode: r.code,
    itemCode: r.item_code,
    seq: r.seq,
    name: r.name,
    status: r.status,
    machineId: r.machine_id,
    qty: formatQty(Number(r.qty)),
    qtyGood: formatQty(Number(r.qty_good)),
    plannedMinutes: r.planned_minutes,
    plannedStart: r.planned_start,
    dueDate: r.due_date,
    priority: r.priority,
  }));
}
