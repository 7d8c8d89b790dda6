import type { Inspection, InspectionListQuery, InspectionRequest, InspectionResult } from '@takt/contracts';
import { API, request } from './client.ts';

const enc = encodeURIComponent;

export const INSPECTION_STATES = ['requested', 'passed', 'failed'] as const;
export type InspectionStateName = (typeof INSPECTION_STATES)[number];

export function listInspections(query: InspectionListQuery, signal?: AbortSignal): Promise<Inspection[]> {
  return request<Inspection[]>(`${API}/quality/inspections`, { query: { ...query }, signal });
}

export function requestInspection(body: InspectionRequest): Promise<Inspection> {
  return request<Inspection>(`${API}/quality/inspections`, { method: 'POST', body });
}

export function recordInspectionResult(id: string, body: InspectionResult): Promise<Inspection> {
  return request<Inspection>(`${API}/quality/inspections/${enc(id)}/result`, { method: 'POST', body });
}
