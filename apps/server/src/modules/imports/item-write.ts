import type { Ctx } from '../../platform/context.ts';
import { diffRows } from '../../platform/audit.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { ItemsTable } from '../../platform/db/schema.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { bulkId } from './bulk-ids.ts';
import { createdDiff, ITEM_BATCH } from './item-created.ts';
import { bulkInsert, SQLITE_SLICE_ROWS, yieldToEventLoop } from './bulk-insert.ts';
import { toItem } from '../items/item.service.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import { cacheOf } from '../../platform/cache/cache.ts';

export interface ItemPlan {
  readonly inserts: ItemsTable[];
  readonly updates: { before: ItemsTable; after: ItemsTable }[];
}

export { createdDiff, ITEM_BATCH } from './item-created.ts';

function chunks<T>(list: readonly T[]): T[][] {
  if (list.length <= ITEM_BATCH) return list.length === 0 ? [] : [list as T[]];
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += ITEM_BATCH) out.push(list.slice(i, i + ITEM_BATCH));
  return out;
}

/** A unique violation while writing an import: someone created one of its codes meanwhile. */
export function importWriteError(err: unknown): unknown {
  return isUniqueViolation(err)
    ? new AppError(
        'DUPLICATE_CODE',
        'An item code in the file was created by someone else meanwhile; run the import again',
      )
    : err;
}

/**
 * Writes validated plans within a transaction, in batches: the item rows, one audit entry per item
 * (the same entry a create or update by hand records) and one item.created / item.updated event each.
 */
export function itemPlanWriter(db: Db, ctx: Ctx, now: string): (tx: Tx, plan: ItemPlan) => Promise<void> {
  const dialect = db.dialect;
  const actorId = ctx.actor.id ?? ctx.actor.login;
  const audit = (id: string, action: string, before: object | null, after: object) => ({
    id: bulkId(),
    at: now,
    actor_type: ctx.actor.type,
    actor_id: actorId,
    ip: ctx.ip,
    user_agent: ctx.userAgent,
    entity_type: 'item',
    entity_id: id,
    action,
    diff: before ? JSON.stringify(diffRows(before, after)) : createdDiff(after as Record<string, unknown>),
    request_id: ctx.requestId,
  });
  const event = (row: ItemsTable, verb: string) => ({
    id: bulkId(),
    type: `item.${verb}`,
    aggregate_type: 'item',
    aggregate_id: row.id,
    data: JSON.stringify(toItem(row)),
    occurred_at: now,
    request_id: ctx.requestId,
    dispatched_at: null,
  });
  const writeSide = async (
    tx: Tx,
    rows: { audit: ReturnType<typeof audit>; event: ReturnType<typeof event> }[],
  ) => {
    await bulkInsert(
      tx,
      dialect,
      'audit_log',
      rows.map((r) => r.audit),
    );
    await bulkInsert(
      tx,
      dialect,
      'outbox',
      rows.map((r) => r.event),
    );
  };
  return async (tx, plan) => {
    for (const batch of chunks(plan.inserts)) {
      await bulkInsert(tx, dialect, 'items', batch as unknown as Record<string, unknown>[]);
      await writeSide(
        tx,
        batch.map((row) => ({
          audit: audit(row.id, 'create', null, { ...row, conversions: [] }),
          event: event(row, 'created'),
        })),
      );
    }
    for (const batch of chunks(plan.updates)) {
      for (const [n, { before, after }] of batch.entries()) {
        // One statement per row: on SQLite the event loop takes a turn now and then (see bulkInsert).
        if (dialect === 'sqlite' && n % SQLITE_SLICE_ROWS === 0) await yieldToEventLoop();
        const res = await tx
          .updateTable('items')
          .set({ ...after, version: before.version + 1 })
          .where('id', '=', before.id)
          .where('version', '=', before.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw staleVersion('Item', before.code, before.version + 1);
        after.version = before.version + 1;
        cacheOf(tx).invalidate(tx, 'items', before.id);
      }
      await writeSide(
        tx,
        batch.map(({ before, after }) => ({
          audit: audit(
            before.id,
            before.active === 1 && after.active === 0 ? 'deactivate' : 'update',
            before,
            after,
          ),
          event: event(after, 'updated'),
        })),
      );
    }
  };
}
