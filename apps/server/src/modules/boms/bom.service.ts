import type { Bom, BomCreate, BomListQuery, BomUpdate, Item, PageOf } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { BomLinesTable, BomsTable } from '../../platform/db/schema.ts';
import { AppError, type FieldError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { staleVersion } from '../calendars/calendar.service.ts';
import { getItem } from '../items/item.service.ts';
import * as repo from './bom.repo.ts';
import { checkLines, findBomCycle, withPositions } from './bom.rules.ts';

/**
 * BOMs: one header per item and version, lines of components. Drafts are edited; activating a version
 * archives the item's previous active one in the same transaction (one active per item, also a
 * partial unique index). Every change that could close a loop is checked against the whole active
 * structure and refused with BOM_CYCLE naming the item codes of the loop.
 */
export function toBom(row: BomsTable, lines: readonly BomLinesTable[]): Bom {
  return {
    id: row.id,
    itemId: row.item_id,
    itemCode: row.item_code,
    versionLabel: row.version_label,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    status: row.status,
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      componentItemId: l.component_item_id,
      componentCode: l.component_code,
      qtyPer: formatQty(Number(l.qty_per)),
      scrapBp: l.scrap_bp,
      operationSeq: l.operation_seq,
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

/** Items by id through the items service; unknown ids are absent from the map. */
export async function lookupItems(db: Db, ids: readonly string[]): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        out.set(id, await getItem(db, id));
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      }
    }),
  );
  return out;
}

function checkDates(from: string | null | undefined, to: string | null | undefined): void {
  if (from && to && to < from)
    throw invalid([{ field: '/effectiveTo', message: 'must not be before effectiveFrom' }]);
}

/** Validates lines against known items and builds their rows. */
async function buildLines(db: Db, bomId: string, input: BomCreate['lines']): Promise<BomLinesTable[]> {
  const lines = withPositions(input);
  const items = await lookupItems(
    db,
    lines.map((l) => l.componentItemId),
  );
  const parsed = lines.map((l, i) => ({ ...l, qty: parseQtyField(`/lines/${i}/qtyPer`, l.qtyPer) }));
  const problems: FieldError[] = [
    ...checkLines(parsed.map((l) => ({ position: l.position, qtyPer: l.qty }))),
  ];
  parsed.forEach((l, i) => {
    if (!items.has(l.componentItemId))
      problems.push({ field: `/lines/${i}/componentItemId`, message: 'is not a known item' });
  });
  if (problems.length > 0) throw invalid(problems);
  return parsed.map((l) => ({
    id: newId(),
    bom_id: bomId,
    position: l.position,
    component_item_id: l.componentItemId,
    component_code: items.get(l.componentItemId)!.code,
    qty_per: l.qty,
    scrap_bp: l.scrapBp ?? 0,
    operation_seq: l.operationSeq ?? null,
  }));
}

/** Refuses a structure in which `itemId` (with `lines`) would be part of a cycle. */
export async function assertNoCycle(
  tx: Tx,
  itemId: string,
  itemCode: string,
  lines: readonly BomLinesTable[],
) {
  const active = await repo.activeEdges(tx);
  const cycle = findBomCycle(
    active,
    itemId,
    lines.map((l) => l.component_item_id),
  );
  if (!cycle) return;
  const codes = new Map<string, string>([[itemId, itemCode]]);
  for (const e of active) codes.set(e.parent, e.parentCode).set(e.component, e.componentCode);
  for (const l of lines) codes.set(l.component_item_id, l.component_code);
  const path = cycle.map((id) => codes.get(id) ?? id);
  throw new AppError('BOM_CYCLE', `BOM would contain a cycle: ${path.join(' → ')}`, {
    extra: { cycle: path },
  });
}

