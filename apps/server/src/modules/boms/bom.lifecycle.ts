import type { Bom } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import { staleVersion } from '../calendars/calendar.service.ts';
import * as repo from './bom.repo.ts';
import { assertNoCycle, audited, toBom } from './bom.service.ts';

/** BOM version lifecycle: draft → active (the previous active one archived) → archived; drafts may be deleted. */
/** Makes this version the item's one active BOM, archiving the previous one. */
export async function activateBom(db: Db, ctx: Ctx, id: string, version: number): Promise<Bom> {
  try {
    return await db.transaction(async (tx) => {
      await repo.lockStructure(tx, db.dialect);
      const before = await repo.findBom(tx, id);
      if (!before) throw notFound('BOM', id);
      if (before.version !== version) throw staleVersion('BOM', before.item_code, before.version);
      if (before.status === 'active')
        throw new AppError(
          'INVALID_STATE',
          `BOM ${before.item_code} ${before.version_label} is already active`,
        );
      const lines = await repo.linesOf(tx, [id]);
      await assertNoCycle(tx, before.item_id, before.item_code, lines);
      const previous = await repo.activeBomOf(tx, before.item_id);
      const now = nowIso();
      if (previous) {
        const archived = await repo.updateBom(tx, previous.id, previous.version, {
          status: 'archived',
          updated_at: now,
        });
        if (!archived) throw staleVersion('BOM', previous.item_code, previous.version);
        await audited(
          tx,
          ctx,
          'bom.archived',
          'archive',
          previous,
          archived,
          await repo.linesOf(tx, [previous.id]),
        );
      }
      const after = await repo.updateBom(tx, id, version, { status: 'active', updated_at: now });
      if (!after) throw staleVersion('BOM', before.item_code, before.version);
      await audited(tx, ctx, 'bom.activated', 'activate', before, after, lines);
      return toBom(after, lines);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(
        'INVALID_STATE',
        'Another version of this item was activated at the same time; reload and retry',
      );
    throw err;
  }
}

/** Takes an active (or draft) version out of use; the item then has no active BOM until one is activated. */
export async function archiveBom(db: Db, ctx: Ctx, id: string, version: number): Promise<Bom> {
  return db.transaction(async (tx) => {
    const before = await repo.findBom(tx, id);
    if (!before) throw notFound('BOM', id);
    if (before.version !== version) throw staleVersion('BOM', before.item_code, before.version);
    if (before.status === 'archived')
      throw new AppError('INVALID_STATE', 'This BOM version is already archived');
    const after = await repo.updateBom(tx, id, version, { status: 'archived', updated_at: nowIso() });
    if (!after) throw staleVersion('BOM', before.item_code, before.version);
    const lines = await repo.linesOf(tx, [id]);
    await audited(tx, ctx, 'bom.archived', 'archive', before, after, lines);
    return toBom(after, lines);
  });
}

/** Only drafts are deleted; active and archived versions are history, archive them instead. */
export async function deleteBom(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repo.findBom(tx, id);
    if (!before) throw notFound('BOM', id);
    if (before.status !== 'draft')
      throw new AppError(
        'IN_USE',
        `BOM ${before.item_code} ${before.version_label} is ${before.status}; archive it instead`,
      );
    const lines = await repo.linesOf(tx, [id]);
    await repo.deleteBom(tx, id);
    await recordAudit(tx, ctx, {
      entityType: 'bom',
      entityId: id,
      action: 'delete',
      before: { ...before, lines },
      after: null,
    });
    await appendEvent(tx, ctx, {
      type: 'bom.deleted',
      aggregateType: 'bom',
      aggregateId: id,
      data: { id, itemId: before.item_id },
    });
  });
}
