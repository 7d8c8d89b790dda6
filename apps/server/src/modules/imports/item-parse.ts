import type { CodeRule, ImportRowError } from '@takt/contracts';
import { compileCodeRule, DEFAULT_CODE_RULE } from '@takt/domain';
import type { Dialect } from '../../platform/db/database.ts';
import { toItem } from '../items/item-dto.ts';
import type { LoadedRule } from '../masterdata/code-rule.apply.ts';
import {
  type CustomColumn,
  mergeCustomValues,
  readCustomCells,
  splitCustomHeaders,
} from '../masterdata/custom-fields.cells.ts';
import { bulkId } from './bulk-ids.ts';
import { type PreparedRows, prepareRows } from './bulk-insert.ts';
import { type HeaderMap, type ItemFields, matchHeaders, newItemRow, readItemRow } from './item-columns.ts';
import { createdDiff, ITEM_BATCH } from './item-created.ts';

/**
 * Reading and checking an item sheet, apart from the database: the header, every cell, duplicate
 * codes within the file. Valid rows come out in batches of ITEM_BATCH; with `build` set each batch
 * also carries its rows as new items, with their audit entries and events, ready to insert (what an
 * insert by hand records), so the side that writes only has to look up which codes exist. This runs
 * the same in the request's thread or in a worker thread (parse-worker.ts); everything here is plain
 * data that crosses a thread boundary.
 */
export interface ParseSetup {
  readonly mode: 'insert' | 'upsert';
  readonly rule: CodeRule;
  /** Active warehouses, code → id. */
  readonly warehouses: readonly (readonly [string, string])[];
  readonly custom: readonly CustomColumn[];
  /** Set when the rows are to be written. */
  readonly build: BuildSetup | null;
}

/** What the rows written by one import share. */
export interface BuildSetup {
  readonly dialect: Dialect;
  readonly now: string;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
}

/** The rows of one batch as new items, index for index with its codes. */
export interface InsertBatch {
  readonly items: PreparedRows;
  readonly audit: PreparedRows;
  readonly outbox: PreparedRows;
}

export interface ParsedBatch {
  /** Data rows read so far (valid or not). */
  readonly rows: number;
  /** Problems found in this batch's rows (or in the header), in row order. */
  readonly errors: ImportRowError[];
  /** Where the custom field columns are: sent once, with the header. */
  readonly customAt?: [string, number][];
  /** The valid rows: their row numbers and codes (unique within the file). */
  readonly rowNos: number[];
  readonly codes: string[];
  /** Their fields and custom values: only in upsert mode, where a row may update a stored item. */
  readonly fields: ItemFields[] | null;
  readonly values: Record<string, string | number | null>[] | null;
  /** The valid rows as new items, while `build` is set and the parser was not told to stop. */
  readonly inserts: InsertBatch | null;
}

/** Read by the parser between batches: the writer turns `build` off once the file has a problem. */
export interface ParseControl {
  build: boolean;
}

const ITEM_COLUMNS_WRITTEN = [
  'id',
  'code',
  'name',
  'spec',
  'type',
  'uom',
  'safety_stock',
  'standard_cost',
  'tracking',
  'default_warehouse_id',
  'purchase_lead_days',
  'production_lead_days',
  'min_order_qty',
  'order_multiple',
  'dup_key',
  'custom_fields',
  'active',
  'version',
  'created_at',
  'updated_at',
] as const;
const AUDIT_COLUMNS = [
  'id',
  'at',
  'actor_type',
  'actor_id',
  'ip',
  'user_agent',
  'entity_type',
  'entity_id',
  'action',
  'diff',
  'request_id',
] as const;
const OUTBOX_COLUMNS = [
  'id',
  'type',
  'aggregate_type',
  'aggregate_id',
  'data',
  'occurred_at',
  'request_id',
  'dispatched_at',
] as const;

export function loadedRule(dto: CodeRule): LoadedRule {
  const compiled = compileCodeRule({
    pattern: dto.pattern,
    description: dto.description,
    upperCase: dto.upperCase,
  });
  return { dto, rule: compiled.ok ? compiled.value : DEFAULT_CODE_RULE };
}