export async function audited(
  tx: Tx,
  ctx: Ctx,
  type: string,
  action: string,
  before: BomsTable | null,
  after: BomsTable,
  lines: readonly BomLinesTable[],
) {
  await recordAudit(tx, ctx, {
    entityType: 'bom',
    entityId: after.id,
    action,
    before,
    after: { ...after, lines },
  });
  await appendEvent(tx, ctx, {
    type,
    aggregateType: 'bom',
    aggregateId: after.id,
    data: toBom(after, lines),
  });
}

export async function createBom(db: Db, ctx: Ctx, input: BomCreate): Promise<Bom> {
  checkDates(input.effectiveFrom, input.effectiveTo);
  const item = (await lookupItems(db, [input.itemId])).get(input.itemId);
  if (!item) throw invalid([{ field: '/itemId', message: 'is not a known item' }]);
  const now = nowIso();
  const row: BomsTable = {
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
  const lines = await buildLines(db, row.id, input.lines);
  try {
    await db.transaction(async (tx) => {
      await repo.lockStructure(tx, db.dialect);
      await assertNoCycle(tx, item.id, item.code, lines);
      await repo.insertBom(tx, row);
      await repo.replaceLines(tx, row.id, lines);
      await audited(tx, ctx, 'bom.created', 'create', null, row, lines);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'DUPLICATE_CODE',
        `Item ${item.code} already has a BOM version ${row.version_label}`,
        {
          fieldErrors: [
            { field: '/versionLabel', message: 'is already in use for this item', code: 'duplicate' },
          ],
        },
      );
    }
    throw err;
  }
  return toBom(row, lines);
}

export async function getBom(db: Db, id: string): Promise<Bom> {
  const row = await repo.findBom(db.kysely, id);
  if (!row) throw notFound('BOM', id);
  return toBom(row, await repo.linesOf(db.kysely, [id]));
}

export async function updateBom(db: Db, ctx: Ctx, id: string, input: BomUpdate): Promise<Bom> {
  const current = await repo.findBom(db.kysely, id);
  if (!current) throw notFound('BOM', id);
  const lines = input.lines ? await buildLines(db, id, input.lines) : null;
  return db.transaction(async (tx) => {
    await repo.lockStructure(tx, db.dialect);
    const before = await repo.findBom(tx, id);
    if (!before) throw notFound('BOM', id);
    if (before.version !== input.version) throw staleVersion('BOM', before.item_code, before.version);
    const structural = lines !== null || input.versionLabel !== undefined;
    if (before.status === 'archived' || (structural && before.status !== 'draft')) {
      throw new AppError(
        'INVALID_STATE',
        `BOM ${before.item_code} ${before.version_label} is ${before.status}; change a draft version instead`,
      );
    }
    const changes: Partial<BomsTable> = { updated_at: nowIso() };
    if (input.versionLabel !== undefined) changes.version_label = input.versionLabel.trim();
    if (input.effectiveFrom !== undefined) changes.effective_from = input.effectiveFrom;
    if (input.effectiveTo !== undefined) changes.effective_to = input.effectiveTo;
    checkDates(changes.effective_from ?? before.effective_from, changes.effective_to ?? before.effective_to);
    if (lines) await assertNoCycle(tx, before.item_id, before.item_code, lines);
    const after = await repo.updateBom(tx, id, input.version, changes);
    if (!after) throw staleVersion('BOM', before.item_code, before.version);
    if (lines) await repo.replaceLines(tx, id, lines);
    const finalLines = lines ?? (await repo.linesOf(tx, [id]));
    await audited(tx, ctx, 'bom.updated', 'update', before, after, finalLines);
    return toBom(after, finalLines);
  });
}

export async function listBoms(db: Db, query: BomListQuery): Promise<PageOf<Bom>> {
  const { rows, nextCursor } = await repo.listBoms(db.kysely, db.dialect, query);
  const lines = await repo.linesOf(
    db.kysely,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) =>
      toBom(
        r,
        lines.filter((l) => l.bom_id === r.id),
      ),
    ),
    nextCursor,
  };
}
