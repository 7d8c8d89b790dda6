import type { PageOf, PurchaseReceipt, ReceiptCreate, ReceiptResult, ReturnCreate } from '@takt/contracts';
import type { Qty } from '@takt/domain';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { PurchaseOrdersTable, PurchaseReceiptsTable } from '../../platform/db/schema-purchasing.ts';
import { AppError, invalidField, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatQty, parseQtyField } from '../../platform/units.ts';
import { postInTx } from '../inventory/inventory.service.ts';
import { staleVersion } from '../masterdata/mutation.ts';
import { orderDto } from './purchaseorder.service.ts';
import * as repo from './purchaseorder.repo.ts';
import { lineStatus, receivableLimit, rollupStatus, transition } from './purchaseorder.rules.ts';

/**
 * Receipts and returns against purchase order lines. A receipt posts a `receipt` stock move into a
 * location; a return to the supplier posts an `issue` move out of one, with the reason, because
 * returns are partial, may leave from another location than the goods arrived at and may come long
 * after (a ledger reversal undoes one whole move, once). Both change the line's received quantity
 * in the same transaction as the move, then roll the line and order status up.
 */
const LEDGER_FIELD: Record<string, string> = { '/qty': 'qty', '/lot': 'lot', '/itemId': 'lineId' };

function remapLedgerError(err: unknown, i: number): unknown {
  if (!(err instanceof AppError) || err.fieldErrors.length === 0) return err;
  return new AppError(err.code, err.message, {
    fieldErrors: err.fieldErrors.map((f) => ({
      ...f,
      field: LEDGER_FIELD[f.field] ? `/lines/${i}/${LEDGER_FIELD[f.field]}` : '/locationId',
    })),
    extra: { ...err.extra },
  });
}

const toReceipt = (r: PurchaseReceiptsTable): PurchaseReceipt => ({
  id: r.id,
  lineId: r.po_line_id,
  kind: r.kind as PurchaseReceipt['kind'],
  itemId: r.item_id,
  qty: formatQty(Number(r.qty)),
  locationId: r.location_id,
  lot: r.lot,
  moveId: r.move_id,
  reason: r.reason,
  createdAt: r.created_at,
});

async function rollUp(tx: Tx, before: PurchaseOrdersTable): Promise<PurchaseOrdersTable> {
  const lines = await repo.linesOf(tx, [before.id]);
  const statuses = [];
  for (const l of lines) {
    const status =
      l.status === 'cancelled'
        ? 'cancelled'
        : lineStatus({ qty: Number(l.qty), receivedQty: Number(l.received_qty) });
    if (status !== l.status) await repo.setLineStatus(tx, l.id, status);
    statuses.push({ status });
  }
  const status = before.status === 'closed' ? 'closed' : rollupStatus(before.status, statuses);
  const after = await repo.updateOrder(tx, before.id, before.version, { status, updated_at: nowIso() });
  if (!after) throw staleVersion('Purchase order', before.code, before.version);
  return after;
}

