import type { Qty } from '@takt/domain';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import { invalidField } from '../../platform/errors.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { postInTx } from '../inventory/inventory.service.ts';

export interface LotLine {
  readonly lotCode?: string;
  readonly lotId?: string;
  readonly qty: number;
}

/** Parses the scanned lots of a report before any work is done; bad input changes nothing. */
export function parseLotLines(lots: readonly { lotCode?: string; lotId?: string; qty: string }[]): LotLine[] {
  return lots.map((l, i) => {
    const qty = parseQtyField(`/lots/${i}/qty`, l.qty);
    if (qty <= 0)
      throw invalidField(`/lots/${i}/qty`, 'must be greater than zero', {
        detail: 'A lot quantity must be positive',
      });
    const lotCode = l.lotCode?.trim();
    if (!lotCode && !l.lotId)
      throw invalidField(`/lots/${i}/lotCode`, 'is required (or lotId)', {
        code: 'LOT_REQUIRED',
        detail: 'Scan the lot label',
      });
    return { ...(lotCode ? { lotCode } : {}), ...(l.lotId ? { lotId: l.lotId } : {}), qty };
  });
}

/**
 * Issues the scanned lots to the work order with the report (same transaction, so a replayed report,
 * answered from its idempotency key, never issues twice). A lot must be of a material of the work
 * order and have the quantity on hand; it is taken from the locations holding most of it first.
 */
export async function consumeLots(
  tx: Tx,
  ctx: Ctx,
  op: { id: string; seq: number; work_order_id: string; wo_code: string },
  reportId: string,
  lines: readonly LotLine[],
): Promise<void> {
  if (lines.length === 0) return;
  const materials = await tx
    .selectFrom('work_order_materials')
    .select(['id', 'item_id', 'qty_issued', 'operation_seq'])
    .where('work_order_id', '=', op.work_order_id)
    .orderBy('position')
    .execute();
  const componentIds = new Set(materials.map((m) => m.item_id));
  for (const [i, line] of lines.entries()) {
    const field = line.lotCode ? `/lots/${i}/lotCode` : `/lots/${i}/lotId`;
    let q = tx
      .selectFrom('lots as l')
      .innerJoin('items as it', 'it.id', 'l.item_id')
      .select(['l.id', 'l.code', 'l.item_id', 'it.code as item_code']);
    q = line.lotCode ? q.where('l.code', '=', line.lotCode) : q.where('l.id', '=', line.lotId ?? '');
    const candidates = await q.execute();
    if (candidates.length === 0)
      throw invalidField(field, 'is not a known lot', {
        code: 'LOT_UNKNOWN',
        detail: `Unknown lot ${line.lotCode ?? line.lotId}`,
      });
    const lot = candidates.find((c) => componentIds.has(c.item_id));
    if (!lot)
      throw invalidField(field, `is a lot of ${candidates[0]!.item_code}, not a material of ${op.wo_code}`, {
        code: 'LOT_NOT_A_MATERIAL',
        detail: `Lot ${candidates[0]!.code} is of item ${candidates[0]!.item_code}, which work order ${op.wo_code} does not use`,
      });
    const stock = await tx
      .selectFrom('stock_balances')
      .select(['location_id', 'on_hand'])
      .where('item_id', '=', lot.item_id)
      .where('lot_id', '=', lot.id)
      .where('on_hand', '>', 0)
      .orderBy('on_hand', 'desc')
      .orderBy('location_id')
      .execute();
    const onHand = stock.reduce((s, b) => s + Number(b.on_hand), 0);
    if (onHand < line.qty)
      throw invalidField(
        `/lots/${i}/qty`,
        `is more than the ${formatQty(onHand)} on hand in lot ${lot.code}`,
        {
          code: 'LOT_STOCK_SHORT',
          detail: `Lot ${lot.code} has ${formatQty(onHand)} on hand`,
        },
      );
    let left = line.qty;
    let part = 0;
    for (const b of stock) {
      if (left <= 0) break;
      const take = Math.min(left, Number(b.on_hand));
      left -= take;
      const move = await postInTx(tx, ctx, {
        move: {
          kind: 'issue',
          itemId: lot.item_id,
          qty: take as Qty,
          fromLocationId: b.location_id,
          toLocationId: null,
          lot: lot.code,
          reason: `floor report ${op.wo_code}/${op.seq}`,
        },
        ref: { type: 'work_order', id: op.work_order_id },
        reversesId: null,
      });
      await tx
        .insertInto('operation_report_lots')
        .values({
          report_id: reportId,
          line: i * 100 + part + 1,
          item_id: lot.item_id,
          lot_id: lot.id,
          location_id: b.location_id,
          qty: take,
          move_id: move.id,
        })
        .execute();
      part++;
    }
    // The issued quantity goes to this operation's line of the material, else the first one.
    const ofItem = materials.filter((m) => m.item_id === lot.item_id);
    const target = ofItem.find((m) => m.operation_seq === op.seq) ?? ofItem[0]!;
    target.qty_issued = Number(target.qty_issued) + line.qty;
    await tx
      .updateTable('work_order_materials')
      .set({ qty_issued: target.qty_issued })
      .where('id', '=', target.id)
      .execute();
  }
}
