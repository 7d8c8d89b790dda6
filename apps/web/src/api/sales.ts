import type {
  PageOf,
  SalesOrder,
  SalesOrderAction,
  SalesOrderCreate,
  SalesOrderListQuery,
  SalesOrderProgress,
  SalesOrderSummary,
  SalesOrderUpdate,
  Shipment,
  ShipmentCreate,
  WorkOrderSummary,
} from '@takt/contracts';
import { API, buildUrl, request } from './client.ts';
import type { SheetFormat } from './sheets.ts';

const enc = encodeURIComponent;
const base = `${API}/sales-orders`;

/** The list filters; `sort` is one of code, dueDate, priority, createdAt, with `-` for descending. */
export type SalesOrderQuery = Omit<SalesOrderListQuery, 'sort'> & { sort?: string };

export type SalesOrderActionName = 'confirm' | 'cancel' | 'close';

export function listSalesOrders(
  query: SalesOrderQuery,
  signal?: AbortSignal,
): Promise<PageOf<SalesOrderSummary>> {
  return request<PageOf<SalesOrderSummary>>(base, { query: { ...query }, signal });
}

/** Download link of every sales order matching the list filters, in the list's sort order. */
export const salesOrdersExportUrl = (
  filters: Omit<SalesOrderQuery, 'limit' | 'cursor'>,
  format: SheetFormat,
) => buildUrl(`${base}/export`, { ...filters, format });

export function getSalesOrder(id: string, signal?: AbortSignal): Promise<SalesOrder> {
  return request<SalesOrder>(`${base}/${enc(id)}`, { signal });
}

export function getSalesOrderProgress(id: string, signal?: AbortSignal): Promise<SalesOrderProgress> {
  return request<SalesOrderProgress>(`${base}/${enc(id)}/progress`, { signal });
}

export function createSalesOrder(body: SalesOrderCreate): Promise<SalesOrder> {
  return request<SalesOrder>(base, { method: 'POST', body });
}

export function updateSalesOrder(id: string, body: SalesOrderUpdate): Promise<SalesOrder> {
  return request<SalesOrder>(`${base}/${enc(id)}`, { method: 'PATCH', body });
}

export function actOnSalesOrder(
  id: string,
  action: SalesOrderActionName,
  body: SalesOrderAction,
): Promise<SalesOrder> {
  return request<SalesOrder>(`${base}/${enc(id)}/${action}`, { method: 'POST', body });
}

export function listShipments(id: string, signal?: AbortSignal): Promise<{ items: Shipment[] }> {
  return request<{ items: Shipment[] }>(`${base}/${enc(id)}/shipments`, { signal });
}

export function postShipment(id: string, body: ShipmentCreate): Promise<Shipment> {
  return request<Shipment>(`${base}/${enc(id)}/shipments`, { method: 'POST', body });
}

/** The delivery note (送货单) of a shipment, opened by the browser as a PDF. */
export function deliveryNoteUrl(orderId: string, shipmentId: string): string {
  return `${base}/${enc(orderId)}/shipments/${enc(shipmentId)}/delivery-note.pdf`;
}

/** Make-to-order: work orders for the shortages of a confirmed order (idempotent: existing ones come back). */
/** Cancels the order's work orders that have produced nothing yet (and their child orders). */
export function cancelWorkOrdersOfSalesOrder(
  salesOrderId: string,
  reason: string,
): Promise<{ cancelled: string[]; kept: string[] }> {
  return request(`${API}/work-orders/cancel-for-sales-order`, {
    method: 'POST',
    body: { salesOrderId, reason },
  });
}

export function workOrdersFromSalesOrder(salesOrderId: string): Promise<WorkOrderSummary[]> {
  return request<WorkOrderSummary[]>(`${API}/work-orders/from-sales-order`, {
    method: 'POST',
    body: { salesOrderId },
  });
}
