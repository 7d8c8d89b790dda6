import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportResult, ImportRowError } from '@takt/contracts';
import { nearDuplicateKey } from '@takt/domain';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ItemsTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/bus.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { loadRule } from '../masterdata/code-rule.service.ts';
import { bulkId } from './bulk-ids.ts';
import { type HeaderMap, type ItemFields, matchHeaders, newItemRow, readItemRow } from './item-columns.ts';
import { type ItemPlan, writeItemPlan } from './item-write.ts';
import { type ImportRecord, saveImport, toResult } from './import.repo.ts';
import { looksLikeXlsx, readCsv } from './sheet-io.ts';
import { readXlsxFile } from './xlsx-reader.ts';
import { ZipError } from './zip-file.ts';

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
const MAX_STORED_ERRORS = 100_000;

export interface ImportInput {
  readonly body: Readable;
  readonly contentType?: string;
  readonly mode: 'insert' | 'upsert';
  readonly dryRun: boolean;
}

/** The body with a size limit, and the format told by the content type or the first bytes. */
async function openSheet(input: ImportInput) {
  const it = input.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  let bytes = 0;
  async function* all(): AsyncGenerator<Buffer> {
    for (let next = first; !next.done; next = await it.next()) {
      bytes += next.value.length;
      if (bytes > MAX_IMPORT_BYTES)
        throw new AppError('BODY_TOO_LARGE', 'Import files are limited to 200 MB');
      yield next.value;
    }
  }
  if (!looksLikeXlsx(input.contentType, head)) return readCsv(all());
  // A zip is read from its end: the upload goes to a temporary file first, streamed, never whole in memory.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'takt-import-'));
  const file = path.join(dir, 'upload.xlsx');
  return (async function* () {
    try {
      await pipeline(Readable.from(all()), createWriteStream(file));
      try {
        yield* readXlsxFile(file);
      } catch (err) {
        if (err instanceof ZipError)
          throw new AppError(
            'VALIDATION_FAILED',
            `The file is not a readable .xlsx workbook: ${err.message}`,
          );
        throw err;
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  })();
}

/**
 * Imports items from a sheet. Every row is read and checked before anything is written; one bad row
 * and nothing is written (the result lists every problem). Dry runs stop after the checks.
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
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const report = (list: readonly ImportRowError[]) => {
    errorCount += list.length;
    for (const e of list) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
  };
  const valid: { rowNo: number; fields: ItemFields }[] = [];
  const firstRowOf = new Map<string, number>();
  let map: HeaderMap | null = null;
  let rows = 0;
  for await (const { rowNo, cells } of await openSheet(input)) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (!map) {
      const headers = matchHeaders(cells);
      report(headers.errors.map((e) => ({ ...e, row: rowNo })));
      if (headers.errors.length > 0) break;
      map = headers.map;
      continue;
    }
    rows++;
    const read = readItemRow(rowNo, cells, map, { rule, warehouses });
    if (read.errors) report(read.errors);
    else {
      const seen = firstRowOf.get(read.fields.code);
      if (seen !== undefined) {
        report([
          { row: rowNo, column: '编码 Code', value: read.fields.code, message: `duplicates row ${seen}` },
        ]);
      } else {
        firstRowOf.set(read.fields.code, rowNo);
        valid.push({ rowNo, fields: read.fields });
      }
    }
    if (rows % 10_000 === 0) progress('validating', rows, 0);
  }
  if (!map && errorCount === 0)
    report([{ row: 1, column: '', value: '', message: 'the file has no header row' }]);

  const existing = new Map<string, ItemsTable>();
  const codes = [...firstRowOf.keys()];
  for (let i = 0; i < codes.length; i += 500) {
    const found = await db.kysely
      .selectFrom('items')
      .selectAll()
      .where('code', 'in', codes.slice(i, i + 500))
      .execute();
    for (const r of found) existing.set(r.code, r);
  }
  const now = nowIso();
  const plan: ItemPlan = { inserts: [], updates: [] };
  const conflicts: ImportRowError[] = [];
  for (const { rowNo, fields } of valid) {
    const before = existing.get(fields.code);
    if (!before) {
      plan.inserts.push(newItemRow(fields, bulkId(), now));
    } else if (input.mode === 'insert') {
      conflicts.push({
        row: rowNo,
        column: '编码 Code',
        value: fields.code,
        message: 'an item with this code exists already',
      });
    } else {
      const after = { ...before, ...fields, updated_at: now };
      after.dup_key = nearDuplicateKey(after.name, after.spec);
      plan.updates.push({ before, after });
    }
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
    const total = plan.inserts.length + plan.updates.length;
    await writeItemPlan(db, ctx, plan, now, (done) => progress('writing', done, total));
    record.inserted = plan.inserts.length;
    record.updated = plan.updates.length;
  }
  const saved = await saveImport(db, record);
  progress('done', rows, rows);
  return toResult(saved);
}
