import type {
  Alert,
  MaterialIssue,
  OperationState,
  OutputReport,
  PageOf,
  WorkOrderAction,
  WorkOrderCreate,
  WorkOrderDetail,
  WorkOrderListQuery,
  WorkOrderSummary,
} from '@takt/contracts';
import { API, buildUrl, request } from './client.ts';
import type { SheetFormat } from './sheets.ts';

const enc = encodeURIComponent;

export type WorkOrderActionName = WorkOrderAction['action'];
/** An operation sitting in one status longer than the watchdog allows. */
export interface StuckOp {
  id: string;
  workOrderId: string;
  workOrderCode: string;
  seq: number;
  status: string;
  since: string;
  minutes: number;
}
export type OperationActionName =
  | 'start'
  | 'pause'
  | 'resume'
  | 'complete'
  | 'hold'
  | 'unhold'
  | 'cancel'
  | 'retry_dispatch'
  | 'requeue';

export function listWorkOrders(
  query: WorkOrderListQuery,
  signal?: AbortSignal,
): Promise<PageOf<WorkOrderSummary>> {
  return request<PageOf<WorkOrderSummary>>(`${API}/work-orders`, { query: { ...query }, signal });
}

/** Download link of every work order matching the list filters (`archived: true`: of the archive). */
export const workOrdersExportUrl = (
  filters: Omit<WorkOrderListQuery, 'limit' | 'cursor'>,
  format: SheetFormat,
) => buildUrl(`${API}/work-orders/export`, { ...filters, format });

export function getWorkOrder(id: string, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders/${enc(id)}`, { signal });
}

export function createWorkOrder(body: WorkOrderCreate): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders`, { method: 'POST', body });
}

export function actOnWorkOrder(id: string, body: WorkOrderAction): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders/${enc(id)}/actions`, { method: 'POST', body });
}

export function issueMaterials(id: string, body: MaterialIssue): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders/${enc(id)}/issues`, { method: 'POST', body });
}

export function reportOutput(id: string, body: OutputReport): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders/${enc(id)}/output`, { method: 'POST', body });
}

export function getOperation(id: string, signal?: AbortSignal): Promise<OperationState> {
  return request<OperationState>(`${API}/operations/${enc(id)}`, { signal });
}

export function dispatchOperation(id: string, machineId: string): Promise<OperationState> {
  return request<OperationState>(`${API}/operations/${enc(id)}/dispatch`, {
    method: 'POST',
    body: { machineId },
  });
}

export function actOnOperation(
  id: string,
  action: OperationActionName,
  reason?: string,
): Promise<OperationState> {
  return request<OperationState>(`${API}/operations/${enc(id)}/actions`, {
    method: 'POST',
    body: { action, ...(reason ? { reason } : {}) },
  });
}

export function listStuck(signal?: AbortSignal): Promise<StuckOp[]> {
  return request<StuckOp[]>(`${API}/shopfloor/stuck`, { signal });
}

export function listOpenAlerts(signal?: AbortSignal): Promise<Alert[]> {
  return request<Alert[]>(`${API}/alerts`, { query: { open: true, limit: 100 }, signal });
}

export function ackAlert(id: string): Promise<Alert> {
  return request<Alert>(`${API}/alerts/${enc(id)}/ack`, { method: 'POST' });
}

/** The code and customer of the sales order a work order is pegged to. */
export function getSalesOrderRef(
  id: string,
  signal?: AbortSignal,
): Promise<{ id: string; code: string; customerName: string }> {
  return request(`${API}/sales-orders/${enc(id)}`, { signal });
}
