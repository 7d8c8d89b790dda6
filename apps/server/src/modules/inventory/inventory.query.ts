import type {
  Availability,
  Balance,
  BalanceListQuery,
  CountCreate,
  Genealogy,
  LedgerFinding,
  MoveListQuery,
  PageOf,
  Reservation,
  ReservationCreate,
  StockMove,
} from '@takt/contracts';
import type { Qty } from '@takt/domain';
import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import { prepared } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import { noteRead, unnoted } from '../../platform/db/table-versions.ts';
import type { ReservationsTable } from '../../platform/db/schema-inventory.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { recordAudit } from '../../platform/audit.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import * as repo from './inventory.repo.ts';
import { postInTx, toMove } from './inventory.service.ts';

/**
 * Stock moves newest first (by ledger sequence), from the ledger or, with `archived`, from the archive
 * (moves older than the archive horizon, migration 0026), with the same filters and cursor on both.
 */
export async function listMoves(db: Db, q: MoveListQuery): Promise<PageOf<StockMove>> {
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor, '-seq');
  const archived = q.archived === true;
  let query = db.kysely
    // The archive twin has the ledger's columns (and archived_at, not shown).
    .selectFrom(`${archived ? 'stock_moves_archive' : 'stock_moves'} as m` as 'stock_moves as m')
    .leftJoin('lots as l', 'l.id', 'm.lot_id')
    .selectAll('m')
    .select('l.code as lot_code')
    .orderBy('m.seq', 'desc')
    .limit(limit + 1);
  if (q.itemId) query = query.where('m.item_id', '=', q.itemId);
  if (q.locationId) {
    const loc = q.locationId;
    query = query.where((eb) =>
      eb.or([eb('m.from_location_id', '=', loc), eb('m.to_location_id', '=', loc)]),
    );
  }
  if (q.refType) query = query.where('m.ref_type', '=', q.refType);
  if (q.refId) query = query.where('m.ref_id', '=', q.refId);
  if (cursor) query = query.where('m.seq', '<', Number(cursor.v));
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => (archived ? { ...toMove(r, r.lot_code), archived: true } : toMove(r, r.lot_code))),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ s: '-seq', v: Number(last.seq), id: last.id }) : null,
  };
}

export async function listBalances(db: Db, q: BalanceListQuery): Promise<PageOf<Balance>> {
  const limit = q.limit ?? 100;
  const cursor = decodeCursor(q.cursor, 'key');
  let query = db.kysely
    .selectFrom('stock_balances as b')
    .innerJoin('items as i', 'i.id', 'b.item_id')
    .innerJoin('locations as loc', 'loc.id', 'b.location_id')
    .leftJoin('lots as l', 'l.id', 'b.lot_id')
    .select([
      'b.item_id',
      'b.location_id',
      'b.lot_id',
      'b.on_hand',
      'b.updated_at',
      'i.code as item_code',
      'loc.code as location_code',
      'loc.warehouse_id',
      'l.code as lot_code',
    ])
    .orderBy('b.item_id')
    .orderBy('b.location_id')
    .orderBy('b.lot_id')
    .limit(limit + 1);
  if (q.itemId) query = query.where('b.item_id', '=', q.itemId);
  if (q.locationId) query = query.where('b.location_id', '=', q.locationId);
  if (q.warehouseId) query = query.where('loc.warehouse_id', '=', q.warehouseId);
  if (!q.includeZero) query = query.where('b.on_hand', '>', 0);
  if (cursor) {
    const [item, location, lot] = JSON.parse(String(cursor.v)) as [string, string, string];
    query = query.where((eb) =>
      eb.or([
        eb('b.item_id', '>', item),
        eb.and([eb('b.item_id', '=', item), eb('b.location_id', '>', location)]),
        eb.and([eb('b.item_id', '=', item), eb('b.location_id', '=', location), eb('b.lot_id', '>', lot)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      itemId: r.item_id,
      itemCode: r.item_code,
      locationId: r.location_id,
      locationCode: r.location_code,
      warehouseId: r.warehouse_id,
      lot: r.lot_code ?? null,
      onHand: formatQty(Number(r.on_hand)),
      updatedAt: r.updated_at,
    })),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            s: 'key',
            v: JSON.stringify([last.item_id, last.location_id, last.lot_id]),
            id: last.item_id,
          })
        : null,
  };
}

