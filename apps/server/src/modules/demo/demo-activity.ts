import { acknowledgeAlert } from '../../platform/alerts.ts';
import { actorOf } from '../../platform/auth/sessions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { raiseException, updateException } from '../exceptions/exception.service.ts';
import { postMove } from '../inventory/inventory.service.ts';
import { workOrdersForSalesOrder } from '../production/workorder.mto.ts';
import { createWorkOrder, getWorkOrder } from '../production/workorder.service.ts';
import { getOrder } from '../purchasing/purchaseorder.service.ts';
import { receive } from '../purchasing/purchasereceipt.service.ts';
import { requestInspection } from '../quality/inspection.service.ts';
import { markInProduction } from '../sales/salesorder.actions.ts';
import { getOrder as getSalesOrder } from '../sales/salesorder.query.ts';
import { executeSolveRun } from '../scheduling/scheduling.job.ts';
import { publishRun } from '../scheduling/scheduling.publish.ts';
import { assignments, requestRun } from '../scheduling/scheduling.service.ts';
import { dispatchOperation } from '../shopfloor/operation.service.ts';
import {
  DEMO_MTO_BATCHES,
  DEMO_OPENING_STOCK,
  DEMO_ORDER_RUNS,
  DEMO_PARTIAL_RECEIPT,
  DEMO_STOCK_ORDERS,
  demoWorkingSpans,
  workingMinutesBefore,
} from './demo-activity-data.ts';
import { type DemoFloor, runOrder, woAction } from './demo-activity-floor.ts';

/**
 * A plant at work on top of the demo factory, made through the same services as real input: stock on
 * the shelves and a purchase order received in part; work orders for the sales orders and for stock,
 * some closed, one completed, some running with operator reports, the rest planned by a published
 * schedule (two of them already at their machines) or still drafts; first-article inspections, a
 * repaired breakdown (its alert acknowledged) and an open tooling problem (its alert still open).
 * Deterministic apart from the clock: "now" is the first start. Running operations were started a
 * little before their first report, as an operator who pressed "start" late would say.
 */

/** Orders released to the floor after the floor history: the scheduler plans them. */
const RELEASE = ['FG-100300', 'FG-100500', 'FG-100900', 'SF-200900', 'FG-100100', 'SF-200100'];
/** Orders whose first operation goes to its planned machine (the first batch of each item). */
const DISPATCH = ['SF-200900', 'SF-200100'] as const;
/** A fixed iteration budget (not a time limit) keeps the plan the same for the same start. */
const SCHEDULE = { seed: 1, maxIterations: 200 } as const;

export interface DemoActivity {
  readonly workOrders: number;
  readonly scheduledOperations: number;
}

export async function loadDemoActivity(db: Db, nowMs = Date.now()): Promise<DemoActivity> {
  const f = await floorOf(db, nowMs);
  await stockAndReceipts(db, f);

  await batchedOrders(db, f);
  const salesOrders = await db.kysely
    .selectFrom('sales_orders')
    .select('id')
    .where('status', '=', 'confirmed')
    .orderBy('code')
    .execute();
  for (const so of salesOrders) await workOrdersForSalesOrder(db, f.planner, so.id);
  const day = (n: number) => new Date(nowMs + n * 86_400_000).toISOString().slice(0, 10);
  for (const o of DEMO_STOCK_ORDERS) {
    await createWorkOrder(db, f.planner, {
      itemId: f.item(o.item),
      qty: o.qty,
      dueDate: day(o.inDays),
      priority: o.priority,
      ...('withChildren' in o ? { withChildren: o.withChildren } : {}),
    });
  }
  const orders = await ordersByItem(db);
  const batches = (code: string) => {
    const ids = orders.get(code);
    if (!ids) throw new Error(`the demo has no work order for ${code}`);
    return ids;
  };
  const order = (code: string) => batches(code)[0]!;

  for (const run of DEMO_ORDER_RUNS) await runOrder(db, f, order(run.item), run);
  for (const id of RELEASE.flatMap(batches)) await woAction(db, f.planner, id, 'release');
  await floorExceptions(db, f, order('SF-200500'));

  // Re-plan and publish, as the planning board does. What goes to the machines is chosen here rather
  // than by the hour of the first start, so the demo looks the same whenever it is loaded.
  const run = await requestRun(db, f.planner, { ...SCHEDULE, at: new Date(nowMs).toISOString() });
  await executeSolveRun(db, run.id);
  await publishRun(db, f.planner, run.id, { dispatchWithinHours: 0 });
  const plan = (await assignments(db, run.id, {})).items;
  for (const code of DISPATCH) {
    const op = (await getWorkOrder(db, order(code))).operations[0]!;
    const planned = plan.find((a) => a.operationId === op.id);
    if (!planned) throw new Error(`the demo schedule left out ${code}`);
    await dispatchOperation(db, f.supervisor, op.id, planned.machineId, null);
    await woAction(db, f.planner, order(code), 'dispatch');
  }
  // The first gear blanks are on the lathe and wait for quality to check the first piece.
  const blanks = (await getWorkOrder(db, order(DISPATCH[0]))).operations[0]!;
  await requestInspection(db, f.operators.E1001.ctx, {
    operationId: blanks.id,
    note: '齿坯首件已车好，请检验',
  });
  return { workOrders: [...orders.values()].flat().length, scheduledOperations: plan.length };
}