async function post(
  db: Db,
  ctx: Ctx,
  poId: string,
  kind: 'receipt' | 'return',
  input: ReceiptCreate | ReturnCreate,
): Promise<ReceiptResult> {
  return db.transaction(async (tx) => {
    const before = await repo.findOrder(tx, poId, db.dialect === 'postgres');
    if (!before) throw notFound('Purchase order', poId);
    if (kind === 'receipt') {
      const allowed = transition(before.status, 'receive');
      if (!allowed.ok)
        throw new AppError('INVALID_STATE', allowed.message, { extra: { currentStatus: before.status } });
    } else if (!['partially_received', 'received', 'closed'].includes(before.status)) {
      throw new AppError('INVALID_STATE', 'Nothing was received on this purchase order to return', {
        extra: { currentStatus: before.status },
      });
    }
    const lines = new Map((await repo.linesOf(tx, [poId])).map((l) => [l.id, l]));
    const reason = 'reason' in input ? input.reason.trim() : (input.note?.trim() ?? null);
    const receipts: PurchaseReceiptsTable[] = [];
    for (const [i, l] of input.lines.entries()) {
      const line = lines.get(l.lineId);
      if (!line)
        throw invalidField(`/lines/${i}/lineId`, 'is not a line of this purchase order', 'not_found');
      if (kind === 'receipt' && line.status === 'cancelled')
        throw invalidField(`/lines/${i}/lineId`, 'is cancelled');
      const qty = parseQtyField(`/lines/${i}/qty`, l.qty);
      if (qty <= 0) throw invalidField(`/lines/${i}/qty`, 'must be greater than zero');
      if (kind === 'receipt') {
        if (!(await repo.addReceived(tx, line.id, qty, before.tolerance_bp))) {
          const current = await repo.linesOf(tx, [poId]).then((ls) => ls.find((x) => x.id === line.id));
          const limit = receivableLimit(Number(line.qty), before.tolerance_bp);
          const left = Math.max(0, limit - Number(current?.received_qty ?? line.received_qty));
          throw new AppError(
            'OVER_RECEIPT',
            `Receiving ${formatQty(qty)} would exceed the ordered quantity plus the over-receipt tolerance; at most ${formatQty(left)} more can be received`,
            {
              fieldErrors: [
                {
                  field: `/lines/${i}/qty`,
                  message: `at most ${formatQty(left)} more`,
                  code: 'over_receipt',
                },
              ],
              extra: { lineId: line.id, ordered: formatQty(Number(line.qty)), maxMore: formatQty(left) },
            },
          );
        }
      } else if (!(await repo.subtractReceived(tx, line.id, qty))) {
        throw invalidField(`/lines/${i}/qty`, 'is more than is received on this line', 'over_return');
      }
      const lot = l.lot?.trim() ?? '';
      const move = await postInTx(tx, ctx, {
        move: {
          kind: kind === 'receipt' ? 'receipt' : 'issue',
          itemId: line.item_id,
          qty: qty as Qty,
          fromLocationId: kind === 'return' ? input.locationId : null,
          toLocationId: kind === 'receipt' ? input.locationId : null,
          lot,
          reason: kind === 'return' ? `return to supplier: ${reason}` : reason || null,
        },
        ref: { type: 'purchase_order', id: poId },
        reversesId: null,
      }).catch((err: unknown) => {
        throw remapLedgerError(err, i);
      });
      const row: PurchaseReceiptsTable = {
        id: newId(),
        po_id: poId,
        po_line_id: line.id,
        kind,
        item_id: line.item_id,
        qty,
        location_id: input.locationId,
        lot: lot || null,
        move_id: move.id,
        reason: reason || null,
        actor_id: ctx.actor.id ?? ctx.actor.login,
        created_at: move.createdAt,
      };
      await repo.insertReceipt(tx, row);
      receipts.push(row);
    }
    const after = await rollUp(tx, before);
    await recordAudit(tx, ctx, {
      entityType: 'purchase_order',
      entityId: poId,
      action: kind === 'receipt' ? 'receive' : 'return',
      before,
      after: { ...after, receipts },
    });
    await appendEvent(tx, ctx, {
      type: kind === 'receipt' ? 'purchaseorder.received' : 'purchaseorder.returned',
      aggregateType: 'purchase_order',
      aggregateId: poId,
      data: {
        id: poId,
        code: after.code,
        status: after.status,
        lines: receipts.map((r) => ({
          lineId: r.po_line_id,
          itemId: r.item_id,
          qty: formatQty(r.qty),
          locationId: r.location_id,
          lot: r.lot,
        })),
      },
    });
    return { purchaseOrder: await orderDto(tx, after), receipts: receipts.map(toReceipt) };
  });
}

export const receive = (db: Db, ctx: Ctx, poId: string, input: ReceiptCreate) =>
  post(db, ctx, poId, 'receipt', input);
export const returnToSupplier = (db: Db, ctx: Ctx, poId: string, input: ReturnCreate) =>
  post(db, ctx, poId, 'return', input);

export async function listReceipts(
  db: Db,
  poId: string,
  page: { limit?: number; cursor?: string },
): Promise<PageOf<PurchaseReceipt>> {
  if (!(await repo.findOrder(db.kysely, poId))) throw notFound('Purchase order', poId);
  const { rows, nextCursor } = await repo.receiptsOf(db.kysely, poId, page);
  return { items: rows.map(toReceipt), nextCursor };
}
