import type { CustomFieldEntity, ImportResult, ImportRowError, SheetFormat } from '@takt/contracts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Dialect, Tx } from '../../platform/db/database.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/bus.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import {
  type CustomCellValues,
  type CustomColumn,
  customColumns,
  customExampleCells,
  missingRequired,
  readCustomCells,
  splitCustomHeaders,
} from '../masterdata/custom-fields.sheet.ts';
import { type ImportRecord, saveImport, toResult } from './import.repo.ts';
import { sheetWriter } from './sheet-io.ts';
import { type ImportInput, MAX_STORED_ERRORS, openSheet } from './sheet-open.ts';
import { type ColumnMap, headerMatcher, headerOf } from './sheet-columns.ts';
import { type RowReader, rowReader, type SheetColumn } from './sheet-spec.ts';

/** One record read from the sheet: its key (the code, or warehouse/code) and what the row says. */
export interface SheetRecord<F> {
  readonly key: string;
  readonly fields: F;
}

/**
 * What differs per entity: the columns, how a row is read and checked (references resolved through
 * what `load` fetched once), how existing records are found by key, how a checked plan is written
 * (through the entity's record spec, so audit entries and events match a change by hand), and the
 * rows of an export. Everything else — parsing, header matching, the all-or-nothing rule, dry runs,
 * upsert, progress and the error report — is the same for all entities.
 */
export interface SheetSpec<F, Existing, C> {
  /** The URL segment and the `entity` of the import record, e.g. 'customers'. */
  readonly entity: string;
  /** For messages, e.g. 'customer'. */
  readonly noun: string;
  readonly sheetName: string;
  readonly columns: readonly SheetColumn[];
  /** The example rows of the template, in column order. */
  readonly example: readonly (readonly string[])[];
  /** The column the key is reported on. */
  readonly keyColumn: string;
  /**
   * The entity whose custom fields follow the own columns: export and template write them, an
   * import checks them (kind, choice list, required) and hands the values of a row to `read`.
   */
  readonly customFields?: CustomFieldEntity;
  /** What the key is called in messages; 'code' unless said otherwise. */
  readonly keyName?: string;
  /** The key as shown in messages, when it is not simply the code. */
  showKey?(key: string): string;
  load(db: Db): Promise<C>;
  /** `custom` holds the row's checked custom values by key (null clears one); {} without them. */
  read(r: RowReader, c: C, custom: CustomCellValues): SheetRecord<F> | null;
  /**
   * Several rows with the same key are one record whose child lines (contacts, supplied items) come
   * one per row; without `merge` a repeated key is an error.
   */
  merge?(first: F, next: F, r: RowReader): void;
  /** Problems only visible once every row of a record is read (e.g. operations waiting in a cycle). */
  complete?(fields: F): ImportRowError[];
  existing(db: Db, keys: readonly string[]): Promise<Map<string, Existing>>;
  /** Why an existing record cannot be updated by an import (e.g. a released version), or null. */
  refuse?(before: Existing): string | null;
  write(tx: Tx, ctx: Ctx, plan: SheetPlan<F, Existing>, env: WriteEnv): Promise<void>;
  /** Export rows in column order (custom columns last), read page by page (never all at once). */
  rows(db: Db, custom: readonly CustomColumn[]): AsyncIterable<readonly string[]>;
}

/** What a write gets besides the plan: one timestamp for all rows and the dialect. */
export interface WriteEnv {
  readonly now: string;
  readonly dialect: Dialect;
}