/** The item with its stock on hand and open reservations, summed: one row, none for an unknown item. */
const itemTotals = prepared((db, itemId: string) =>
  db
    .selectFrom('items as i')
    .select((eb) => [
      eb
        .selectFrom('stock_balances as b')
        .select(sql<number>`coalesce(sum(b.on_hand), 0)`.as('n'))
        .whereRef('b.item_id', '=', 'i.id')
        .as('on_hand'),
      eb
        .selectFrom('reservations as r')
        .select(sql<number>`coalesce(sum(r.qty), 0)`.as('n'))
        .whereRef('r.item_id', '=', 'i.id')
        .where('r.status', '=', 'open')
        .as('reserved'),
    ])
    .where('i.id', '=', itemId),
);

const stockByLocation = prepared((db, itemId: string) =>
  db
    .selectFrom('stock_balances as b')
    .leftJoin('lots as l', 'l.id', 'b.lot_id')
    .select(['b.location_id', 'b.on_hand', 'l.code'])
    .where('b.item_id', '=', itemId)
    .where('b.on_hand', '>', 0)
    .orderBy('b.location_id'),
);

export async function availability(db: Db, itemId: string): Promise<Availability> {
  // Both reads on one pooled connection: on PostgreSQL under load each checkout waits in the queue.
  // The totals are noted by hand (for a cached answer, see table-versions.ts): the item is found by
  // its id, so only a change to items can alter it, not items added (an import) as a full read would.
  const [totals, rows] = await db.kysely
    .connection()
    .execute((k) =>
      Promise.all([unnoted(() => itemTotals.first(k, itemId)), stockByLocation.all(k, itemId)]),
    );
  noteRead('stock_balances');
  noteRead('reservations');
  noteRead('items', totals ? 'lookup' : 'full');
  if (!totals) throw notFound('Item', itemId);
  const onHand = Number(totals.on_hand ?? 0);
  const reserved = Number(totals.reserved ?? 0);
  return {
    itemId,
    onHand: formatQty(onHand),
    reserved: formatQty(reserved),
    available: formatQty(onHand - reserved),
    byLocation: rows.map((r) => ({
      locationId: r.location_id,
      lot: r.code ?? null,
      onHand: formatQty(Number(r.on_hand)),
    })),
  };
}

function toReservation(r: ReservationsTable): Reservation {
  return {
    id: r.id,
    itemId: r.item_id,
    qty: formatQty(Number(r.qty)),
    demandType: r.demand_type,
    demandId: r.demand_id,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Reserves stock for a demand; refuses more than is available (on hand − open reservations). */
export async function reserve(db: Db, ctx: Ctx, input: ReservationCreate): Promise<Reservation> {
  const qty = parseQtyField('/qty', input.qty);
  if (qty <= 0) throw invalidField('/qty', 'must be greater than zero', { detail: 'qty must be positive' });
  return db.transaction(async (tx) => {
    // Serialise reservations of one item: lock its row (PostgreSQL); SQLite transactions are serial already.
    let lock = tx.selectFrom('items').select('id').where('id', '=', input.itemId);
    if (db.dialect === 'postgres') lock = lock.forUpdate();
    if (!(await lock.executeTakeFirst())) {
      throw invalidField('/itemId', 'is not a known item', { detail: 'Unknown item' });
    }
    const available =
      (await repo.onHandTotal(tx, input.itemId)) - (await repo.reservedTotal(tx, input.itemId));
    if (qty > available) {
      throw new AppError(
        'INSUFFICIENT_AVAILABLE',
        `Only ${formatQty(Math.max(0, available))} available to reserve`,
        {
          fieldErrors: [{ field: '/qty', message: 'is more than is available' }],
          extra: { available: formatQty(Math.max(0, available)) },
        },
      );
    }
    const now = nowIso();
    const row: ReservationsTable = {
      id: newId(),
      item_id: input.itemId,
      qty,
      demand_type: input.demandType,
      demand_id: input.demandId,
      status: 'open',
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('reservations').values(row).execute();
    await recordAudit(tx, ctx, {
      entityType: 'reservation',
      entityId: row.id,
      action: 'create',
      before: null,
      after: row,
    });
    await appendEvent(tx, ctx, {
      type: 'stock.reserved',
      aggregateType: 'item',
      aggregateId: input.itemId,
      data: toReservation(row),
    });
    return toReservation(row);
  });
}

export async function releaseReservation(db: Db, ctx: Ctx, id: string): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const row = await tx.selectFrom('reservations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Reservation', id);
    if (row.status !== 'open') throw new AppError('INVALID_STATE', `The reservation is ${row.status}`);
    const updated = await tx
      .updateTable('reservations')
      .set({ status: 'released', updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      entityType: 'reservation',
      entityId: id,
      action: 'release',
      before: row,
      after: updated,
    });
    await appendEvent(tx, ctx, {
      type: 'stock.reservation_released',
      aggregateType: 'item',
      aggregateId: row.item_id,
      data: toReservation(updated),
    });
    return toReservation(updated);
  });
}

