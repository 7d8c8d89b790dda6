import type {
  MrpAction,
  MrpPlannedOrder,
  MrpResultQuery,
  MrpRun,
  MrpShortage,
  PageOf,
} from '@takt/contracts';
import { API, request } from './client.ts';

const enc = encodeURIComponent;
const base = `${API}/mrp`;

/** Starts a run (202), or returns the one already queued or running (200). */
export function startMrpRun(start?: string): Promise<MrpRun> {
  return request<MrpRun>(`${base}/runs`, { method: 'POST', body: start ? { start } : {} });
}

export function listMrpRuns(
  query: { limit?: number; cursor?: string },
  signal?: AbortSignal,
): Promise<PageOf<MrpRun>> {
  return request<PageOf<MrpRun>>(`${base}/runs`, { query: { ...query }, signal });
}

export function getMrpRun(id: string, signal?: AbortSignal): Promise<MrpRun> {
  return request<MrpRun>(`${base}/runs/${enc(id)}`, { signal });
}

export function listPlannedOrders(
  runId: string,
  query: MrpResultQuery,
  signal?: AbortSignal,
): Promise<PageOf<MrpPlannedOrder>> {
  return request<PageOf<MrpPlannedOrder>>(`${base}/runs/${enc(runId)}/planned-orders`, {
    query: { ...query },
    signal,
  });
}

export function listShortages(
  runId: string,
  query: MrpResultQuery,
  signal?: AbortSignal,
): Promise<PageOf<MrpShortage>> {
  return request<PageOf<MrpShortage>>(`${base}/runs/${enc(runId)}/shortages`, {
    query: { ...query },
    signal,
  });
}

export function listMrpActions(
  runId: string,
  query: MrpResultQuery,
  signal?: AbortSignal,
): Promise<PageOf<MrpAction>> {
  return request<PageOf<MrpAction>>(`${base}/runs/${enc(runId)}/actions`, { query: { ...query }, signal });
}
