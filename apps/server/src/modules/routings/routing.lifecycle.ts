import type { Routing } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import { staleVersion } from '../calendars/calendar.service.ts';
import * as repo from './routing.repo.ts';
import { audited, toRouting } from './routing.service.ts';

/** Routing version lifecycle: draft → active (the previous active one archived) → archived; drafts may be deleted. */
export async function activateRouting(db: Db, ctx: Ctx, id: string, version: number): Promise<Routing> {
  try {
    return await db.transaction(async (tx) => {
      await repo.lockRoutings(tx, db.dialect);
      const before = await repo.findRouting(tx, id);
      if (!before) throw notFound('Routing', id);
      if (before.version !== version) throw staleVersion('Routing', before.item_code, before.version);
      if (before.status === 'active')
        throw new AppError('INVALID_STATE', 'This routing version is already active');
      const previous = await repo.activeRoutingOf(tx, before.item_id);
      const now = nowIso();
      if (previous) {
        const archived = await repo.updateRouting(tx, previous.id, previous.version, {
          status: 'archived',
          updated_at: now,
        });
        if (!archived) throw staleVersion('Routing', previous.item_code, previous.version);
        await audited(
          tx,
          ctx,
          'routing.archived',
          'archive',
          previous,
          archived,
          await repo.operationsOf(tx, [previous.id]),
        );
      }
      const after = await repo.updateRouting(tx, id, version, { status: 'active', updated_at: now });
      if (!after) throw staleVersion('Routing', before.item_code, before.version);
      const ops = await repo.operationsOf(tx, [id]);
      await audited(tx, ctx, 'routing.activated', 'activate', before, after, ops);
      return toRouting(after, ops);
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

export async function archiveRouting(db: Db, ctx: Ctx, id: string, version: number): Promise<Routing> {
  return db.transaction(async (tx) => {
    const before = await repo.findRouting(tx, id);
    if (!before) throw notFound('Routing', id);
    if (before.version !== version) throw staleVersion('Routing', before.item_code, before.version);
    if (before.status === 'archived')
      throw new AppError('INVALID_STATE', 'This routing version is already archived');
    const after = await repo.updateRouting(tx, id, version, { status: 'archived', updated_at: nowIso() });
    if (!after) throw staleVersion('Routing', before.item_code, before.version);
    const ops = await repo.operationsOf(tx, [id]);
    await audited(tx, ctx, 'routing.archived', 'archive', before, after, ops);
    return toRouting(after, ops);
  });
}

export async function deleteRouting(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repo.findRouting(tx, id);
    if (!before) throw notFound('Routing', id);
    if (before.status !== 'draft')
      throw new AppError(
        'IN_USE',
        `Routing ${before.item_code} ${before.version_label} is ${before.status}; archive it instead`,
      );
    await repo.deleteRouting(tx, id);
    await recordAudit(tx, ctx, {
      entityType: 'routing',
      entityId: id,
      action: 'delete',
      before,
      after: null,
    });
    await appendEvent(tx, ctx, {
      type: 'routing.deleted',
      aggregateType: 'routing',
      aggregateId: id,
      data: { id, itemId: before.item_id },
    });
  });
}