async function floorOf(db: Db, nowMs: number): Promise<DemoFloor> {
  const users = await db.kysely.selectFrom('users').select(['id', 'login', 'roles']).execute();
  const ctxOf = (login: string): Ctx => {
    const user = users.find((u) => u.login === login);
    if (!user) throw new Error(`demo user ${login} is missing`);
    return { actor: actorOf(user), requestId: null, ip: null, userAgent: null };
  };
  const codes = async (table: 'machines' | 'locations' | 'items' | 'employees') => {
    const rows = await db.kysely.selectFrom(table).select(['id', 'code']).execute();
    const ids = new Map(rows.map((r) => [r.code, r.id]));
    return (code: string) => {
      const id = ids.get(code);
      if (!id) throw new Error(`demo ${table} ${code} is missing`);
      return id;
    };
  };
  const employee = await codes('employees');
  const spans = demoWorkingSpans(nowMs);
  return {
    planner: ctxOf('planner'),
    supervisor: ctxOf('supervisor'),
    warehouse: ctxOf('warehouse'),
    quality: ctxOf('quality'),
    operators: {
      E1001: { ctx: ctxOf('operator'), employeeId: employee('E1001') },
      E1002: { ctx: ctxOf('operator2'), employeeId: employee('E1002') },
    },
    machine: await codes('machines'),
    location: await codes('locations'),
    item: await codes('items'),
    ago: (minutes) => new Date(workingMinutesBefore(spans, nowMs, minutes)).toISOString(),
  };
}

/** Opening stock of raw material, and the steel of the sent purchase order received in part. */
async function stockAndReceipts(db: Db, f: DemoFloor): Promise<void> {
  for (const [item, qty, location, lot] of DEMO_OPENING_STOCK) {
    await postMove(db, f.warehouse, {
      kind: 'receipt',
      itemId: f.item(item),
      qty,
      toLocationId: f.location(location),
      reason: '期初库存',
      ...(lot ? { lot } : {}),
    });
  }
  const supplier = await db.kysely
    .selectFrom('suppliers')
    .select('id')
    .where('code', '=', 'S-0001')
    .executeTakeFirstOrThrow();
  const sent = await db.kysely
    .selectFrom('purchase_orders')
    .select('id')
    .where('supplier_id', '=', supplier.id)
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  const po = await getOrder(db, sent.id);
  const lines = DEMO_PARTIAL_RECEIPT.map(([item, qty]) => {
    const line = po.lines.find((l) => l.itemId === f.item(item));
    if (!line) throw new Error(`purchase order ${po.code} has no line for ${item}`);
    return { lineId: line.id, qty };
  });
  await receive(db, f.warehouse, po.id, { locationId: f.location('RM-A01'), note: '第一批到货', lines });
}

/** A breakdown on the old lathe, repaired and back up; a worn press-brake die, still open. */
async function floorExceptions(db: Db, f: DemoFloor, bendingOrderId: string): Promise<void> {
  const breakdown = await raiseException(db, f.operators.E1001.ctx, {
    kind: 'breakdown',
    machineId: f.machine('CNC-04'),
    note: '主轴异响，已停机',
  });
  const acknowledged = await updateException(db, f.supervisor, breakdown.id, {
    version: breakdown.version,
    action: 'acknowledge',
  });
  await updateException(db, f.supervisor, breakdown.id, {
    version: acknowledged.version,
    action: 'resolve',
    resolution: '更换主轴皮带，试切合格，恢复生产',
  });
  // The supervisor who had the lathe repaired has seen its alert: it is no longer news.
  const alert = await db.kysely
    .selectFrom('alerts')
    .select('id')
    .where('entity_type', '=', 'exception')
    .where('entity_id', '=', breakdown.id)
    .executeTakeFirstOrThrow();
  await acknowledgeAlert(db, f.supervisor, alert.id);
  const bending = await getWorkOrder(db, bendingOrderId);
  await raiseException(db, f.operators.E1002.ctx, {
    kind: 'tooling',
    operationId: bending.operations[0]!.id,
    note: '折弯上模 MD-0001 刃口磨损，角度偏差接近上限，请安排更换',
  });
}

/** Work orders by item code, in the order they were made. */
async function ordersByItem(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.kysely
    .selectFrom('work_orders as w')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .select(['w.id', 'i.code'])
    .orderBy('w.code')
    .execute();
  const byItem = new Map<string, string[]>();
  for (const r of rows) byItem.set(r.code, [...(byItem.get(r.code) ?? []), r.id]);
  return byItem;
}

/** Sales-order lines made in batches, linked to the line as the sales module links its orders. */
async function batchedOrders(db: Db, f: DemoFloor): Promise<void> {
  for (const b of DEMO_MTO_BATCHES) {
    const so = await db.kysely
      .selectFrom('sales_orders')
      .select('id')
      .where('external_ref', '=', b.externalRef)
      .where('status', '=', 'confirmed')
      .executeTakeFirst();
    if (!so) continue;
    const order = await getSalesOrder(db, so.id);
    const line = order.lines.find((l) => l.itemId === f.item(b.item));
    if (!line) continue;
    for (const qty of b.batches) {
      await createWorkOrder(db, f.planner, {
        itemId: line.itemId,
        qty,
        dueDate: line.promisedDate ?? line.requestedDate,
        salesOrderId: order.id,
        salesOrderLineId: line.id,
        priority: Math.round(order.priority.score),
      });
    }
    await markInProduction(db, f.planner, order.id);
  }
}
