import type { ImportResult, ImportRowError } from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ItemsTable } from '../../platform/db/schema.ts';
import type { EventBus } from '../../platform/events/bus.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { loadRule } from '../masterdata/code-rule.service.ts';
import {
  customColumns,
  mergeCustomValues,
  missingRequired,
  readCustomCells,
  splitCustomHeaders,
} from '../masterdata/custom-fields.sheet.ts';
import { bulkId } from './bulk-ids.ts';
import { type HeaderMap, type ItemFields, matchHeaders, newItemRow, readItemRow } from './item-columns.ts';
import { ITEM_BATCH, type ItemPlan, importWriteError, itemPlanWriter } from './item-write.ts';
import { type ImportRecord, saveImport, toResult } from './import.repo.ts';
import { type ImportInput, MAX_STORED_ERRORS, openSheet } from './sheet-open.ts';

export { type ImportInput, MAX_IMPORT_BYTES } from './sheet-open.ts';

/** Thrown inside the write transaction to roll it back once the file turned out to have problems. */
const ROLL_BACK = Symbol('roll back');

interface ValidRow {
  readonly rowNo: number;
  readonly fields: ItemFields;
  readonly values: Record<string, string | number | null>;
}

/**
 * Imports items from a sheet; all or nothing. Every row is checked, and nothing stays written unless
 * every row is valid (the result lists every problem). Rows are checked and written batch by batch
 * in one transaction while the file is read, so memory stays flat however long the file: writing
 * stops at the first problem, and the transaction is rolled back once every row is checked.
 * Dry runs only check.
 */
