import { AppError } from '../errors.ts';

/**
 * Keyset pagination: the cursor carries the last row's sort value and id, so page N costs the same as
 * page 1 on any table size. Cursors are opaque to clients (base64url JSON).
 */
export interface CursorValue {
  readonly s: string;
  readonly v: string | number | null;
  readonly id: string;
}

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, sort: string): CursorValue | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.id !== 'string' || parsed.s !== sort) {
      throw new Error('shape');
    }
    return parsed;
  } catch {
    throw new AppError('BAD_CURSOR', 'The cursor is not valid for this list and sort order', {
      fieldErrors: [
        { field: '/querystring/cursor', message: 'is not a cursor from this list with this sort' },
      ],
    });
  }
}

export interface SortSpec<C extends string> {
  readonly column: C;
  readonly desc: boolean;
  readonly key: string;
}

/** `-name` → { column: mapped('name'), desc: true }. */
export function parseSort<C extends string>(
  sort: string | undefined,
  columns: Record<string, C>,
  fallback: string,
): SortSpec<C> {
  const key = sort ?? fallback;
  const desc = key.startsWith('-');
  const name = desc ? key.slice(1) : key;
  const column = columns[name];
  if (!column) throw new AppError('VALIDATION_FAILED', `Unknown sort ${key}`);
  return { column, desc, key };
}

/** Takes `limit + 1` rows, returns `limit` of them and the cursor for the next page. */
export function pageOf<R extends { id: string }>(
  rows: R[],
  limit: number,
  sort: { key: string },
  sortValue: (row: R) => string | number | null,
): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]!;
  return { rows: page, nextCursor: encodeCursor({ s: sort.key, v: sortValue(last), id: last.id }) };
}
