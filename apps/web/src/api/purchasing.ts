import type {
  CancelBody,
  FromPlannedResult,
  LateLine,
  LateQuery,
  Location,
  PageOf,
  PurchaseOrder,
  PurchaseOrderCreate,
  PurchaseOrderListQuery,
  PurchaseReceipt,
  ReceiptCreate,
  ReceiptResult,
  ReturnCreate,
} from '@takt/contracts';
import { API, buildUrl, request } from './client.ts';
import type { SheetFormat } from './sheets.ts';

const enc = encodeURIComponent;
const base = `${API}/purchase-orders`;

export type PoActionName = 'approve' | 'send' | 'close' | 'cancel';

export function listPurchaseOrders(
  query: PurchaseOrderListQuery,
  signal?: AbortSignal,
): Promise<PageOf<PurchaseOrder>> {
  return request<PageOf<PurchaseOrder>>(base, { query: { ...query }, signal });
}

/** Download link of every purchase order matching the list filters. */
export const purchaseOrdersExportUrl = (
  filters: Omit<PurchaseOrderListQuery, 'limit' | 'cursor'>,
  format: SheetFormat,
) => buildUrl(`${base}/export`, { ...filters, format });

export function getPurchaseOrder(id: string, signal?: AbortSignal): Promise<PurchaseOrder> {
  return request<PurchaseOrder>(`${base}/${enc(id)}`, { signal });
}

export function createPurchaseOrder(body: PurchaseOrderCreate): Promise<PurchaseOrder> {
  return request<PurchaseOrder>(base, { method: 'POST', body });
}

export function actOnPurchaseOrder(
  id: string,
  action: PoActionName,
  body: { version: number } | CancelBody,
): Promise<PurchaseOrder> {
  return request<PurchaseOrder>(`${base}/${enc(id)}/${action}`, { method: 'POST', body });
}

export function receivePurchaseOrder(id: string, body: ReceiptCreate): Promise<ReceiptResult> {
  return request<ReceiptResult>(`${base}/${enc(id)}/receipts`, { method: 'POST', body });
}

export function returnPurchaseOrder(id: string, body: ReturnCreate): Promise<ReceiptResult> {
  return request<ReceiptResult>(`${base}/${enc(id)}/returns`, { method: 'POST', body });
}

export function listPurchaseReceipts(id: string, signal?: AbortSignal): Promise<PageOf<PurchaseReceipt>> {
  return request<PageOf<PurchaseReceipt>>(`${base}/${enc(id)}/receipts`, { query: { limit: 500 }, signal });
}

export function listLateLines(query: LateQuery, signal?: AbortSignal): Promise<PageOf<LateLine>> {
  return request<PageOf<LateLine>>(`${base}/late`, { query: { ...query }, signal });
}

export function purchaseOrdersFromPlanned(plannedOrderIds: string[]): Promise<FromPlannedResult> {
  return request<FromPlannedResult>(`${base}/from-planned`, { method: 'POST', body: { plannedOrderIds } });
}

/** The printable order (HTML) in the given language. */
export function purchaseOrderPrintUrl(id: string, lang: string): string {
  return `${base}/${enc(id)}/print?lang=${lang === 'zh-CN' ? 'zh-CN' : 'en'}`;
}

/** The locations of one warehouse (receipts and shipments pick one). */
export function listWarehouseLocations(warehouseId: string, signal?: AbortSignal): Promise<PageOf<Location>> {
  return request<PageOf<Location>>(`${API}/warehouses/${enc(warehouseId)}/locations`, {
    query: { limit: 200 },
    signal,
  });
}
