import { Readable } from 'node:stream';
import type { AuditExportQuery, AuditQuery, AuditRecord, PageOf } from '@takt/contracts';
import type { Db } from '../../platform/db/database.ts';
import type { AuditLogTable } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf } from '../../platform/http/pagination.ts';
import * as repo from './audit.repo.ts';

/**
 * The audit trail is append-only: entries are written by recordAudit in the transaction of each change
 * and the database refuses updates and deletes. Here it is searched and exported.
 */
type Row = AuditLogTable & { actor_name: string | null };

export function toAuditRecord(row: Row): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorName: row.actor_name,
    ip: row.ip,
    userAgent: row.user_agent,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    diff: JSON.parse(row.diff) as AuditRecord['diff'],
    requestId: row.request_id,
  };
}

const SORT = { key: '-at' };

export async function searchAudit(db: Db, query: AuditQuery): Promise<PageOf<AuditRecord>> {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, SORT.key);
  const rows = await repo.searchAudit(db.kysely, query, limit + 1, cursor);
  const page = pageOf(rows, limit, SORT, (r) => r.at);
  return { items: page.rows.map(toAuditRecord), nextCursor: page.nextCursor };
}

const COLUMNS = [
  'at',
  'actor_type',
  'actor_id',
  'actor_name',
  'ip',
  'user_agent',
  'entity_type',
  'entity_id',
  'action',
  'diff',
  'request_id',
  'id',
] as const;

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula are defused with a quote mark. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams the matching entries as CSV in keyset batches, so memory stays flat for any size. */
export function exportAudit(db: Db, filters: AuditExportQuery, batch = 1000): Readable {
  async function* lines() {
    yield `${COLUMNS.join(',')}\r\n`;
    let after: { s: string; v: string; id: string } | null = null;
    for (;;) {
      const rows: Row[] = await repo.searchAudit(db.kysely, filters, batch, after);
      if (rows.length === 0) return;
      yield rows.map((r) => `${COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n`).join('');
      const last = rows[rows.length - 1]!;
      after = { s: SORT.key, v: last.at, id: last.id };
      if (rows.length < batch) return;
    }
  }
  return Readable.from(lines());
}
