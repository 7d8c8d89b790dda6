import type { ImportResult, ImportRowError, ImportStatus } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import type { ImportsTable } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { csvLine } from './csv.ts';

export const LISTED_ERRORS = 1000;

export interface ImportRecord {
  id: string;
  entity: string;
  mode: string;
  dryRun: boolean;
  status: ImportStatus;
  rows: number;
  inserted: number;
  updated: number;
  errorCount: number;
  errors: ImportRowError[];
  createdBy: string | null;
  createdAt: string;
}

export async function saveImport(db: Db, r: ImportRecord): Promise<ImportsTable> {
  const row: ImportsTable = {
    id: r.id,
    entity: r.entity,
    mode: r.mode,
    dry_run: r.dryRun ? 1 : 0,
    status: r.status,
    rows: r.rows,
    inserted: r.inserted,
    updated: r.updated,
    error_count: r.errorCount,
    errors: JSON.stringify(r.errors),
    created_by: r.createdBy,
    created_at: r.createdAt,
    finished_at: nowIso(),
  };
  await db.kysely.insertInto('imports').values(row).execute();
  return row;
}

export function toResult(row: ImportsTable): ImportResult {
  const errors = JSON.parse(row.errors) as ImportRowError[];
  return {
    id: row.id,
    entity: row.entity,
    mode: row.mode,
    dryRun: row.dry_run === 1,
    status: row.status as ImportStatus,
    rows: row.rows,
    inserted: row.inserted,
    updated: row.updated,
    errorCount: row.error_count,
    errors: errors.slice(0, LISTED_ERRORS),
    moreErrors: Math.max(0, row.error_count - LISTED_ERRORS),
    errorReport: row.error_count > 0 ? `/api/v1/${row.entity}/import/${row.id}/errors.csv` : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export async function findImport(db: Db, entity: string, id: string): Promise<ImportsTable> {
  const row = await db.kysely
    .selectFrom('imports')
    .selectAll()
    .where('id', '=', id)
    .where('entity', '=', entity)
    .executeTakeFirst();
  if (!row) throw notFound('Import', id);
  return row;
}

/** Every stored error of an import as CSV (BOM first, so Excel reads it as UTF-8). */
export function errorReport(row: ImportsTable): string {
  const errors = JSON.parse(row.errors) as ImportRowError[];
  let out = `\uFEFF${csvLine(['行 Row', '列 Column', '值 Value', '问题 Problem'])}`;
  for (const e of errors) out += csvLine([e.row, e.column, e.value, e.message]);
  return out;
}
