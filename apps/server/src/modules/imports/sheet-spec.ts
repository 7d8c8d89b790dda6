import type { ImportRowError } from '@takt/contracts';
import { DEFAULT_CODE_RULE, normaliseCode, normaliseText, parseMoney, parseQty } from '@takt/domain';
import { applyRule, type LoadedRule } from '../masterdata/code-rule.service.ts';
import { unguard } from './csv.ts';
import { type ColumnMap, headerOf, squash, YES_NO } from './sheet-columns.ts';

/** One column of an entity sheet; the header is "中文 English" and either half is accepted on import. */
export interface SheetColumn {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly required?: boolean;
  readonly width?: number;
}

/** A code as stored for lookups (the same normalisation every code gets). */
export const codeKey = (text: string): string =>
  normaliseText(text, { upperCase: true, whitespace: 'remove' });

/**
 * Reads the cells of one row by column key; every check that fails is kept as an error naming the
 * row and column, so one pass over a row reports all of its problems. A column that is not in the
 * file reads as undefined (an upsert leaves that field as it is).
 */
export function rowReader(
  rowNo: number,
  cells: readonly string[],
  map: ColumnMap,
  columns: readonly SheetColumn[],
) {
  const errors: ImportRowError[] = [];
  const header = (key: string) => {
    const c = columns.find((x) => x.key === key);
    return c ? headerOf(c) : key;
  };
  const fail = (key: string, value: string, message: string) => {
    errors.push({ row: rowNo, column: header(key), value, message });
  };
  const cell = (key: string): string | undefined => {
    const at = map[key];
    return at === undefined ? undefined : unguard((cells[at] ?? '').trim());
  };
  const present = (key: string) => {
    const v = cell(key);
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    rowNo,
    cells,
    map,
    errors,
    fail,
    cell,
    /** Whether any of the given columns has a value in this row. */
    any: (keys: readonly string[]) => keys.some((k) => present(k) !== undefined),
    text(key: string, max: number, required = false): string | undefined {
      const v = cell(key);
      if (v === undefined) return undefined;
      if (v === '' && required) return void fail(key, v, 'is required');
      if ([...v].length > max) return void fail(key, v, `is longer than ${max} characters`);
      return v;
    },
    /** A code under the entity's code rule (or the default rule when it has none of its own). */
    code(key: string, rule: LoadedRule | null): string | undefined {
      const v = cell(key) ?? '';
      if (v === '') return void fail(key, v, 'is required');
      if (rule) {
        try {
          return applyRule(rule, v);
        } catch (err) {
          return void fail(key, v, (err as Error).message);
        }
      }
      const result = normaliseCode(v, DEFAULT_CODE_RULE);
      if (!result.ok) return void fail(key, v, result.message);
      return result.value;
    },
    /** A code without an administrator rule: trimmed, upper-case, at most `max` characters. */
    plainCode(key: string, max = 40): string | undefined {
      const v = cell(key) ?? '';
      if (v === '') return void fail(key, v, 'is required');
      const code = normaliseText(v, { upperCase: true });
      if ([...code].length > max) return void fail(key, v, `is longer than ${max} characters`);
      return code;
    },
    choice<T>(key: string, table: Readonly<Record<string, T>>, what: string): T | undefined {
      const v = present(key);
      if (v === undefined) return undefined;
      const hit = table[squash(v)] ?? table[v];
      if (hit === undefined) fail(key, v, `is not a known ${what}`);
      return hit;
    },
    decimal(key: string, kind: 'qty' | 'money'): number | undefined {
      const v = present(key);
      if (v === undefined) return undefined;
      const plain = normaliseText(v).replaceAll(',', '');
      const parsed = kind === 'money' ? parseMoney(plain) : parseQty(plain);
      if (!parsed.ok) return void fail(key, v, parsed.message);
      if (parsed.value < 0) return void fail(key, v, 'must not be negative');
      return parsed.value;
    },
    int(key: string, min: number, max: number): number | undefined {
      const v = present(key);
      if (v === undefined) return undefined;
      const n = Number(normaliseText(v));
      if (!Number.isInteger(n) || n < min || n > max)
        return void fail(key, v, `must be a whole number, ${min}–${max}`);
      return n;
    },
    /** A calendar date as YYYY-MM-DD; also YYYY/MM/DD and Excel date serials. */
    date(key: string): string | null | undefined {
      const v = cell(key);
      if (v === undefined) return undefined;
      if (v === '') return null;
      const plain = normaliseText(v).replaceAll('/', '-');
      let iso: string | null = null;
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(plain);
      if (m) iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
      else if (/^\d{5}$/.test(plain))
        iso = new Date((Number(plain) - 25569) * 86_400_000).toISOString().slice(0, 10);
      if (!iso || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString().slice(0, 10) !== iso)
        return void fail(key, v, 'is not a date (YYYY-MM-DD)');
      return iso;
    },
    bool(key: string): boolean | undefined {
      const v = present(key);
      if (v === undefined) return undefined;
      const hit = YES_NO[squash(v)];
      if (hit === undefined) fail(key, v, 'is not a yes/no value (true/false, 是/否)');
      return hit;
    },
    /** The id of the record a code refers to; an unknown code is an error on this row and column. */
    ref(key: string, ids: ReadonlyMap<string, string>, what: string): string | undefined {
      const v = present(key);
      if (v === undefined) return undefined;
      const id = ids.get(codeKey(v));
      if (!id) fail(key, v, `is not the code of an existing ${what}`);
      return id;
    },
  };
}

export type RowReader = ReturnType<typeof rowReader>;
