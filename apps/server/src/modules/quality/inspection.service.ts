import type {
  FirstArticleState,
  Inspection,
  InspectionListQuery,
  InspectionRequest,
  InspectionResult,
} from '@takt/contracts';
import { characteristicConforms, checkInspectionResult, firstArticleState } from '@takt/domain';
import { raiseAlert } from '../../platform/alerts.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { InspectionCharacteristicsTable, InspectionsTable } from '../../platform/db/schema-quality.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { localDay, nextInSequence } from '../../platform/sequences.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import * as repo from './inspection.repo.ts';

function toInspection(r: repo.InspectionRow, lines: readonly InspectionCharacteristicsTable[]): Inspection {
  return {
    id: r.id,
    code: r.code,
    type: r.type,
    state: r.state,
    operationId: r.operation_id,
    operationSeq: r.op_seq,
    operationName: r.op_name,
    workOrderId: r.work_order_id,
    workOrderCode: r.wo_code,
    itemId: r.item_id,
    itemCode: r.item_code,
    machineId: r.machine_id,
    sampleQty: r.sample_qty === null ? null : formatQty(Number(r.sample_qty)),
    requestNote: r.request_note,
    notes: r.notes,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    inspector: r.inspector,
    inspectedAt: r.inspected_at,
    characteristics: lines
      .filter((l) => l.inspection_id === r.id)
      .map((l) => ({
        name: l.name,
        nominal: l.nominal,
        lowerTol: l.lower_tol,
        upperTol: l.upper_tol,
        measured: l.measured,
        unit: l.unit,
        conforming: l.conforming === 1,
      })),
    version: r.version,
  };
}

async function load(h: Tx | Db['kysely'], id: string): Promise<Inspection> {
  const row = await repo.findInspection(h, id);
  if (!row) throw notFound('Inspection', id);
  return toInspection(row, await repo.characteristicsOf(h, [id]));
}

export async function getInspection(db: Db, id: string): Promise<Inspection> {
  return load(db.kysely, id);
}

export async function listInspections(db: Db, q: InspectionListQuery): Promise<Inspection[]> {
  const rows = await repo.listInspections(db.kysely, q);
  const lines = await repo.characteristicsOf(
    db.kysely,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toInspection(r, lines));
}

export interface FirstArticleStatus {
  readonly state: FirstArticleState;
  /** An inspection is requested and waits for its result. */
  readonly requested: boolean;
}

/**
 * The first-article status of operations from the recorded inspections; an operation whose routing
 * step does not ask for inspection is 'not_required'.
 */
export async function firstArticleStatuses(
  h: Tx | Db['kysely'],
  ops: readonly { id: string; inspection: number }[],
): Promise<Map<string, FirstArticleStatus>> {
  const latest = await repo.latestFirstArticles(
    h,
    ops.filter((o) => o.inspection === 1).map((o) => o.id),
  );
  return new Map(
    ops.map((o) => {
      const last = latest.get(o.id) ?? null;
      return [
        o.id,
        {
          state: firstArticleState(o.inspection === 1, last),
          requested: o.inspection === 1 && last === 'requested',
        },
      ];
    }),
  );
}

export async function firstArticleStatus(
  h: Tx | Db['kysely'],
  op: { id: string; inspection: number },
): Promise<FirstArticleStatus> {
  return (await firstArticleStatuses(h, [op])).get(op.id)!;
}

/**
 * Asks quality for a first-article check of an operation (from the terminal once the first piece is
 * made). Asking again while a request is open returns that request.
 */
export async function requestInspection(
  db: Db,
  ctx: Ctx,
  input: InspectionRequest,
): Promise<{ created: boolean; inspection: Inspection }> {
  return db.transaction(async (tx) => {
    const op = await repo.lockOperationForInspection(tx, db, input.operationId);
    if (!op) throw invalidField('/operationId', 'is not a known operation', { detail: 'Unknown operation' });
    if (op.inspection !== 1)
      throw invalidField('/operationId', 'does not require a first-article inspection', {
        detail: 'The routing step of this operation does not ask for a first-article inspection',
      });
    if (['completed', 'cancelled'].includes(op.status))
      throw new AppError('INVALID_STATE', `The operation is ${op.status}`, {
        extra: { reason: 'OPERATION_CLOSED' },
      });
    const status = await firstArticleStatus(tx, op);
    if (status.state === 'passed')
      throw new AppError('INVALID_STATE', 'The first article of this operation has already passed', {
        extra: { reason: 'FIRST_ARTICLE_ALREADY_PASSED' },
      });
    if (status.requested) {
      const open = await repo.listInspections(tx, { operationId: op.id, state: 'requested', limit: 1 });
      return { created: false, inspection: toInspection(open[0]!, []) };
    }
    const day = localDay();
    const n = await nextInSequence(tx, 'QI', day);
    const row: InspectionsTable = {
      id: newId(),
      code: `QI-${day.slice(2).replaceAll('-', '')}-${String(n).padStart(4, '0')}`,
      type: input.type ?? 'first_article',
      state: 'requested',
      operation_id: op.id,
      work_order_id: op.work_order_id,
      item_id: op.item_id,
      sample_qty: null,
      request_note: input.note?.trim() ?? '',
      notes: '',
      requested_by: ctx.actor.login,
      requested_at: nowIso(),
      inspector: null,
      inspected_at: null,
      version: 1,
    };
    await tx.insertInto('inspections').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'inspection',
      entityId: row.id,
      action: 'request',
      before: null,
      after: row,
    });
    const out = await load(tx, row.id);
    await appendEvent(tx, ctx, {
      type: 'quality.inspection_requested',
      aggregateType: 'inspection',
      aggregateId: row.id,
      data: out,
    });
    return { created: true, inspection: out };
  });
}

