import type {
  ComplianceReport,
  CustomFieldDef,
  CustomFieldDefCreate,
  CustomFieldDefUpdate,
  CustomFieldEntity,
  CustomFieldsUpdate,
  MergeEntity,
  MergeRequest,
  MergeResult,
  WorkOrderDetail,
} from '@takt/contracts';
import { API, request } from './client.ts';

const BASE = `${API}/masterdata/custom-fields`;

export function listCustomFields(
  query: { entity?: CustomFieldEntity; active?: boolean },
  signal?: AbortSignal,
): Promise<CustomFieldDef[]> {
  return request(BASE, { query, signal });
}

export function createCustomField(body: CustomFieldDefCreate): Promise<CustomFieldDef> {
  return request(BASE, { method: 'POST', body });
}

export function updateCustomField(id: string, body: CustomFieldDefUpdate): Promise<CustomFieldDef> {
  return request(`${BASE}/${encodeURIComponent(id)}`, { method: 'PATCH', body });
}

export function getComplianceReport(signal?: AbortSignal): Promise<ComplianceReport> {
  return request(`${API}/masterdata/compliance`, { signal });
}

export function mergeRecords(entity: MergeEntity, body: MergeRequest, dryRun: boolean): Promise<MergeResult> {
  return request(`${API}/masterdata/${entity}/merge`, {
    method: 'POST',
    body,
    query: dryRun ? { dryRun: true } : {},
  });
}

export function updateWorkOrderCustomFields(id: string, body: CustomFieldsUpdate): Promise<WorkOrderDetail> {
  return request(`${API}/work-orders/${encodeURIComponent(id)}/custom-fields`, { method: 'PATCH', body });
}