/** A cycle count: the differences between counted and booked quantities become adjustment moves. */
export async function postCount(
  db: Db,
  ctx: Ctx,
  input: CountCreate,
): Promise<{ adjustments: StockMove[]; unchanged: number }> {
  const lines = input.lines.map((l, i) => ({
    ...l,
    counted: parseQtyField(`/lines/${i}/countedQty`, l.countedQty),
  }));
  return db.transaction(async (tx) => {
    const adjustments: StockMove[] = [];
    let unchanged = 0;
    const ref = { type: 'count', id: newId() };
    for (const line of lines) {
      if (line.counted < 0) throw new AppError('VALIDATION_FAILED', 'Counted quantity must not be negative');
      const lot = line.lot ? await repo.findLot(tx, line.itemId, line.lot) : null;
      const bal = await tx
        .selectFrom('stock_balances')
        .select('on_hand')
        .where('item_id', '=', line.itemId)
        .where('location_id', '=', input.locationId)
        .where('lot_id', '=', lot?.id ?? '')
        .executeTakeFirst();
      const diff = line.counted - Number(bal?.on_hand ?? 0);
      if (diff === 0) {
        unchanged++;
        continue;
      }
      const kind = diff > 0 ? 'adjustment_in' : 'adjustment_out';
      adjustments.push(
        await postInTx(tx, ctx, {
          move: {
            kind,
            itemId: line.itemId,
            qty: Math.abs(diff) as Qty,
            fromLocationId: diff < 0 ? input.locationId : null,
            toLocationId: diff > 0 ? input.locationId : null,
            lot: line.lot ?? '',
            reason: input.reason,
          },
          ref,
          reversesId: null,
        }),
      );
    }
    return { adjustments, unchanged };
  });
}

export async function ledgerFindings(db: Db): Promise<LedgerFinding[]> {
  const rows = await repo.ledgerMismatches(db.kysely);
  return rows.map((r) => ({
    itemId: r.item_id,
    locationId: r.location_id,
    lot: r.lot_id || null,
    balance: formatQty(r.balance),
    sumOfMoves: formatQty(r.moves),
  }));
}

/** ledgerFindings on a read thread (read-threads.ts): it sums every stock move the plant made. */
export const ledgerFindingsOffThread = offThread(import.meta.url, 'ledgerFindings', ledgerFindings);

/** Where a lot came from and where it went, up to `depth` levels each way. */
export async function genealogy(db: Db, lotId: string, depth = 10): Promise<Genealogy> {
  const lot = await db.kysely.selectFrom('lots').selectAll().where('id', '=', lotId).executeTakeFirst();
  if (!lot) throw notFound('Lot', lotId);
  const walk = async (direction: 'inputs' | 'outputs') => {
    const out: Genealogy['inputs'] = [];
    let frontier = [lotId];
    const seen = new Set(frontier);
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const links = await db.kysely
        .selectFrom('lot_links as k')
        .innerJoin('lots as l', 'l.id', direction === 'inputs' ? 'k.input_lot_id' : 'k.output_lot_id')
        .select(['l.id', 'l.item_id', 'l.code', 'k.qty'])
        .where(direction === 'inputs' ? 'k.output_lot_id' : 'k.input_lot_id', 'in', frontier)
        .execute();
      frontier = [];
      for (const l of links) {
        out.push({ lotId: l.id, itemId: l.item_id, code: l.code, qty: formatQty(Number(l.qty)), depth: d });
        if (!seen.has(l.id)) {
          seen.add(l.id);
          frontier.push(l.id);
        }
      }
    }
    return out;
  };
  return {
    lot: { id: lot.id, itemId: lot.item_id, code: lot.code },
    inputs: await walk('inputs'),
    outputs: await walk('outputs'),
  };
}
