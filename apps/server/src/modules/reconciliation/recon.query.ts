import { Readable } from 'node:stream';
import type {
  FindingUpdate,
  PageOf,
  ReconciliationRun,
  ReconFinding,
  ReconFindingCsvQuery,
  ReconFindingQuery,
  ReconRunQuery,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ReconciliationFindingsTable } from '../../platform/db/schema-hub.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.ts';
import { nowIso } from '../../platform/ids.ts';
import { toRun } from './recon.service.ts';

export function toFinding(r: ReconciliationFindingsTable): ReconFinding {
  return {
    id: r.id,
    runId: r.run_id,
    check: r.check_code,
    entityType: r.entity_type,
    entityId: r.entity_id,
    entityCode: r.entity_code,
    expected: r.expected,
    actual: r.actual,
    details: JSON.parse(r.details) as unknown,
    state: r.state as ReconFinding['state'],
    note: r.note,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SORT = '-id';

function nextCursor<R extends { id: string }>(rows: R[], limit: number): string | null {
  return rows.length > limit ? encodeCursor({ s: SORT, v: null, id: rows[limit - 1]!.id }) : null;
}

/** Newest first. */
export async function listRuns(db: Db, q: ReconRunQuery): Promise<PageOf<ReconciliationRun>> {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, SORT);
  let query = db.kysely
    .selectFrom('reconciliation_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where('id', '<', after.id);
  const rows = await query.execute();
  return { items: rows.slice(0, limit).map(toRun), nextCursor: nextCursor(rows, limit) };
}

export async function getRun(db: Db, id: string): Promise<ReconciliationRun> {
  const row = await db.kysely
    .selectFrom('reconciliation_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Reconciliation run', id);
  return toRun(row);
}

function findingsQuery(db: Db, q: ReconFindingCsvQuery) {
  let query = db.kysely.selectFrom('reconciliation_findings').selectAll().orderBy('id', 'desc');
  if (q.runId) query = query.where('run_id', '=', q.runId);
  if (q.check) query = query.where('check_code', '=', q.check);
  if (q.state) query = query.where('state', '=', q.state);
  return query;
}

/** Newest first, across runs unless `runId` is given. */
export async function listFindings(db: Db, q: ReconFindingQuery): Promise<PageOf<ReconFinding>> {
  const limit = q.limit ?? 100;
  const after = decodeCursor(q.cursor, SORT);
  let query = findingsQuery(db, q).limit(limit + 1);
  if (after) query = query.where('id', '<', after.id);
  const rows = await query.execute();
  return { items: rows.slice(0, limit).map(toFinding), nextCursor: nextCursor(rows, limit) };
}

const COLUMNS = [
  'created_at',
  'run_id',
  'check_code',
  'entity_type',
  'entity_code',
  'entity_id',
  'expected',
  'actual',
  'state',
  'note',
  'details',
  'id',
] as const;

/** RFC 4180 quoting; a cell a spreadsheet would evaluate as a formula gets a leading quote mark. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams the matching findings as CSV in keyset batches, behind a UTF-8 BOM for spreadsheets. */
export function exportFindings(db: Db, q: ReconFindingCsvQuery, batch = 500): Readable {
  async function* lines() {
    yield `\uFEFF${COLUMNS.join(',')}\r\n`;
    let after: string | null = null;
    for (;;) {
      let query = findingsQuery(db, q).limit(batch);
      if (after) query = query.where('id', '<', after);
      const rows = await query.execute();
      if (rows.length === 0) return;
      yield rows.map((r) => `${COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n`).join('');
      after = rows[rows.length - 1]!.id;
      if (rows.length < batch) return;
    }
  }
  return Readable.from(lines());
}

/** Marks a finding explained or fixed (or open again) with a note; audited. */
export async function updateFinding(
  db: Db,
  ctx: Ctx,
  id: string,
  input: FindingUpdate,
): Promise<ReconFinding> {
  return db.transaction(async (tx) => {
    const before = await tx
      .selectFrom('reconciliation_findings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw notFound('Reconciliation finding', id);
    const after = await tx
      .updateTable('reconciliation_findings')
      .set({
        state: input.state,
        note: input.note?.trim() ?? before.note,
        version: before.version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!after)
      throw new AppError('STALE_VERSION', 'The finding was changed by someone else; reload it', {
        extra: { currentVersion: before.version },
      });
    await recordAudit(tx, ctx, {
      entityType: 'reconciliation_finding',
      entityId: id,
      action: 'update',
      before: { state: before.state, note: before.note },
      after: { state: after.state, note: after.note },
    });
    return toFinding(after);
  });
}
