import type { ImportRowError } from '@takt/contracts';
import { normaliseText } from '@takt/domain';
import type { RowReader, SheetColumn } from './sheet-spec.ts';

/**
 * The columns of a sheet: headers are "中文 English" and an import matches either half, in any order
 * (the item sheet too). The columns several entity sheets share have one definition here, with the
 * same header, width and check wherever they stand, and the reading and writing of their cells; a
 * sheet lists them among its own columns in the order of its file. Nothing here touches the database,
 * so the item sheet's worker thread can load it.
 */
export const headerOf = (c: SheetColumn): string => `${c.zh} ${c.en}`;

export const squash = (text: string): string =>
  normaliseText(text)
    .toLowerCase()
    .replace(/[\s_()（）/-]/g, '');

export type ColumnMap = Readonly<Record<string, number>>;

/** Which position holds which column, whatever the order and language of the headers. */
export function headerMatcher(columns: readonly SheetColumn[]) {
  const lookup = new Map<string, string>();
  for (const c of columns) {
    for (const name of [c.key, c.zh, c.en, `${c.zh}${c.en}`]) lookup.set(squash(name), c.key);
  }
  return (cells: readonly string[]): { map: ColumnMap; errors: ImportRowError[] } => {
    const map: Record<string, number> = {};
    const errors: ImportRowError[] = [];
    cells.forEach((cell, i) => {
      if (cell.trim() === '') return;
      const key = lookup.get(squash(cell));
      if (!key) errors.push({ row: 1, column: cell, value: cell, message: 'unknown column' });
      else if (map[key] !== undefined)
        errors.push({ row: 1, column: cell, value: cell, message: 'column appears twice' });
      else map[key] = i;
    });
    for (const c of columns) {
      if (c.required && map[c.key] === undefined)
        errors.push({ row: 1, column: headerOf(c), value: '', message: 'required column is missing' });
    }
    return { map, errors };
  };
}

// Shared columns

export const CODE_COLUMN: SheetColumn = { key: 'code', zh: '编码', en: 'Code', required: true, width: 16 };

export const nameColumn = (width: number): SheetColumn => ({
  key: 'name',
  zh: '名称',
  en: 'Name',
  required: true,
  width,
});

export const ADDRESS_COLUMN: SheetColumn = { key: 'address', zh: '地址', en: 'Address', width: 30 };
export const CALENDAR_COLUMN: SheetColumn = { key: 'calendar', zh: '日历', en: 'Calendar', width: 14 };
export const ACTIVE_COLUMN: SheetColumn = { key: 'active', zh: '启用', en: 'Active', width: 8 };

/** The words a yes/no cell may hold, squashed (either language, any case). */
export const YES_NO: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  是: true,
  启用: true,
  false: false,
  no: false,
  n: false,
  '0': false,
  否: false,
  停用: false,
};

/** The active flag as an export writes it. */
export const activeCell = (active: number): string => (active === 1 ? 'true' : 'false');

/** Sets a field only when the row has its column: a column missing from the file leaves it as it is. */
export function setGiven<Row, K extends keyof Row>(row: Partial<Row>, field: K, value: Row[K] | undefined) {
  if (value !== undefined) row[field] = value;
}

export function readActive(r: RowReader, row: { active?: number }): void {
  const active = r.bool('active');
  if (active !== undefined) row.active = active ? 1 : 0;
}

/** The required name column (at most 200 characters) into `row.name`. */
export function readName(r: RowReader, row: { name?: string }): string | undefined {
  const name = r.text('name', 200, true);
  if (name !== undefined) row.name = name;
  return name;
}
