import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import {
  actOnWorkOrder,
  getWorkOrder,
  issueMaterials,
  reportOutput,
} from '../production/workorder.service.ts';
import { recordInspectionResult, requestInspection } from '../quality/inspection.service.ts';
import { actOnOperation, reportOperation } from '../shopfloor/operation.actions.ts';
import { dispatchOperation } from '../shopfloor/operation.service.ts';
import { OPERATOR_START_BACK_HOURS } from '../shopfloor/operation.start-time.ts';
import {
  DEMO_FIRST_ARTICLE,
  type DemoOpRun,
  type DemoOrderRun,
  scrapReasonOf,
} from './demo-activity-data.ts';

/** The people of the demo plant acting through the services, and how to find things by code. */
export interface DemoFloor {
  readonly planner: Ctx;
  readonly supervisor: Ctx;
  readonly warehouse: Ctx;
  readonly quality: Ctx;
  readonly operators: Readonly<Record<'E1001' | 'E1002', { ctx: Ctx; employeeId: string }>>;
  readonly machine: (code: string) => string;
  readonly location: (code: string) => string;
  readonly item: (code: string) => string;
  /** The instant `minutes` working minutes before now, as ISO 8601. */
  readonly ago: (minutes: number) => string;
}

export async function woAction(
  db: Db,
  ctx: Ctx,
  id: string,
  action: 'release' | 'dispatch' | 'start' | 'complete' | 'close',
) {
  const wo = await getWorkOrder(db, id);
  return actOnWorkOrder(db, ctx, id, { action, version: wo.version });
}

/** First article of an operation that asks for one: the operator requests it, quality passes it. */
export async function passFirstArticle(db: Db, f: DemoFloor, by: Ctx, operationId: string, itemCode: string) {
  const { inspection } = await requestInspection(db, by, { operationId, note: '首件已加工，请检验' });
  const c = DEMO_FIRST_ARTICLE[itemCode];
  await recordInspectionResult(db, f.quality, inspection.id, {
    version: inspection.version,
    result: 'pass',
    sampleQty: '1',
    notes: '首件合格，可批量生产',
    ...(c
      ? {
          characteristics: [
            {
              name: c.name,
              nominal: c.nominal,
              lowerTol: c.tol,
              upperTol: c.tol,
              measured: c.measured,
              unit: c.unit,
            },
          ],
        }
      : {}),
  });
}

/**
 * One order's history on the floor: released and started, its materials issued, each operation
 * dispatched to its machine, first-article checked, started by the operator and reported; then, if
 * it finished, output booked to stock, completed and perhaps closed.
 */
export async function runOrder(db: Db, f: DemoFloor, woId: string, run: DemoOrderRun): Promise<void> {
  for (const a of ['release', 'dispatch', 'start'] as const) await woAction(db, f.planner, woId, a);
  // The order's story is told after the fact: it was released before the first report of its work,
  // so the running operations can be started at the time they really began.
  const firstReport = Math.max(...run.ops.flatMap((o) => o.reports.map((r) => r.ago)));
  await db.kysely
    .updateTable('work_order_history')
    .set({ at: f.ago(firstReport + 60) })
    .where('work_order_id', '=', woId)
    .where('operation_id', 'is', null)
    .where('action', '=', 'release')
    .execute();
  const wo = await getWorkOrder(db, woId);
  await issueMaterials(db, f.warehouse, woId, {
    lines: wo.materials.map((m) => {
      const [location, lot] = run.issueFrom[m.itemCode] ?? [];
      if (!location) throw new Error(`demo order ${wo.code}: no location to issue ${m.itemCode} from`);
      return {
        materialId: m.id,
        qty: m.qtyRequired,
        fromLocationId: f.location(location),
        ...(lot ? { lot } : {}),
      };
    }),
  });
  let scrap = 0;
  let lastGood = 0;
  for (const step of run.ops) {
    const op = wo.operations.find((o) => o.seq === step.seq);
    if (!op) throw new Error(`demo order ${wo.code} has no operation ${step.seq}`);
    const operator = f.operators[step.badge];
    await dispatchOperation(db, f.supervisor, op.id, f.machine(step.machine), operator.employeeId);
    if (op.inspection) await passFirstArticle(db, f, operator.ctx, op.id, wo.itemCode);
    const startedAt = step.complete ? null : startOf(f, step);
    await actOnOperation(db, operator.ctx, op.id, {
      action: 'start',
      operatorEmployeeId: operator.employeeId,
      ...(startedAt ? { startedAt } : {}),
    });
    let good = 0;
    for (const [i, r] of step.reports.entries()) {
      const who = f.operators[r.badge];
      await reportOperation(db, who.ctx, op.id, {
        idempotencyKey: `demo:${wo.code}:${step.seq}:${i + 1}`,
        good: r.good,
        ...(r.scrap ? { scrap: r.scrap, scrapReason: scrapReasonOf(step.machine) } : {}),
        reportedAt: f.ago(r.ago),
        operatorEmployeeId: who.employeeId,
      });
      good += parseQtyField('/good', r.good);
      if (r.scrap) scrap += parseQtyField('/scrap', r.scrap);
    }
    if (step.complete) await actOnOperation(db, operator.ctx, op.id, { action: 'complete' });
    lastGood = good;
  }
  await reportOutput(db, f.supervisor, woId, {
    goodQty: formatQty(lastGood),
    ...(scrap > 0 ? { scrapQty: formatQty(scrap) } : {}),
    toLocationId: f.location(run.output),
  });
  if (!run.finish) return;
  await woAction(db, f.planner, woId, 'complete');
  if (run.finish === 'closed') await woAction(db, f.planner, woId, 'close');
}

/**
 * When a running operation began: a little before its first report, inside a shift, and no further
 * back than an operator may date a start (an hour to spare). Null when only "now" fits.
 */
function startOf(f: DemoFloor, step: DemoOpRun): string | null {
  const limit = Date.now() - (OPERATOR_START_BACK_HOURS - 1) * 3_600_000;
  const first = Math.max(0, ...step.reports.map((r) => r.ago));
  for (let minutes = first + 20; minutes > 0; minutes -= 30) {
    const at = f.ago(minutes);
    if (Date.parse(at) >= limit) return at;
  }
  return null;
}