/** New item rows, one audit entry ('create') and one item.created event each, for one batch. */
function buildInserts(
  build: BuildSetup,
  fields: readonly ItemFields[],
  values: readonly Record<string, string | number | null>[],
): InsertBatch {
  const items: Record<string, unknown>[] = [];
  const audit: Record<string, unknown>[] = [];
  const outbox: Record<string, unknown>[] = [];
  for (let i = 0; i < fields.length; i++) {
    const row = newItemRow(
      { ...fields[i]!, custom_fields: mergeCustomValues(null, values[i]!) },
      bulkId(),
      build.now,
    );
    items.push(row as unknown as Record<string, unknown>);
    audit.push({
      id: bulkId(),
      at: build.now,
      actor_type: build.actorType,
      actor_id: build.actorId,
      ip: build.ip,
      user_agent: build.userAgent,
      entity_type: 'item',
      entity_id: row.id,
      action: 'create',
      diff: createdDiff({ ...row, conversions: [] }),
      request_id: build.requestId,
    });
    outbox.push({
      id: bulkId(),
      type: 'item.created',
      aggregate_type: 'item',
      aggregate_id: row.id,
      data: JSON.stringify(toItem(row)),
      occurred_at: build.now,
      request_id: build.requestId,
      dispatched_at: null,
    });
  }
  return {
    items: prepareRows(build.dialect, ITEM_COLUMNS_WRITTEN, items, ['custom_fields']),
    audit: prepareRows(build.dialect, AUDIT_COLUMNS, audit, ['diff']),
    outbox: prepareRows(build.dialect, OUTBOX_COLUMNS, outbox, ['data']),
  };
}

/** Checks every row of a sheet; yields the valid ones in batches, with every problem found. */
export async function* parseItems(
  sheet: AsyncIterable<{ rowNo: number; cells: string[] }>,
  setup: ParseSetup,
  control: ParseControl,
): AsyncGenerator<ParsedBatch> {
  const rule = loadedRule(setup.rule);
  const warehouses = new Map(setup.warehouses);
  const upsert = setup.mode === 'upsert';
  const firstRowOf = new Map<string, number>();
  let map: HeaderMap | null = null;
  let customAt: Map<string, number> | undefined;
  let rows = 0;
  let errors: ImportRowError[] = [];
  let rowNos: number[] = [];
  let codes: string[] = [];
  let fields: ItemFields[] = [];
  let values: Record<string, string | number | null>[] = [];
  let headerSent = false;
  let clean = true;
  const take = (): ParsedBatch => {
    clean &&= errors.length === 0;
    const build = setup.build !== null && control.build && clean;
    const batch: ParsedBatch = {
      rows,
      errors,
      ...(customAt && !headerSent ? { customAt: [...customAt] } : {}),
      rowNos,
      codes,
      fields: upsert ? fields : null,
      values: upsert ? values : null,
      inserts: build && codes.length > 0 ? buildInserts(setup.build!, fields, values) : null,
    };
    headerSent ||= customAt !== undefined;
    errors = [];
    rowNos = [];
    codes = [];
    fields = [];
    values = [];
    return batch;
  };

  for await (const { rowNo, cells } of sheet) {
    if (cells.every((c) => c.trim() === '')) continue;
    if (!map) {
      const split = splitCustomHeaders(cells, setup.custom);
      customAt = split.positions;
      const headers = matchHeaders(split.rest);
      for (const e of headers.errors) errors.push({ ...e, row: rowNo });
      if (headers.errors.length > 0) break;
      map = headers.map;
      continue;
    }
    rows++;
    const read = readItemRow(rowNo, cells, map, { rule, warehouses });
    const cf = readCustomCells(rowNo, cells, customAt!, setup.custom);
    if (read.errors || cf.errors.length > 0) errors.push(...(read.errors ?? []), ...cf.errors);
    else {
      const seen = firstRowOf.get(read.fields.code);
      if (seen !== undefined) {
        errors.push({
          row: rowNo,
          column: '编码 Code',
          value: read.fields.code,
          message: `duplicates row ${seen}`,
        });
      } else {
        firstRowOf.set(read.fields.code, rowNo);
        rowNos.push(rowNo);
        codes.push(read.fields.code);
        fields.push(read.fields);
        values.push(cf.values);
        if (codes.length >= ITEM_BATCH) yield take();
      }
    }
  }
  if (!map && errors.length === 0)
    errors.push({ row: 1, column: '', value: '', message: 'the file has no header row' });
  yield take();
}
