import type { ImportRowError } from '@takt/contracts';
import { normaliseText } from '@takt/domain';
import { coerceValue, customFieldsOf, type StoredValues } from './custom-values.ts';
import { unguard } from '../imports/csv.ts';

/**
 * Custom fields as sheet columns, after the entity's own: the header is `<中文> <English> [key]`; on
 * import a column matches by that header, its key, either label or both in either order.
 */
export interface CustomColumn {
  readonly key: string;
  readonly header: string;
  readonly kind: string;
  readonly options: readonly string[];
  readonly required: boolean;
  readonly names: readonly string[];
}

export const squash = (text: string) =>
  normaliseText(text)
    .toLowerCase()
    .replace(/[\s_()（）/\-[\]【】]/g, '');

/** Values read from one row by key; null clears a stored value. */
export type CustomCellValues = Readonly<Record<string, string | number | null>>;

/** The cells of one exported record, in column order. */
export function customCells(json: string | null | undefined, columns: readonly CustomColumn[]): string[] {
  const values = customFieldsOf(json);
  return columns.map((c) => (values[c.key] === undefined ? '' : String(values[c.key])));
}

/** Template cells: a value of the right kind for each column, so the example row imports as is. */
export function customExampleCells(columns: readonly CustomColumn[]): string[] {
  return columns.map((c) => {
    if (c.kind === 'choice') return c.options[0] ?? '';
    if (c.kind === 'number') return '1';
    if (c.kind === 'date') return '2026-01-31';
    return c.required ? c.header.split(' ')[0]! : '';
  });
}

/**
 * Finds the custom columns in a header row: their positions, and the header cells with them blanked
 * so the entity's own header check does not see them as unknown.
 */
export function splitCustomHeaders(
  cells: readonly string[],
  columns: readonly CustomColumn[],
): { positions: Map<string, number>; rest: string[] } {
  const positions = new Map<string, number>();
  const rest = [...cells];
  cells.forEach((cell, i) => {
    const s = squash(cell);
    if (s === '') return;
    const hit = columns.find((c) => c.names.includes(s));
    if (hit && !positions.has(hit.key)) {
      positions.set(hit.key, i);
      rest[i] = '';
    }
  });
  return { positions, rest };
}

/** Parsed values of one row by key (null clears a value), or every problem found. */
export function readCustomCells(
  rowNo: number,
  cells: readonly string[],
  positions: ReadonlyMap<string, number>,
  columns: readonly CustomColumn[],
): { values: Record<string, string | number | null>; errors: ImportRowError[] } {
  const values: Record<string, string | number | null> = {};
  const errors: ImportRowError[] = [];
  for (const c of columns) {
    const at = positions.get(c.key);
    if (at === undefined) continue;
    const raw = unguard((cells[at] ?? '').trim());
    if (raw === '') {
      if (c.required) errors.push({ row: rowNo, column: c.header, value: raw, message: 'is required' });
      else values[c.key] = null;
      continue;
    }
    const checked = coerceValue(c, raw);
    if (checked.ok) values[c.key] = checked.value;
    else errors.push({ row: rowNo, column: c.header, value: raw, message: checked.message });
  }
  return { values, errors };
}

/** Required columns a new record lacks (the column is not in the sheet at all). */
export function missingRequired(
  rowNo: number,
  positions: ReadonlyMap<string, number>,
  columns: readonly CustomColumn[],
): ImportRowError[] {
  return columns
    .filter((c) => c.required && !positions.has(c.key))
    .map((c) => ({ row: rowNo, column: c.header, value: '', message: 'is required' }));
}

/** The stored JSON after applying a row's values to what was stored. */
export function mergeCustomValues(
  stored: string | null | undefined,
  values: Readonly<Record<string, string | number | null>>,
): string {
  const out: StoredValues = { ...customFieldsOf(stored) };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return JSON.stringify(out);
}
