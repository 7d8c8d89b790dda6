import type { PageOf, Routing, RoutingCreate, RoutingListQuery, RoutingUpdate } from '@takt/contracts';
import type { Selectable } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type {
  RoutingAlternativesTable,
  RoutingOperationsTable,
  RoutingsTable,
} from '../../platform/db/schema.ts';
import { AppError, type FieldError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { lookupItems } from '../boms/bom.service.ts';
import { staleVersion } from '../calendars/calendar.service.ts';
import { getMachines } from '../workcenters/machine.service.ts';
import { getWorkCenter } from '../workcenters/workcenter.service.ts';
import * as repo from './routing.repo.ts';
import {
  checkOperations,
  findOperationCycle,
  formatRunMinutes,
  parseRunMinutes,
  repeatedMachines,
  resolvePredecessors,
} from './routing.rules.ts';

/**
 * Routings: per item and version, the operations that make it, each on a work center (machine group)
 * with optional alternative machines and their own times. Versioned like BOMs: drafts are edited, one
 * version per item is active.
 */
type Ops = Awaited<ReturnType<typeof repo.operationsOf>>;

/** A routing's stored operations and alternative machines, read and replaced inside a transaction (sheet imports). */
export { operationsOf, replaceOperations, type Operations } from './routing.repo.ts';

export function toRouting(row: RoutingsTable, { ops, alts }: Ops): Routing {
  return {
    id: row.id,
    itemId: row.item_id,
    itemCode: row.item_code,
    versionLabel: row.version_label,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    status: row.status,
    operations: ops
      .filter((o) => o.routing_id === row.id)
      .map((o) => ({
        id: o.id,
        seq: o.seq,
        name: o.name,
        workCenterId: o.work_center_id,
        setupMinutes: o.setup_minutes,
        runMinutes: formatRunMinutes(Number(o.run_mmin)),
        transferBatch: o.transfer_batch === null ? null : formatQty(Number(o.transfer_batch)),
        skillCode: o.skill_code,
        skillLevel: o.skill_level,
        toolCode: o.tool_code,
        waitMinutes: o.wait_minutes,
        overlap: o.overlap === 1,
        inspection: o.inspection === 1,
        instructionsUrl: o.instructions_url,
        drawingUrl: o.drawing_url,
        predecessors: JSON.parse(o.predecessors) as number[],
        alternatives: alts
          .filter((a) => a.operation_id === o.id)
          .map((a) => ({
            machineId: a.machine_id,
            runMinutes: formatRunMinutes(Number(a.run_mmin)),
            setupMinutes: a.setup_minutes,
            priority: a.priority,
          })),
      })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const invalid = (errors: FieldError[]) =>
  new AppError('VALIDATION_FAILED', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
    fieldErrors: errors,
  });

async function knownWorkCenters(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all(
    [...new Set(ids)].map((id) =>
      getWorkCenter(db, id).then(
        () => id,
        () => null,
      ),
    ),
  );
  return new Set(found.filter((id): id is string => id !== null));
}

/** Validates operations (references, DAG) and builds their rows. */
async function buildOperations(db: Db, routingId: string, input: RoutingCreate['operations']): Promise<Ops> {
  const preds = resolvePredecessors(input);
  const problems: FieldError[] = [...checkOperations(input, preds)];
  const centers = await knownWorkCenters(
    db,
    input.map((o) => o.workCenterId),
  );
  const machines = new Set(
    (
      await getMachines(
        db,
        input.flatMap((o) => (o.alternatives ?? []).map((a) => a.machineId)),
      )
    ).map((m) => m.id),
  );
  input.forEach((o, i) => {
    if (!centers.has(o.workCenterId))
      problems.push({ field: `/operations/${i}/workCenterId`, message: 'is not a known work center' });
    const ids = (o.alternatives ?? []).map((a) => a.machineId);
    const repeated = repeatedMachines(ids);
    ids.forEach((machineId, j) => {
      const field = `/operations/${i}/alternatives/${j}/machineId`;
      if (!machines.has(machineId)) problems.push({ field, message: 'is not a known machine' });
      else if (repeated.has(j)) problems.push({ field, message: 'is listed twice' });
    });
  });
  if (problems.length > 0) throw invalid(problems);
  const cycle = findOperationCycle(input, preds);
  if (cycle) {
    throw new AppError('ROUTING_CYCLE', `Operations wait for each other in a cycle: ${cycle.join(' → ')}`, {
      fieldErrors: [
        {
          field: `/operations/${input.findIndex((o) => o.seq === cycle[0])}/predecessors`,
          message: `closes the cycle ${cycle.join(' → ')}`,
        },
      ],
      extra: { cycle },
    });
  }
  const ops: Selectable<RoutingOperationsTable>[] = [];
  const alts: RoutingAlternativesTable[] = [];
  input.forEach((o, i) => {
    const id = newId();
    const batch = o.transferBatch ? parseQtyField(`/operations/${i}/transferBatch`, o.transferBatch) : null;
    if (batch !== null && batch <= 0)
      throw invalid([{ field: `/operations/${i}/transferBatch`, message: 'must be greater than 0' }]);
    ops.push({
      id,
      routing_id: routingId,
      seq: o.seq,
      name: o.name.trim(),
      work_center_id: o.workCenterId,
      setup_minutes: o.setupMinutes ?? 0,
      run_mmin: parseRunMinutes(o.runMinutes),
      transfer_batch: batch,
      skill_code: o.skillCode?.trim() || null,
      skill_level: o.skillLevel ?? null,
      tool_code: o.toolCode?.trim().toUpperCase() || null,
      wait_minutes: o.waitMinutes ?? 0,
      overlap: o.overlap ? 1 : 0,
      inspection: o.inspection ? 1 : 0,
      predecessors: JSON.stringify(preds[i] ?? []),
      instructions_url: o.instructionsUrl?.trim() || null,
      drawing_url: o.drawingUrl?.trim() || null,
    });
    for (const a of o.alternatives ?? []) {
      alts.push({
        id: newId(),
        operation_id: id,
        machine_id: a.machineId,
        setup_minutes: a.setupMinutes ?? null,
        run_mmin: parseRunMinutes(a.runMinutes),
        priority: a.priority ?? 0,
      });
    }
  });
  ops.sort((a, b) => a.seq - b.seq);
  return { ops, alts };
}

export async function audited(
  tx: Tx,
  ctx: Ctx,
  type: string,
  action: string,
  before: RoutingsTable | null,
  after: RoutingsTable,
  ops: Ops,
) {
  await recordAudit(tx, ctx, {
    entityType: 'routing',
    entityId: after.id,
    action,
    before,
    after: { ...after, operations: ops.ops.length },
  });
  await appendEvent(tx, ctx, {
    type,
    aggregateType: 'routing',
    aggregateId: after.id,
    data: toRouting(after, ops),
  });
}

function checkDates(from: string | null | undefined, to: string | null | undefined): void {
  if (from && to && to < from)
    throw invalid([{ field: '/effectiveTo', message: 'must not be before effectiveFrom' }]);
}

export async function createRouting(db: Db, ctx: Ctx, input: RoutingCreate): Promise<Routing> {
  checkDates(input.effectiveFrom, input.effectiveTo);
  const item = (await lookupItems(db, [input.itemId])).get(input.itemId);
  if (!item) throw invalid([{ field: '/itemId', message: 'is not a known item' }]);
  const now = nowIso();
  const row: RoutingsTable = {
    id: newId(),
    item_id: item.id,
    item_code: item.code,
    version_label: input.versionLabel.trim(),
    effective_from: input.effectiveFrom ?? null,
    effective_to: input.effectiveTo ?? null,
    status: 'draft',
    version: 1,
    created_at: now,
    updated_at: now,
  };
  const ops = await buildOperations(db, row.id, input.operations);
  try {
    await db.transaction(async (tx) => {
      await repo.insertRouting(tx, row);
      await repo.replaceOperations(tx, row.id, ops.ops, ops.alts);
      await audited(tx, ctx, 'routing.created', 'create', null, row, ops);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'DUPLICATE_CODE',
        `Item ${item.code} already has a routing version ${row.version_label}`,
        {
          fieldErrors: [
            { field: '/versionLabel', message: 'is already in use for this item', code: 'duplicate' },
          ],
        },
      );
    }
    throw err;
  }
  return toRouting(row, ops);
}

export async function getRouting(db: Db, id: string): Promise<Routing> {
  const row = await repo.findRouting(db.kysely, id);
  if (!row) throw notFound('Routing', id);
  return toRouting(row, await repo.operationsOf(db.kysely, [id]));
}

export async function updateRouting(db: Db, ctx: Ctx, id: string, input: RoutingUpdate): Promise<Routing> {
  if (!(await repo.findRouting(db.kysely, id))) throw notFound('Routing', id);
  const ops = input.operations ? await buildOperations(db, id, input.operations) : null;
  return db.transaction(async (tx) => {
    const before = await repo.findRouting(tx, id);
    if (!before) throw notFound('Routing', id);
    if (before.version !== input.version) throw staleVersion('Routing', before.item_code, before.version);
    const structural = ops !== null || input.versionLabel !== undefined;
    if (before.status === 'archived' || (structural && before.status !== 'draft')) {
      throw new AppError(
        'INVALID_STATE',
        `Routing ${before.item_code} ${before.version_label} is ${before.status}; change a draft version instead`,
      );
    }
    const changes: Partial<RoutingsTable> = { updated_at: nowIso() };
    if (input.versionLabel !== undefined) changes.version_label = input.versionLabel.trim();
    if (input.effectiveFrom !== undefined) changes.effective_from = input.effectiveFrom;
    if (input.effectiveTo !== undefined) changes.effective_to = input.effectiveTo;
    checkDates(changes.effective_from ?? before.effective_from, changes.effective_to ?? before.effective_to);
    const after = await repo.updateRouting(tx, id, input.version, changes);
    if (!after) throw staleVersion('Routing', before.item_code, before.version);
    if (ops) await repo.replaceOperations(tx, id, ops.ops, ops.alts);
    const final = ops ?? (await repo.operationsOf(tx, [id]));
    await audited(tx, ctx, 'routing.updated', 'update', before, after, final);
    return toRouting(after, final);
  });
}

export async function listRoutings(db: Db, query: RoutingListQuery): Promise<PageOf<Routing>> {
  const { rows, nextCursor } = await repo.listRoutings(db.kysely, db.dialect, query);
  const ops = await repo.operationsOf(
    db.kysely,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toRouting(r, ops)), nextCursor };
}