/**
 * Records the inspector's result with the measured characteristics. A failed first article raises
 * a critical alert for the supervisor: the operation cannot start its run until a new check passes.
 */
export async function recordInspectionResult(
  db: Db,
  ctx: Ctx,
  id: string,
  input: InspectionResult,
): Promise<Inspection> {
  const sample = parseQtyField('/sampleQty', input.sampleQty);
  if (sample <= 0)
    throw invalidField('/sampleQty', 'must be greater than zero', { detail: 'Inspect at least one piece' });
  const lines = (input.characteristics ?? []).map((c, i) => {
    const line = {
      name: c.name.trim(),
      nominal: c.nominal?.trim() || null,
      lowerTol: c.lowerTol?.trim() || null,
      upperTol: c.upperTol?.trim() || null,
      measured: c.measured.trim(),
      unit: c.unit?.trim() ?? '',
    };
    const conforms = characteristicConforms(line);
    if (!conforms.ok)
      throw invalidField(`/characteristics/${i}/${conforms.field ?? 'measured'}`, conforms.message, {
        detail: `Characteristic ${line.name}: ${conforms.message}`,
      });
    return { ...line, conforming: conforms.value };
  });
  return db.transaction(async (tx) => {
    const before = await repo.lockInspection(tx, db, id);
    if (!before) throw notFound('Inspection', id);
    if (before.version !== input.version)
      throw new AppError('STALE_VERSION', `Inspection ${before.code} was changed by someone else`, {
        extra: { currentVersion: before.version },
      });
    const checked = checkInspectionResult(
      before.state,
      input.result,
      lines.map((l) => l.conforming),
    );
    if (!checked.ok) {
      if (checked.code === 'PASS_WITH_NONCONFORMING') {
        const line = Number(checked.details?.line ?? 0);
        throw invalidField(
          `/characteristics/${line}/measured`,
          'is outside the tolerance of a passed inspection',
          {
            detail: `${lines[line]?.name ?? ''} is outside its tolerance: record a fail`,
          },
        );
      }
      throw new AppError('INVALID_STATE', checked.message, { extra: { reason: checked.code } });
    }
    const after = await tx
      .updateTable('inspections')
      .set({
        state: checked.value,
        sample_qty: sample,
        notes: input.notes?.trim() ?? '',
        inspector: ctx.actor.login,
        inspected_at: nowIso(),
        version: before.version + 1,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (lines.length > 0)
      await tx
        .insertInto('inspection_characteristics')
        .values(
          lines.map((l, i) => ({
            inspection_id: id,
            line: i + 1,
            name: l.name,
            nominal: l.nominal,
            lower_tol: l.lowerTol,
            upper_tol: l.upperTol,
            measured: l.measured,
            unit: l.unit,
            conforming: l.conforming ? 1 : 0,
          })),
        )
        .execute();
    await recordAudit(tx, ctx, {
      entityType: 'inspection',
      entityId: id,
      action: input.result === 'pass' ? 'pass' : 'fail',
      before,
      after: { ...after, characteristics: lines },
    });
    const out = await load(tx, id);
    await appendEvent(tx, ctx, {
      type: 'quality.inspection_recorded',
      aggregateType: 'inspection',
      aggregateId: id,
      data: out,
    });
    if (checked.value === 'failed') {
      const bad = out.characteristics.filter((c) => !c.conforming).map((c) => `${c.name} ${c.measured}`);
      await raiseAlert(tx, ctx, {
        severity: 'critical',
        kind: 'quality.first_article_failed',
        title: `首件检验不合格 First article failed ${out.code} ${out.workOrderCode}/${out.operationSeq}`,
        detail: [out.notes, bad.length ? `out of tolerance: ${bad.join(', ')}` : '']
          .filter(Boolean)
          .join(' — '),
        entityType: 'inspection',
        entityId: id,
        dedupeKey: `inspection:${id}`,
      });
    }
    return out;
  });
}
