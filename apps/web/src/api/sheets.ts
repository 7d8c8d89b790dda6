import type { ImportResult } from '@takt/contracts';
import { API, ApiError, buildUrl, csrfHeader } from './client.ts';

/** Master-data entities with sheet export, template and import (each under /api/v1/<entity>). */
export type SheetEntity =
  | 'items'
  | 'customers'
  | 'suppliers'
  | 'warehouses'
  | 'locations'
  | 'employees'
  | 'tools'
  | 'work-centers'
  | 'machines'
  | 'boms'
  | 'routings';
export type SheetFormat = 'xlsx' | 'csv';

export const exportUrl = (entity: SheetEntity, format: SheetFormat) =>
  buildUrl(`${API}/${entity}/export`, { format });
export const templateUrl = (entity: SheetEntity, format: SheetFormat) =>
  buildUrl(`${API}/${entity}/import/template`, { format });

/**
 * Sends the file as the request body (the server streams it) and reports upload progress. A file
 * with problems answers 422 with the same result shape (status `invalid`), which is returned, not thrown.
 */
export function uploadSheet(
  entity: SheetEntity,
  file: File,
  options: { mode: 'insert' | 'upsert'; dryRun: boolean },
  onProgress: (percent: number) => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(`${API}/${entity}/import`, { mode: options.mode, dryRun: options.dryRun }));
    const csv = /\.csv$/i.test(file.name) || file.type.includes('csv');
    xhr.setRequestHeader(
      'content-type',
      csv ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK_ERROR', title: 'Network error' }));
    xhr.onload = () => {
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      if (
        (xhr.status === 200 || xhr.status === 422) &&
        body &&
        typeof body.status === 'string' &&
        'rows' in body
      ) {
        resolve(body as unknown as ImportResult);
        return;
      }
      reject(
        new ApiError({
          status: xhr.status,
          code: typeof body?.code === 'string' ? body.code : `HTTP_${xhr.status}`,
          title: typeof body?.title === 'string' ? body.title : `HTTP ${xhr.status}`,
          detail: typeof body?.detail === 'string' ? body.detail : undefined,
        }),
      );
    };
    xhr.send(file);
  });
}
