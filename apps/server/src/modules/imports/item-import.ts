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
import { customColumns, mergeCustomValues, missingRequired } from '../masterdata/custom-fields.sheet.ts';
import { bulkId } from './bulk-ids.ts';
import { insertPrepared } from './bulk-insert.ts';
import { newItemRow } from './item-columns.ts';
import type { ParseControl, ParsedBatch, ParseSetup } from './item-parse.ts';
import { type ItemPlan, importWriteError, itemPlanWriter } from './item-write.ts';
import { type ImportRecord, saveImport, toResult } from './import.repo.ts';
import { PARSE_THREAD_BYTES, parsedBatches } from './parse-thread.ts';
import { type ImportInput, MAX_STORED_ERRORS, spoolSheet } from './sheet-open.ts';

export { type ImportInput, MAX_IMPORT_BYTES } from './sheet-open.ts';

/** Thrown inside the write transaction to roll it back once the file turned out to have problems. */
const ROLL_BACK = Symbol('roll back');

/**
 * Imports items from a sheet; all or nothing. Every row is checked, and nothing stays written unless
 * every row is valid (the result lists every problem). Rows are checked and written batch by batch
 * in one transaction while the file is read, so memory stays flat however long the file: writing
 * stops at the first problem, and the transaction is rolled back once every row is checked.
 * A large file is read and checked in a worker thread (parse-thread.ts), which also makes the rows
 * of each clean batch ready to insert; this thread only looks up which codes exist and writes.
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
  const conflicts: ImportRowError[] = [];
  const now = nowIso();
  const write = itemPlanWriter(db, ctx, now);
  let written = 0;
  let inserted = 0;
  let updated = 0;
  let rows = 0;
  const upsert = input.mode === 'upsert';

  /** Looks up which codes of a checked batch exist; writes it (with `tx`) while the file has no problem yet. */
  const settle = async (tx: Tx | null, batch: ParsedBatch) => {
    const { codes, rowNos } = batch;
    if (codes.length === 0) return;
    const q = tx ?? db.kysely;
    const existing = new Map<string, ItemsTable>();
    // PostgreSQL takes a chunk as one array parameter; SQLite one parameter per code.
    const chunk = db.dialect === 'postgres' ? 10_000 : 500;
    for (let i = 0; i < codes.length; i += chunk) {
      const part = codes.slice(i, i + chunk);
      const where =
        db.dialect === 'postgres'
          ? sql<boolean>`code = any(${part}::text[])`
          : sql<boolean>`code in (${sql.join(part)})`;
      const found = upsert
        ? await q.selectFrom('items').selectAll().where(where).execute()
        : ((await q.selectFrom('items').select('code').where(where).execute()) as ItemsTable[]);
      for (const r of found) existing.set(r.code, r);
    }
    const missing = existing.size < codes.length ? missingRequired(0, customAt, custom) : [];
    const plan: ItemPlan = { inserts: [], updates: [] };
    // Rows are only made while they may still be written (not on a dry run, not once a problem is known).
    // In insert mode a stored code is a conflict: the batch will not be written either.
    const writing =
      tx !== null && errorCount === 0 && conflicts.length === 0 && (upsert || existing.size === 0);
    const prepared = batch.inserts !== null && existing.size === 0;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      const rowNo = rowNos[i]!;
      const before = existing.get(code);
      if (!before) {
        if (missing.length > 0) conflicts.push(...missing.map((m) => ({ ...m, row: rowNo })));
        else if (writing && !prepared) {
          if (!batch.fields || !batch.values) throw new Error('a batch to write came without its rows');
          plan.inserts.push(
            newItemRow(
              { ...batch.fields[i]!, custom_fields: mergeCustomValues(null, batch.values[i]!) },
              bulkId(),
              now,
            ),
          );
        }
      } else if (!upsert) {
        conflicts.push({
          row: rowNo,
          column: '编码 Code',
          value: code,
          message: 'an item with this code exists already',
        });
      } else if (writing) {
        const after = {
          ...before,
          ...batch.fields![i]!,
          custom_fields: mergeCustomValues(before.custom_fields, batch.values![i]!),
          updated_at: now,
        };
        after.dup_key = nearDuplicateKey(after.name, after.spec);
        plan.updates.push({ before, after });
      }
    }
    if (!tx || !writing || errorCount > 0 || conflicts.length > 0) return;
    if (prepared) {
      await insertPrepared(tx, 'items', batch.inserts!.items);
      await insertPrepared(tx, 'audit_log', batch.inserts!.audit);
      await insertPrepared(tx, 'outbox', batch.inserts!.outbox);
      inserted += codes.length;
    } else {
      await write(tx, plan);
      inserted += plan.inserts.length;
      updated += plan.updates.length;
    }
    written += codes.length;
    progress('writing', written, rows);
  };

  const spooled = await spoolSheet(input);
  const control: ParseControl = { build: !input.dryRun };
  const setup: ParseSetup = {
    mode: input.mode,
    rule: rule.dto,
    warehouses: [...warehouses],
    custom,
    build: input.dryRun
      ? null
      : {
          dialect: db.dialect,
          now,
          actorType: ctx.actor.type,
          actorId: ctx.actor.id ?? ctx.actor.login,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          requestId: ctx.requestId,
        },
  };
  try {
    let started = false;
    const readAll = async (tx: Tx | null) => {
      // PostgreSQL retries a transaction after a deadlock, but the rows read are gone by then.
      if (started)
        throw new AppError(
          'DUPLICATE_CODE',
          'Items of the file were written by someone else meanwhile; run the import again',
        );
      started = true;
      const batches = parsedBatches(spooled.file, spooled.xlsx, setup, control, {
        thread: spooled.bytes >= PARSE_THREAD_BYTES,
      });
      // The database works on one batch while the next is read and checked (in a worker thread
      // for a large file, else in turns with the database); one batch at a time, so memory stays flat.
      let inFlight: Promise<void> = Promise.resolve();
      try {
        for await (const batch of batches) {
          await inFlight;
          if (batch.customAt) customAt = new Map(batch.customAt);
          report(batch.errors);
          if (Math.floor(batch.rows / 10_000) > Math.floor(rows / 10_000))
            progress('validating', batch.rows, 0);
          rows = batch.rows;
          inFlight = settle(tx, batch);
          inFlight.catch(() => {}); // awaited before the next batch or at the end
          if (errorCount > 0 || conflicts.length > 0) control.build = false;
        }
      } catch (err) {
        await inFlight.catch(() => {});
        throw err;
      }
      await inFlight;
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
    await spooled.dispose();
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
