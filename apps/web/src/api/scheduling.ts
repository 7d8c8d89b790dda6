import type {
  PageOf,
  ScheduleAssignment,
  ScheduleMoveCheck,
  ScheduleMoveResult,
  SchedulePin,
  SchedulePinCreate,
  SchedulePublishResult,
  ScheduleRun,
  ScheduleRunCreate,
  ScheduleRunDetail,
} from '@takt/contracts';
import { API, request } from './client.ts';

const enc = encodeURIComponent;
const base = `${API}/scheduling`;

/** Starts a scheduling run in the background (202); progress arrives as `schedule.*` events. */
export function startScheduleRun(body: ScheduleRunCreate): Promise<ScheduleRun> {
  return request<ScheduleRun>(`${base}/runs`, { method: 'POST', body });
}

export function listScheduleRuns(
  query: { limit?: number; cursor?: string },
  signal?: AbortSignal,
): Promise<PageOf<ScheduleRun>> {
  return request<PageOf<ScheduleRun>>(`${base}/runs`, { query: { ...query }, signal });
}

/** A run with its KPIs and the what-if comparison with the published plan. */
export function getScheduleRun(id: string, signal?: AbortSignal): Promise<ScheduleRunDetail> {
  return request<ScheduleRunDetail>(`${base}/runs/${enc(id)}`, { signal });
}

export function listAssignments(
  runId: string,
  query: { machineId?: string; from?: string; to?: string } = {},
  signal?: AbortSignal,
): Promise<{ items: ScheduleAssignment[] }> {
  return request<{ items: ScheduleAssignment[] }>(`${base}/runs/${enc(runId)}/assignments`, {
    query: { ...query },
    signal,
  });
}

/** Writes the run's machines and times to the operations and dispatches the next ones. */
export function publishScheduleRun(id: string): Promise<SchedulePublishResult> {
  return request<SchedulePublishResult>(`${base}/runs/${enc(id)}/publish`, { method: 'POST', body: {} });
}

export function checkMove(body: ScheduleMoveCheck, signal?: AbortSignal): Promise<ScheduleMoveResult> {
  return request<ScheduleMoveResult>(`${base}/check-move`, { method: 'POST', body, signal });
}

export function pinOperation(body: SchedulePinCreate): Promise<SchedulePin> {
  return request<SchedulePin>(`${base}/pin`, { method: 'POST', body });
}

export function unpinOperation(operationId: string): Promise<void> {
  return request<void>(`${base}/unpin`, { method: 'POST', body: { operationId } });
}

export function listPins(signal?: AbortSignal): Promise<{ items: SchedulePin[] }> {
  return request<{ items: SchedulePin[] }>(`${base}/pins`, { signal });
}

/** Working intervals of a machine (its calendar minus downtime) between two instants. */
export interface MachineAvailability {
  machineId: string;
  machineCode: string;
  timeZone: string;
  status: string;
  from: string;
  to: string;
  totalMinutes: number;
  intervals: { start: string; end: string }[];
}

export function getMachineAvailability(
  machineId: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<MachineAvailability> {
  return request<MachineAvailability>(`${API}/machines/${enc(machineId)}/availability`, {
    query: { from, to },
    signal,
  });
}
