import { openWorkOrderReceipts, workOrdersByLines } from './production/workorder.links.ts';
import { openPurchaseReceipts } from './purchasing/purchaseorder.receipts.ts';
import { setReceiptsSource, setWorkOrderLinks } from './sales/salesorder.stock.ts';

/**
 * Connects modules that must not import each other: sales promises dates from the receipts that
 * purchasing and production expect, and shows the work orders production made for its lines.
 */
export function wireModules(): void {
  setReceiptsSource(async (tx, itemIds) => {
    const [po, wo] = await Promise.all([
      openPurchaseReceipts(tx, itemIds),
      openWorkOrderReceipts(tx, itemIds),
    ]);
    const merged = new Map<string, { date: string; qty: number }[]>();
    for (const source of [po, wo]) {
      for (const [item, list] of source) merged.set(item, [...(merged.get(item) ?? []), ...list]);
    }
    for (const list of merged.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return merged;
  });
  setWorkOrderLinks(workOrdersByLines);
}
