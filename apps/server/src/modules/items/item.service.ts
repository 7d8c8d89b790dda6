import type { Item, ItemCreate, ItemListQuery, ItemUpdate, PageOf } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ItemsTable } from '../../platform/db/schema.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatMoney, formatQty, parseMoneyField, parseQtyField } from '../../platform/units.ts';
import * as repo from './item.repo.ts';

export function toItem(row: ItemsTable): Item {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    spec: row.spec,
    type: row.type,
    uom: row.uom,
    safetyStock: formatQty(Number(row.safety_stock)),
    standardCost: formatMoney(Number(row.standard_cost)),
    active: row.active === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function duplicate(code: string): AppError {
  return new AppError('DUPLICATE_CODE', `Item code ${code} is already in use`, {
    fieldErrors: [{ field: '/code', message: 'is already in use', code: 'duplicate' }],
  });
}

export async function createItem(db: Db, ctx: Ctx, input: ItemCreate): Promise<Item> {
  const now = nowIso();
  const row: ItemsTable = {
    id: newId(),
    code: normalizeCode(input.code),
    name: input.name.trim(),
    spec: (input.spec ?? '').trim(),
    type: input.type,
    uom: input.uom.trim(),
    safety_stock: parseQtyField('/safetyStock', input.safetyStock ?? '0'),
    standard_cost: parseMoneyField('/standardCost', input.standardCost ?? '0'),
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  if (row.safety_stock < 0)
    throw new AppError('VALIDATION_FAILED', 'safetyStock must not be negative', {
      fieldErrors: [{ field: '/safetyStock', message: 'must not be negative' }],
    });
  try {
    await db.transaction(async (tx) => {
      await repo.insertItem(tx, row);
      await recordAudit(tx, ctx, {
        entityType: 'item',
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      });
      await appendEvent(tx, ctx, {
        type: 'item.created',
        aggregateType: 'item',
        aggregateId: row.id,
        data: toItem(row),
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(row.code);
    throw err;
  }
  return toItem(row);
}

export async function getItem(db: Db, id: string): Promise<Item> {
  const row = await repo.findItem(db.kysely, id);
  if (!row) throw notFound('Item', id);
  return toItem(row);
}

export async function updateItem(db: Db, ctx: Ctx, id: string, input: ItemUpdate): Promise<Item> {
  const changes: Partial<ItemsTable> = { updated_at: nowIso() };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.spec !== undefined) changes.spec = input.spec.trim();
  if (input.type !== undefined) changes.type = input.type;
  if (input.uom !== undefined) changes.uom = input.uom.trim();
  if (input.safetyStock !== undefined)
    changes.safety_stock = parseQtyField('/safetyStock', input.safetyStock);
  if (input.standardCost !== undefined)
    changes.standard_cost = parseMoneyField('/standardCost', input.standardCost);
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  return db.transaction(async (tx) => {
    const before = await repo.findItem(tx, id);
    if (!before) throw notFound('Item', id);
    const after = await repo.updateItem(tx, id, input.version, changes);
    if (!after) {
      throw new AppError(
        'STALE_VERSION',
        `Item ${before.code} was changed by someone else (now version ${before.version})`,
        {
          extra: { currentVersion: before.version },
        },
      );
    }
    const action = input.active === false && before.active === 1 ? 'deactivate' : 'update';
    await recordAudit(tx, ctx, { entityType: 'item', entityId: id, action, before, after });
    await appendEvent(tx, ctx, {
      type: 'item.updated',
      aggregateType: 'item',
      aggregateId: id,
      data: toItem(after),
    });
    return toItem(after);
  });
}

export async function listItems(db: Db, query: ItemListQuery): Promise<PageOf<Item>> {
  const { rows, nextCursor } = await repo.listItems(db.kysely, db.dialect, query);
  return { items: rows.map(toItem), nextCursor };
}
