import type { AuthSession, OperationState, WorkOrderDetail, WorkOrderSummary } from '@takt/contracts';
import { API, type ApiError, isApiError, request } from '../api/client.ts';

/*
 * Terminal calls. Every one passes `allowUnauthorized`: the terminal handles an ended session itself
 * (back to the badge screen, queue kept) instead of the main app's session handler.
 */

export type OperationActionName = 'start' | 'pause' | 'resume' | 'complete';

export interface ReportBody {
  idempotencyKey: string;
  good: string;
  scrap?: string;
  scrapReason?: string;
  reportedAt: string;
  /** Material lots consumed, as scanned from their labels. */
  lots?: { lotCode: string; qty: string }[];
}

export interface ReportResult {
  reportId: string;
  duplicate: boolean;
  operation: OperationState;
}

export function getSession(): Promise<AuthSession> {
  return request<AuthSession>(`${API}/auth/session`, { allowUnauthorized: true });
}

export function terminalLogin(badge: string, pin: string): Promise<AuthSession> {
  return request<AuthSession>(`${API}/auth/terminal-login`, {
    method: 'POST',
    body: { badge, pin },
    allowUnauthorized: true,
  });
}

export function logout(): Promise<void> {
  return request<void>(`${API}/auth/logout`, { method: 'POST', allowUnauthorized: true });
}

export function getOperation(id: string, signal?: AbortSignal): Promise<OperationState> {
  return request<OperationState>(`${API}/operations/${encodeURIComponent(id)}`, {
    signal,
    allowUnauthorized: true,
  });
}

export function getWorkOrder(id: string, signal?: AbortSignal): Promise<WorkOrderDetail> {
  return request<WorkOrderDetail>(`${API}/work-orders/${encodeURIComponent(id)}`, {
    signal,
    allowUnauthorized: true,
  });
}

/** The work order whose code is exactly `code` (case-insensitive), or null. */
export async function findWorkOrderByCode(
  code: string,
  signal?: AbortSignal,
): Promise<WorkOrderSummary | null> {
  const page = await request<{ items: WorkOrderSummary[] }>(`${API}/work-orders`, {
    query: { q: code, limit: 20 },
    signal,
    allowUnauthorized: true,
  });
  const wanted = code.trim().toUpperCase();
  return page.items.find((w) => w.code.toUpperCase() === wanted) ?? null;
}

/** `startedAt` (start only): when the operation really started, if "start" is pressed late. */
export function actOnOperation(
  id: string,
  action: OperationActionName,
  reason?: string,
  startedAt?: string,
): Promise<OperationState> {
  return request<OperationState>(`${API}/operations/${encodeURIComponent(id)}/actions`, {
    method: 'POST',
    body: { action, ...(reason ? { reason } : {}), ...(startedAt ? { startedAt } : {}) },
    allowUnauthorized: true,
  });
}

export function sendReport(operationId: string, body: ReportBody): Promise<ReportResult> {
  return request<ReportResult>(`${API}/operations/${encodeURIComponent(operationId)}/reports`, {
    method: 'POST',
    body,
    allowUnauthorized: true,
  });
}

export function isUnauthorized(error: unknown): error is ApiError {
  return isApiError(error) && error.status === 401;
}

/**
 * The refusal code of a 409 (`reason`, e.g. MACHINE_DOWN), else the code of the first invalid field
 * (e.g. LOT_UNKNOWN), else the problem code.
 */
export function refusalCode(error: ApiError): string {
  const reason = (error.problem as Record<string, unknown> | undefined)?.reason;
  if (typeof reason === 'string' && reason !== '') return reason;
  return error.fieldErrors.find((f) => f.code)?.code ?? error.code;
}

export type FirstArticleName = 'not_required' | 'pending' | 'passed' | 'failed';

/** Asks quality to check the first piece (an open request is returned as it is). */
export function requestFirstArticle(operationId: string): Promise<{ id: string; code: string }> {
  return request<{ id: string; code: string }>(`${API}/quality/inspections`, {
    method: 'POST',
    body: { operationId, type: 'first_article' },
    allowUnauthorized: true,
  });
}

export type ExceptionKindName = 'breakdown' | 'shortage' | 'quality' | 'tooling';

export interface RaiseExceptionBody {
  kind: ExceptionKindName;
  machineId?: string;
  itemId?: string;
  workOrderId?: string;
  operationId?: string;
  note?: string;
  photo?: string;
}

/** One tap on the floor: a breakdown, shortage, quality or tooling problem (a breakdown takes the machine down). */
export function raiseException(body: RaiseExceptionBody): Promise<{ id: string; code: string }> {
  return request<{ id: string; code: string }>(`${API}/exceptions`, {
    method: 'POST',
    body,
    allowUnauthorized: true,
  });
}

/** The machines on the floor, for choosing which one broke down when no job card was scanned. */
export function listFloorMachines(
  signal?: AbortSignal,
): Promise<{ machineId: string; code: string; name: string; status: string }[]> {
  return request(`${API}/shopfloor/floor`, { signal, allowUnauthorized: true });
}
