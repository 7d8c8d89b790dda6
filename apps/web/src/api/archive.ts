import type { WorkOrderListQuery } from '@takt/contracts';
import { API, buildUrl } from './client.ts';

/** Download link of the archived work orders matching the list filters (server-streamed sheet). */
export const archivedWorkOrdersExportUrl = (
  filters: Omit<WorkOrderListQuery, 'archived' | 'limit' | 'cursor'>,
  format: 'xlsx' | 'csv',
) => buildUrl(`${API}/archive/work-orders/export`, { ...filters, format });
