import type { PerformanceReport } from '@takt/contracts';
import { API, request } from './client.ts';

/** GET /api/v1/meta */
export interface SystemMeta {
  name: string;
  version: string;
  database: 'sqlite' | 'postgres';
  demo: boolean;
}

/** GET /ready: 200 when the server can take traffic; an error (usually 503) otherwise. */
export interface Readiness {
  status: string;
}

export function getMeta(signal?: AbortSignal): Promise<SystemMeta> {
  return request<SystemMeta>(`${API}/meta`, { signal });
}

export function getReadiness(signal?: AbortSignal): Promise<Readiness> {
  return request<Readiness>('/ready', { signal });
}

/** GET /api/v1/system/performance: figures of the process that answered (administrators). */
export function getPerformance(signal?: AbortSignal): Promise<PerformanceReport> {
  return request<PerformanceReport>(`${API}/system/performance`, { signal });
}
