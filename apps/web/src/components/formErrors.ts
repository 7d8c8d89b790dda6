import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import type { ApiError } from '../api/client.ts';
import { fieldErrorText } from './ProblemAlert.tsx';

/**
 * Puts the server's field errors on the form fields they name (`/lines/0/qtyPer` → `['lines', 0, 'qtyPer']`)
 * and returns the texts of errors that belong to no field on the form, to show in the alert.
 * `rename` maps a server field to the form's (e.g. `scrapBp` → `scrapPct`).
 */
export function applyFieldErrors(
  t: TFunction,
  form: FormInstance,
  apiError: ApiError,
  isField: (name: string) => boolean,
  rename: Record<string, string> = {},
): string[] {
  const rest: string[] = [];
  const byKey = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const fe of apiError.fieldErrors) {
    const raw = fe.path[0] === 'body' ? fe.path.slice(1) : fe.path;
    const path = raw.map((p) => (typeof p === 'string' ? (rename[p] ?? p) : p));
    const text = fieldErrorText(t, fe, apiError);
    const head = path[0];
    if (typeof head === 'string' && isField(head)) {
      const key = JSON.stringify(path);
      const entry = byKey.get(key) ?? { name: path, errors: [] };
      entry.errors.push(text);
      byKey.set(key, entry);
      // nested rows may be scrolled away or collapsed: say it in the alert too
      if (path.length > 1) rest.push(`${fe.field}: ${text}`);
    } else {
      rest.push(fe.field && fe.field !== '/' ? `${fe.field}: ${text}` : text);
    }
  }
  const fields = [...byKey.values()];
  if (fields.length) {
    form.setFields(fields);
    form.scrollToField(fields[0]!.name);
  }
  return rest;
}
