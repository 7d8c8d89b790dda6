import type { MoveCreate, StockMove } from '@takt/contracts';
import type { Selectable } from 'kysely';
import { type MoveInput, moveDeltas, type Qty, reversalOf, validateMove } from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { StockMovesTable } from '../../platform/db/schema-inventory.ts';
import { AppError, invalidField, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import * as repo from './inventory.repo.ts';

const FIELD_OF: Record<string, string> = {
  MOVE_QTY_NOT_POSITIVE: '/qty',
  MOVE_FROM_REQUIRED: '/fromLocationId',
  MOVE_FROM_NOT_ALLOWED: '/fromLocationId',
  MOVE_TO_REQUIRED: '/toLocationId',
  MOVE_TO_NOT_ALLOWED: '/toLocationId',
  MOVE_SAME_LOCATION: '/toLocationId',
  MOVE_REASON_REQUIRED: '/reason',
  LOT_REQUIRED: '/lot',
};

export function toMove(row: Selectable<StockMovesTable>, lotCode: string | null): StockMove {
  return {
    id: row.id,
    seq: Number(row.seq),
    kind: row.kind as StockMove['kind'],
    itemId: row.item_id,
    qty: formatQty(Number(row.qty)),
    fromLocationId: row.from_location_id,
    toLocationId: row.to_location_id,
    lot: lotCode,
    reason: row.reason,
    ref: row.ref_type && row.ref_id ? { type: row.ref_type, id: row.ref_id } : null,
    reversesId: row.reverses_id,
    actorId: row.actor_id,
    createdAt: row.created_at,
  };
}

interface Posting {
  readonly move: MoveInput;
  readonly ref: { type: string; id: string } | null;
  readonly reversesId: string | null;
  readonly inputLots?: readonly { itemId: string; lot: string; qty: number }[];
}

async function checkReferences(tx: Tx, move: MoveInput): Promise<{ tracking: string }> {
  const item = await tx
    .selectFrom('items')
    .select(['id', 'active', 'tracking'])
    .where('id', '=', move.itemId)
    .executeTakeFirst();
  if (!item) throw invalidField('/itemId', 'is not a known item', { detail: 'Unknown item' });
  if (item.active !== 1 && move.toLocationId && !move.fromLocationId) {
    throw invalidField('/itemId', 'is deactivated', { detail: 'The item is deactivated' });
  }
  for (const [field, id] of [
    ['/fromLocationId', move.fromLocationId],
    ['/toLocationId', move.toLocationId],
  ] as const) {
    if (!id) continue;
    const loc = await tx
      .selectFrom('locations')
      .select(['id', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!loc)
      throw new AppError('VALIDATION_FAILED', 'Unknown location', {
        fieldErrors: [{ field, message: 'is not a known location' }],
      });
    if (loc.active !== 1 && field === '/toLocationId') {
      throw new AppError('VALIDATION_FAILED', 'The location is deactivated', {
        fieldErrors: [{ field, message: 'is deactivated' }],
      });
    }
  }
  return { tracking: item.tracking ?? 'none' };
}

/**
 * Posts one move inside the caller's transaction: the move row, both balance changes (in key order,
 * so two transfers in opposite directions cannot deadlock), lot genealogy, audit entry and event.
 */
export async function postInTx(tx: Tx, ctx: Ctx, posting: Posting): Promise<StockMove> {
  const { move } = posting;
  const { tracking } = await checkReferences(tx, move);
  const valid = validateMove(move, { lotTracked: tracking !== 'none' });
  if (!valid.ok) {
    throw new AppError('VALIDATION_FAILED', valid.message, {
      fieldErrors: [{ field: FIELD_OF[valid.code] ?? '/', message: valid.message, code: valid.code }],
    });
  }
  const lotId = move.lot ? await repo.lotFor(tx, move.itemId, move.lot) : '';
  const row = await repo.insertMove(tx, {
    id: newId(),
    kind: move.kind,
    item_id: move.itemId,
    qty: move.qty,
    from_location_id: move.fromLocationId,
    to_location_id: move.toLocationId,
    lot_id: lotId || null,
    reason: move.reason,
    ref_type: posting.ref?.type ?? null,
    ref_id: posting.ref?.id ?? null,
    reverses_id: posting.reversesId,
    actor_id: ctx.actor.id ?? ctx.actor.login,
    request_id: ctx.requestId,
    created_at: nowIso(),
  });
  const deltas = moveDeltas({ ...move, lot: lotId }).sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  for (const d of deltas) {
    const locationId = d.key.split('|')[1]!;
    if (d.delta < 0) await repo.decrementBalance(tx, move.itemId, locationId, lotId, -d.delta);
    else await repo.incrementBalance(tx, move.itemId, locationId, lotId, d.delta);
  }
  if (move.kind === 'output' && posting.inputLots && lotId) {
    for (const input of posting.inputLots) {
      const inputLot = await repo.findLot(tx, input.itemId, input.lot);
      if (!inputLot) {
        throw new AppError('VALIDATION_FAILED', `Unknown input lot ${input.lot}`, {
          fieldErrors: [
            { field: '/inputLots', message: `lot ${input.lot} of item ${input.itemId} does not exist` },
          ],
        });
      }
      await tx
        .insertInto('lot_links')
        .values({
          output_lot_id: lotId,
          input_lot_id: inputLot.id,
          qty: input.qty,
          ref_type: posting.ref?.type ?? null,
          ref_id: posting.ref?.id ?? null,
          created_at: row.created_at,
        })
        .onConflict((oc) => oc.columns(['output_lot_id', 'input_lot_id']).doNothing())
        .execute();
    }
  }
  const out = toMove(row, move.lot || null);
  await recordAudit(tx, ctx, {
    entityType: 'stock_move',
    entityId: row.id,
    action: posting.reversesId ? 'reverse' : 'post',
    before: null,
    after: out,
  });
  await appendEvent(tx, ctx, {
    type: 'stock.moved',
    aggregateType: 'item',
    aggregateId: move.itemId,
    data: out,
  });
  return out;
}

export function moveFromInput(input: MoveCreate): Posting {
  return {
    move: {
      kind: input.kind,
      itemId: input.itemId,
      qty: parseQtyField('/qty', input.qty) as Qty,
      fromLocationId: input.fromLocationId ?? null,
      toLocationId: input.toLocationId ?? null,
      lot: input.lot?.trim() ?? '',
      reason: input.reason?.trim() || null,
    },
    ref: input.ref ?? null,
    reversesId: null,
    inputLots: (input.inputLots ?? []).map((l, i) => ({
      itemId: l.itemId,
      lot: l.lot,
      qty: parseQtyField(`/inputLots/${i}/qty`, l.qty),
    })),
  };
}

export async function postMove(db: Db, ctx: Ctx, input: MoveCreate): Promise<StockMove> {
  const posting = moveFromInput(input);
  return db.transaction((tx) => postInTx(tx, ctx, posting));
}

/** Undoes a move with a compensating move; a move can be reversed once. */
export async function reverseMove(db: Db, ctx: Ctx, id: string, reason: string): Promise<StockMove> {
  try {
    return await reverseOnce(db, ctx, id, reason);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ALREADY_REVERSED', `Move ${id} was already reversed`);
    throw err;
  }
}

async function reverseOnce(db: Db, ctx: Ctx, id: string, reason: string): Promise<StockMove> {
  return db.transaction(async (tx) => {
    const row = await tx.selectFrom('stock_moves').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Stock move', id);
    if (row.reverses_id)
      throw new AppError('INVALID_STATE', 'A reversal cannot itself be reversed; post a new move');
    const already = await tx
      .selectFrom('stock_moves')
      .select('id')
      .where('reverses_id', '=', id)
      .executeTakeFirst();
    if (already) throw new AppError('ALREADY_REVERSED', `Move ${id} was already reversed by ${already.id}`);
    const lot = row.lot_id
      ? await tx.selectFrom('lots').select('code').where('id', '=', row.lot_id).executeTakeFirst()
      : null;
    const original: MoveInput = {
      kind: row.kind as MoveInput['kind'],
      itemId: row.item_id,
      qty: Number(row.qty) as Qty,
      fromLocationId: row.from_location_id,
      toLocationId: row.to_location_id,
      lot: lot?.code ?? '',
      reason: row.reason,
    };
    return postInTx(tx, ctx, {
      move: reversalOf(original, reason),
      ref: row.ref_type && row.ref_id ? { type: row.ref_type, id: row.ref_id } : null,
      reversesId: id,
    });
  });
}