export interface SheetPlan<F, Existing> {
  readonly inserts: F[];
  readonly updates: { before: Existing; fields: F }[];
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of specs whose field types differ per entity
export type AnySheetSpec = SheetSpec<any, any, any>;

/**
 * Imports one entity from a sheet. Every row is read and checked (schema, code rule, references)
 * before anything is written; one bad row and nothing is written, the result lists every problem by
 * row and column. A dry run stops after the checks; upsert updates records whose key exists.
 */
export async function importSheet<F, E, C>(
  db: Db,
  ctx: Ctx,
  bus: EventBus,
  spec: SheetSpec<F, E, C>,
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
        data: { id, entity: spec.entity, phase, done, total },
      })
      .catch(() => {});
  const loaded = await spec.load(db);
  const custom = spec.customFields ? await customColumns(db.kysely, spec.customFields) : [];
  let customAt = new Map<string, number>();
  const match = headerMatcher(spec.columns);
  const keyHeader = headerOf(spec.columns.find((c) => c.key === spec.keyColumn)!);
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const report = (list: readonly ImportRowError[]) => {
    errorCount += list.length;
    for (const e of list) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
  };
  const records = new Map<string, { rowNo: number; fields: F }>();
  let map: ColumnMap | null = null;
  let rows = 0;
  for await (const { rowNo, cells } of await openSheet(input)) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (!map) {
      const split = splitCustomHeaders(cells, custom);
      customAt = split.positions;
      const headers = match(split.rest);
      report(headers.errors.map((e) => ({ ...e, row: rowNo })));
      if (headers.errors.length > 0) break;
      map = headers.map;
      continue;
    }
    rows++;
    const r = rowReader(rowNo, cells, map, spec.columns);
    const cf = readCustomCells(rowNo, cells, customAt, custom);
    r.errors.push(...cf.errors);
    const read = spec.read(r, loaded, cf.values);
    if (read && r.errors.length === 0) {
      const first = records.get(read.key);
      if (!first) records.set(read.key, { rowNo, fields: read.fields });
      else if (spec.merge) spec.merge(first.fields, read.fields, r);
      else
        r.errors.push({
          row: rowNo,
          column: keyHeader,
          value: spec.showKey?.(read.key) ?? read.key,
          message: `duplicates row ${first.rowNo}`,
        });
    }
    report(r.errors);
    if (rows % 10_000 === 0) progress('validating', rows, 0);
  }
  if (!map && errorCount === 0)
    report([{ row: 1, column: '', value: '', message: 'the file has no header row' }]);

  if (spec.complete) for (const { fields } of records.values()) report(spec.complete(fields));
  if (errorCount > 0) errors.sort((a, b) => a.row - b.row);

  const existing = await spec.existing(db, [...records.keys()]);
  const plan: SheetPlan<F, E> = { inserts: [], updates: [] };
  const conflicts: ImportRowError[] = [];
  for (const [key, { rowNo, fields }] of records) {
    const before = existing.get(key);
    if (before === undefined) {
      const missing = missingRequired(rowNo, customAt, custom);
      if (missing.length > 0) conflicts.push(...missing);
      else plan.inserts.push(fields);
    } else if (input.mode === 'insert')
      conflicts.push({
        row: rowNo,
        column: keyHeader,
        value: spec.showKey?.(key) ?? key,
        message: `a ${spec.noun} with this ${spec.keyName ?? 'code'} exists already`,
      });
    else {
      const refusal = spec.refuse?.(before);
      if (refusal)
        conflicts.push({
          row: rowNo,
          column: keyHeader,
          value: spec.showKey?.(key) ?? key,
          message: refusal,
        });
      else plan.updates.push({ before, fields });
    }
  }
  if (conflicts.length > 0) {
    report(conflicts);
    errors.sort((a, b) => a.row - b.row);
  }

  const record: ImportRecord = {
    id,
    entity: spec.entity,
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
    progress('writing', 0, total);
    const env: WriteEnv = { now: nowIso(), dialect: db.dialect };
    try {
      // One transaction; written in slices so the progress moves while it runs.
      await db.transaction(async (tx) => {
        let done = 0;
        for (let i = 0; i < plan.inserts.length; i += 500) {
          const inserts = plan.inserts.slice(i, i + 500);
          await spec.write(tx, ctx, { inserts, updates: [] }, env);
          done += inserts.length;
          progress('writing', done, total);
        }
        for (let i = 0; i < plan.updates.length; i += 500) {
          const updates = plan.updates.slice(i, i + 500);
          await spec.write(tx, ctx, { inserts: [], updates }, env);
          done += updates.length;
          progress('writing', done, total);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError(
          'DUPLICATE_CODE',
          `${/^[aeiou]/i.test(spec.noun) ? 'An' : 'A'} ${spec.noun} code in the file was created by someone else meanwhile; run the import again`,
        );
      throw err;
    }
    record.inserted = plan.inserts.length;
    record.updated = plan.updates.length;
  }
  const saved = await saveImport(db, record);
  progress('done', rows, rows);
  return toResult(saved);
}

const widths = (spec: AnySheetSpec) => spec.columns.map((c) => c.width ?? 14);
const headers = (spec: AnySheetSpec, custom: readonly CustomColumn[]) => [
  ...spec.columns.map(headerOf),
  ...custom.map((c) => c.header),
];
const customOf = (db: Db, spec: AnySheetSpec) =>
  spec.customFields ? customColumns(db.kysely, spec.customFields) : Promise.resolve([]);

/** Every record of the entity, streamed row by row as the pages are read. */
export function exportSheet(db: Db, spec: AnySheetSpec, format: SheetFormat) {
  const writer = sheetWriter(format, spec.sheetName, widths(spec));
  const run = async () => {
    const custom = await customOf(db, spec);
    await writer.row(headers(spec, custom));
    for await (const row of spec.rows(db, custom)) await writer.row(row);
    await writer.end();
  };
  run().catch((err: Error) => writer.fail(err));
  return writer.stream;
}

/** An empty sheet with the bilingual headers (custom fields too) and the example rows. */
export function sheetTemplate(db: Db, spec: AnySheetSpec, format: SheetFormat) {
  const writer = sheetWriter(format, spec.sheetName, widths(spec));
  const run = async () => {
    const custom = await customOf(db, spec);
    await writer.row(headers(spec, custom));
    for (const row of spec.example) await writer.row([...row, ...customExampleCells(custom)]);
    await writer.end();
  };
  run().catch((err: Error) => writer.fail(err));
  return writer.stream;
}

/** Keyset pages of a table ordered by `order`, yielded one row at a time. */
export async function* pages<R>(
  fetch: (after: R | null, limit: number) => Promise<R[]>,
  limit = 1000,
): AsyncGenerator<R> {
  let after: R | null = null;
  for (;;) {
    const rows = await fetch(after, limit);
    yield* rows;
    if (rows.length < limit) return;
    after = rows[rows.length - 1]!;
  }
}

/** Looks up rows by a key column in chunks (parameter limits), as a map key → row. */
export async function byKeys<R>(
  keys: readonly string[],
  fetch: (chunk: string[]) => Promise<R[]>,
  keyOf: (row: R) => string,
): Promise<Map<string, R>> {
  const out = new Map<string, R>();
  for (let i = 0; i < keys.length; i += 500) {
    for (const row of await fetch(keys.slice(i, i + 500))) out.set(keyOf(row), row);
  }
  return out;
}
