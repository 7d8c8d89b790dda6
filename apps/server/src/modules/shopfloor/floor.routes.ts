import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { type Static, Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { preparedList, preparedShapes } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import type { Database } from '../../platform/db/schema.ts';
import { formatQty } from '../../platform/units.ts';

const FloorMachine = Type.Object({
  machineId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  workCenterId: Type.String(),
  status: Type.String({ description: 'up, down or maintenance' }),
  state: Type.String({ description: 'running, paused, waiting (work dispatched), idle or down' }),
  operation: Type.Union([
    Type.Object({
      id: Type.String(),
      workOrderCode: Type.String(),
      itemCode: Type.String(),
      seq: Type.Integer(),
      name: Type.String(),
      status: Type.String(),
      operatorName: Type.Union([Type.String(), Type.Null()]),
      qtyPlanned: Type.String(),
      qtyGood: Type.String(),
      progress: Type.Number({ description: '0..1' }),
      since: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  queued: Type.Integer({ description: 'operations dispatched to the machine and not started' }),
  lastReportAt: Type.Union([Type.String(), Type.Null()]),
});

type Scope = 'plant' | 'workCenter';

/** Active machines with their latest report, of the plant or of one work center. */
const machineShapes = preparedShapes((scope: Scope) => (db, ...workCenterId: string[]) => {
  let query = db
    .selectFrom('machines')
    .select(['id', 'code', 'name', 'work_center_id', 'status'])
    // The latest report per machine: one backward index probe each, however long the history.
    .select((eb) =>
      eb
        .selectFrom('operation_reports as r')
        .select((e) => e.fn.max('r.reported_at').as('last'))
        .whereRef('r.machine_id', '=', 'machines.id')
        .as('last_report_at'),
    )
    .where('active', '=', 1)
    .orderBy('code');
  if (scope === 'workCenter') query = query.where('work_center_id', '=', workCenterId[0]!);
  return query;
});

/** Operations dispatched to or running on these machines. */
function operationsQuery(db: Kysely<Database>, machineIds: readonly string[]) {
  return (
    db
      .selectFrom('work_order_operations as o')
      .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
      .innerJoin('items as i', 'i.id', 'w.item_id')
      // The operator is a user (terminal sign-in) or an employee (reported for them).
      .leftJoin('users as u', 'u.id', 'o.operator_id')
      .leftJoin('employees as e', 'e.id', 'o.operator_id')
      .select([
        'o.id',
        'o.machine_id',
        'o.seq',
        'o.name',
        'o.status',
        'o.qty_good',
        'o.status_since',
        'w.code',
        'w.qty',
        'i.code as item_code',
        'u.display_name',
        'e.name as employee_name',
      ])
      .where('o.machine_id', 'in', machineIds)
      .where('o.status', 'in', ['dispatched', 'in_progress', 'paused'])
  );
}

const operationsOf = preparedList(operationsQuery);

/** The live floor: every machine with what it is doing now, for the supervisor's map and phones. */
export async function floorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  app.get(
    '/floor',
    {
      config: { permission: 'shopfloor:read', readCache: true },
      schema: {
        tags: ['shopfloor'],
        summary: 'Machines with their current operation, operator, progress and queue',
        querystring: Type.Object(
          { workCenterId: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(FloorMachine) },
      },
    },
    async (request) => floorBoardOffThread(db, (request.query as { workCenterId?: string }).workCenterId),
  );
}

type FloorMachine = Static<typeof FloorMachine>;

/** Machines (of one work center, or all) with their current operation, operator, progress and queue. */
export async function floorBoard(db: Db, workCenterId: string | undefined): Promise<FloorMachine[]> {
  const scope: Scope = workCenterId ? 'workCenter' : 'plant';
  const args = workCenterId ? [workCenterId] : [];
  const machines = await machineShapes(scope).all(db.kysely, ...args);
  if (machines.length === 0) return [];
  const ops = await operationsOf(
    db.kysely,
    machines.map((m) => m.id),
  );
  const byMachine = new Map<string, typeof ops>();
  for (const o of ops) {
    const list = byMachine.get(o.machine_id!) ?? [];
    list.push(o);
    byMachine.set(o.machine_id!, list);
  }
  return machines.map((m) => {
    const mine = byMachine.get(m.id) ?? [];
    const current =
      mine.find((o) => o.status === 'in_progress') ?? mine.find((o) => o.status === 'paused') ?? null;
    const queued = mine.filter((o) => o.status === 'dispatched').length;
    const state =
      m.status !== 'up'
        ? 'down'
        : current
          ? current.status === 'in_progress'
            ? 'running'
            : 'paused'
          : queued > 0
            ? 'waiting'
            : 'idle';
    return {
      machineId: m.id,
      code: m.code,
      name: m.name,
      workCenterId: m.work_center_id,
      status: m.status,
      state,
      operation: current
        ? {
            id: current.id,
            workOrderCode: current.code,
            itemCode: current.item_code,
            seq: current.seq,
            name: current.name,
            status: current.status,
            operatorName: current.display_name ?? current.employee_name ?? null,
            qtyPlanned: formatQty(Number(current.qty)),
            qtyGood: formatQty(Number(current.qty_good)),
            progress:
              Number(current.qty) > 0 ? Math.min(1, Number(current.qty_good) / Number(current.qty)) : 0,
            since: current.status_since,
          }
        : null,
      queued,
      lastReportAt: m.last_report_at ? String(m.last_report_at) : null,
    };
  });
}

/** floorBoard on a read thread (read-threads.ts): a large plant's whole floor is a thousand machines. */
export const floorBoardOffThread = offThread(import.meta.url, 'floorBoard', floorBoard);