export async function importItems(
  db: Db,
  ctx: Ctx,
  bus: EventBus,
  input: ImportInput,
): Promise<ImportResult> {
  const id = newId();
  const startedAt = nowIso();
  const progress = (phase: string, done: number, total: number) =>
    void bus
      .publish({
        id: newId(),
        seq: 0,
        type: 'import.progress',
        aggregateType: 'import',
        aggregateId: id,
        occurredAt: nowIso(),
        data: { id, entity: 'items', phase, done, total },
      })
      .catch(() => {});
  const rule = await loadRule(db.kysely, 'items');
  const warehouses = new Map(
    (await db.kysely.selectFrom('warehouses').select(['id', 'code']).where('active', '=', 1).execute()).map(
      (w) => [w.code, w.id] as const,
    ),
  );
  const custom = await customColumns(db.kysely, 'items');
  let customAt = new Map<string, number>();
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const report = (list: readonly ImportRowError[]) => {
    errorCount += list.length;
    for (const e of list) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
  };
  const firstRowOf = new Map<string, number>();
  const conflicts: ImportRowError[] = [];
  const now = nowIso();
  const write = itemPlanWriter(db, ctx, now);
  let pending: ValidRow[] = [];
  let written = 0;
  let inserted = 0;
  let updated = 0;
  let map: HeaderMap | null = null;
  let rows = 0;

  /** Plans a batch of valid rows against the items stored; writes it (with `tx`) while the file has no problem yet. */
  const settle = async (tx: Tx | null, batch: readonly ValidRow[]) => {
    if (batch.length === 0) return;
    const q = tx ?? db.kysely;
    const existing = new Map<string, ItemsTable>();
    // PostgreSQL takes a chunk as one array parameter; SQLite one parameter per code.
    const chunk = db.dialect === 'postgres' ? 10_000 : 500;
    for (let i = 0; i < batch.length; i += chunk) {
      const part = batch.slice(i, i + chunk).map((v) => v.fields.code);
      const found = await q
        .selectFrom('items')
        .selectAll()
        .where(
          db.dialect === 'postgres'
            ? sql<boolean>`code = any(${part}::text[])`
            : sql<boolean>`code in (${sql.join(part)})`,
        )
        .execute();
      for (const r of found) existing.set(r.code, r);
    }
    const plan: ItemPlan = { inserts: [], updates: [] };
    // Rows are only made while they may still be written (not on a dry run, not once a problem is known).
    const writing = tx !== null && errorCount === 0 && conflicts.length === 0;
    for (const { rowNo, fields, values } of batch) {
      const before = existing.get(fields.code);
      if (!before) {
        const missing = missingRequired(rowNo, customAt, custom);
        if (missing.length > 0) conflicts.push(...missing);
        else if (writing)
          plan.inserts.push(
            newItemRow({ ...fields, custom_fields: mergeCustomValues(null, values) }, bulkId(), now),
          );
      } else if (input.mode === 'insert') {
        conflicts.push({
          row: rowNo,
          column: '编码 Code',
          value: fields.code,
          message: 'an item with this code exists already',
        });
      } else if (writing) {
        const after = {
          ...before,
          ...fields,
          custom_fields: mergeCustomValues(before.custom_fields, values),
          updated_at: now,
        };
        after.dup_key = nearDuplicateKey(after.name, after.spec);
        plan.updates.push({ before, after });
      }
    }
    if (!tx || !writing || errorCount > 0 || conflicts.length > 0) return;
    await write(tx, plan);
    inserted += plan.inserts.length;
    updated += plan.updates.length;
    written += batch.length;
    progress('writing', written, rows);
  };

  // The database works on one batch while the next is read and checked (PostgreSQL beside Node);
  // one batch at a time, so memory stays flat.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async (tx: Tx | null, last: boolean) => {
    const batch = pending;
    pending = [];
    await inFlight;
    inFlight = settle(tx, batch);
    inFlight.catch(() => {}); // awaited before the next batch or at the end
    if (last) await inFlight;
  };

  // With `spool` the upload is on disk once the first row is read: the transaction never waits on the network.
  const sheet = (await openSheet(input, { spool: !input.dryRun }))[Symbol.asyncIterator]();
  try {
    const first = await sheet.next();
    let started = false;
    const readAll = async (tx: Tx | null) => {
      // PostgreSQL retries a transaction after a deadlock, but the rows read are gone by then.
      if (started)
        throw new AppError(
          'DUPLICATE_CODE',
          'Items of the file were written by someone else meanwhile; run the import again',
        );
      started = true;
      try {
        await readRows(tx);
      } catch (err) {
        await inFlight.catch(() => {});
        throw err;
      }
      await flush(tx, true);
      if (!map && errorCount === 0)
        report([{ row: 1, column: '', value: '', message: 'the file has no header row' }]);
    };
    const readRows = async (tx: Tx | null) => {
      for (let next = first; !next.done; next = await sheet.next()) {
        const { rowNo, cells } = next.value;
        if (cells.every((c) => c.trim() === '')) continue;
        if (!map) {
          const split = splitCustomHeaders(cells, custom);
          customAt = split.positions;
          const headers = matchHeaders(split.rest);
          report(headers.errors.map((e) => ({ ...e, row: rowNo })));
          if (headers.errors.length > 0) break;
          map = headers.map;
          continue;
        }
        rows++;
        const read = readItemRow(rowNo, cells, map, { rule, warehouses });
        const cf = readCustomCells(rowNo, cells, customAt, custom);
        if (read.errors || cf.errors.length > 0) report([...(read.errors ?? []), ...cf.errors]);
        else {
          const seen = firstRowOf.get(read.fields.code);
          if (seen !== undefined) {
            report([
              { row: rowNo, column: '编码 Code', value: read.fields.code, message: `duplicates row ${seen}` },
            ]);
          } else {
            firstRowOf.set(read.fields.code, rowNo);
            pending.push({ rowNo, fields: read.fields, values: cf.values });
            if (pending.length >= ITEM_BATCH) await flush(tx, false);
          }
        }
        if (rows % 10_000 === 0) progress('validating', rows, 0);
      }
    };
    if (input.dryRun) await readAll(null);
    else {
      try {
        await db.transaction(async (tx) => {
          await readAll(tx);
          if (errorCount > 0 || conflicts.length > 0) throw ROLL_BACK;
        });
      } catch (err) {
        if (err !== ROLL_BACK) throw importWriteError(err);
      }
    }
  } finally {
    await sheet.return?.(undefined);
  }
  if (conflicts.length > 0) {
    report(conflicts);
    errors.sort((a, b) => a.row - b.row);
  }

  const record: ImportRecord = {
    id,
    entity: 'items',
    mode: input.mode,
    dryRun: input.dryRun,
    rows,
    inserted: 0,
    updated: 0,
    errorCount,
    errors,
    createdBy: ctx.actor.id ?? ctx.actor.login,
    createdAt: startedAt,
    status: errorCount > 0 ? 'invalid' : input.dryRun ? 'validated' : 'imported',
  };
  if (record.status === 'imported') {
    record.inserted = inserted;
    record.updated = updated;
  }
  const saved = await saveImport(db, record);
  progress('done', rows, rows);
  return toResult(saved);
}
