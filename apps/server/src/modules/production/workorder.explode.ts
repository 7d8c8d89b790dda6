import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { WorkOrdersTable } from '../../platform/db/schema-production.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { localDay, nextInSequence } from '../../platform/sequences.ts';
import * as repo from './workorder.repo.ts';

const MAX_DEPTH = 10;

/** Component need for `qty` parents: qty × qty-per × (1 + scrap), rounded up to the thousandth. */
export function requiredQty(parentQty: number, qtyPer: number, scrapBp: number): number {
  const n = BigInt(parentQty) * BigInt(qtyPer) * BigInt(10_000 + scrapBp);
  const d = 1000n * 10_000n;
  return Number((n + d - 1n) / d);
}

/** Planned minutes of an operation: setup + run per unit (stored as minutes × 1000) × quantity, rounded up. */
export function plannedMinutes(setup: number, runMilliMinutes: number, qty: number): number {
  const run = BigInt(runMilliMinutes) * BigInt(qty);
  return setup + Number((run + 999_999n) / 1_000_000n);
}

function minusDays(date: string | null, days: number): string | null {
  if (!date || days <= 0) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export interface ExplodeInput {
  readonly itemId: string;
  readonly qty: number;
  readonly dueDate: string | null;
  readonly salesOrderId: string | null;
  readonly salesOrderLineId: string | null;
  readonly priority: number;
  readonly withChildren: boolean;
  readonly source: string;
}

/**
 * Creates a work order from the item's active BOM and routing, and child work orders for components
 * that are themselves made (they have an active BOM), all in the caller's transaction. Returns the ids
 * created, parent first.
 */
export async function explodeWorkOrder(
  tx: Tx,
  ctx: Ctx,
  input: ExplodeInput,
  parent: { id: string; rootId: string } | null = null,
  depth = 0,
): Promise<string[]> {
  if (depth > MAX_DEPTH) throw new AppError('INVALID_STATE', `BOM deeper than ${MAX_DEPTH} levels`);
  const item = await tx
    .selectFrom('items')
    .select(['id', 'code', 'active', 'production_lead_days'])
    .where('id', '=', input.itemId)
    .executeTakeFirst();
  if (!item) throw invalidField('/itemId', 'is not a known item', { detail: 'Unknown item' });
  if (item.active !== 1)
    throw invalidField('/itemId', 'is deactivated', { detail: `Item ${item.code} is deactivated` });
  const bom = await repo.activeBom(tx, item.id);
  const routing = await repo.activeRouting(tx, item.id);
  const now = nowIso();
  const id = newId();
  const day = localDay();
  const n = await nextInSequence(tx, 'WO', day);
  const row: WorkOrdersTable = {
    id,
    code: `WO-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`,
    item_id: item.id,
    qty: input.qty,
    qty_good: 0,
    qty_scrap: 0,
    qty_received: 0,
    status: 'draft',
    held_from: null,
    closed_short_reason: null,
    bom_id: bom?.id ?? null,
    routing_id: routing?.id ?? null,
    parent_id: parent?.id ?? null,
    root_id: parent?.rootId ?? id,
    sales_order_id: input.salesOrderId,
    sales_order_line_id: input.salesOrderLineId,
    due_date: input.dueDate,
    priority: input.priority,
    source: input.source,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('work_orders').values(row).execute();
  const created = [id];

  if (bom) {
    const lines = await repo.bomLines(tx, bom.id);
    const childDue = minusDays(input.dueDate, Number(item.production_lead_days ?? 0));
    for (const line of lines) {
      const need = requiredQty(input.qty, Number(line.qty_per), Number(line.scrap_bp));
      let childId: string | null = null;
      if (input.withChildren && (await repo.activeBom(tx, line.component_item_id))) {
        const ids = await explodeWorkOrder(
          tx,
          ctx,
          {
            ...input,
            itemId: line.component_item_id,
            qty: need,
            dueDate: childDue,
            salesOrderLineId: input.salesOrderLineId,
          },
          { id, rootId: row.root_id ?? id },
          depth + 1,
        );
        childId = ids[0] ?? null;
        created.push(...ids);
      }
      await tx
        .insertInto('work_order_materials')
        .values({
          id: newId(),
          work_order_id: id,
          position: line.position,
          item_id: line.component_item_id,
          qty_required: need,
          qty_issued: 0,
          operation_seq: line.operation_seq,
          child_work_order_id: childId,
        })
        .execute();
    }
  }
  if (routing) {
    for (const op of await repo.routingOperations(tx, routing.id)) {
      await tx
        .insertInto('work_order_operations')
        .values({
          id: newId(),
          work_order_id: id,
          seq: op.seq,
          name: op.name,
          work_center_id: op.work_center_id,
          machine_id: null,
          status: 'pending',
          setup_minutes: op.setup_minutes,
          run_mmin: Number(op.run_mmin),
          planned_minutes: plannedMinutes(op.setup_minutes, Number(op.run_mmin), input.qty),
          skill_code: op.skill_code,
          skill_level: op.skill_level,
          tool_code: op.tool_code,
          inspection: op.inspection,
          instructions_url: op.instructions_url,
          drawing_url: op.drawing_url,
          overlap: op.overlap,
          wait_minutes: op.wait_minutes,
          predecessors: op.predecessors,
          qty_good: 0,
          qty_scrap: 0,
          planned_start: null,
          planned_end: null,
          version: 1,
          updated_at: now,
          held_from: null,
          dispatch_no: 0,
          dispatched_at: null,
          dispatch_error: null,
          external_ack_at: null,
          started_at: null,
          status_since: now,
          operator_id: null,
        })
        .execute();
    }
  }
  await recordAudit(tx, ctx, {
    entityType: 'work_order',
    entityId: id,
    action: 'create',
    before: null,
    after: row,
  });
  await appendEvent(tx, ctx, {
    type: 'workorder.created',
    aggregateType: 'work_order',
    aggregateId: id,
    data: {
      id,
      code: row.code,
      itemId: row.item_id,
      qty: row.qty,
      parentId: row.parent_id,
      salesOrderId: row.sales_order_id,
      salesOrderLineId: row.sales_order_line_id,
    },
  });
  return created;
}
