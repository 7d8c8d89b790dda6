/** Custom-field values as stored and checked: pure, shared by services, sheets and import threads. */
export type StoredValues = Record<string, string | number>;

const TEXT_MAX = 500;

/** The stored values of a record (a row read without the column has none). */
export function customFieldsOf(json: string | null | undefined): StoredValues {
  if (!json) return {};
  const parsed = JSON.parse(json) as unknown;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as StoredValues) : {};
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** One value made canonical for its kind, or why it cannot be. */
export function coerceValue(
  def: { kind: string; options: readonly string[] },
  value: string | number,
): { ok: true; value: string | number } | { ok: false; code: string; message: string } {
  switch (def.kind) {
    case 'number': {
      const n =
        typeof value === 'number' ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, code: 'type', message: 'must be a number' };
    }
    case 'date':
      return typeof value === 'string' && isDate(value.trim())
        ? { ok: true, value: value.trim() }
        : { ok: false, code: 'type', message: 'must be a date YYYY-MM-DD' };
    case 'choice': {
      const text = typeof value === 'string' ? value.trim() : String(value);
      return def.options.includes(text)
        ? { ok: true, value: text }
        : { ok: false, code: 'choice', message: `must be one of: ${def.options.join(', ')}` };
    }
    default: {
      if (typeof value !== 'string') return { ok: false, code: 'type', message: 'must be text' };
      const text = value.trim();
      return text.length > TEXT_MAX
        ? { ok: false, code: 'type', message: `must be at most ${TEXT_MAX} characters` }
        : { ok: true, value: text };
    }
  }
}
