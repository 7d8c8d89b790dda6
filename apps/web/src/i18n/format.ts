import { useTranslation } from 'react-i18next';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value as T;
}

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | number | Date | null | undefined, lang: string): string {
  if (value == null) return '—';
  const date = toDate(value);
  if (!date) return String(value);
  return memo(
    `dt:${lang}`,
    () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(date);
}

export function formatTime(value: string | number | Date | null | undefined, lang: string): string {
  if (value == null) return '—';
  const date = toDate(value);
  if (!date) return String(value);
  return memo(`t:${lang}`, () => new Intl.DateTimeFormat(lang, { timeStyle: 'medium' })).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "in 5 minutes", "3 小时前". */
export function formatRelative(
  value: string | number | Date | null | undefined,
  lang: string,
  now = Date.now(),
): string {
  if (value == null) return '—';
  const date = toDate(value);
  if (!date) return String(value);
  const seconds = Math.round((date.getTime() - now) / 1000);
  const rtf = memo(`rt:${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** A length of time in the largest sensible unit: "42 sec", "3 hr", "2 天". */
export function formatDuration(seconds: number, lang: string): string {
  const abs = Math.abs(seconds);
  const [unit, size] =
    abs >= 86400
      ? (['day', 86400] as const)
      : abs >= 3600
        ? (['hour', 3600] as const)
        : abs >= 60
          ? (['minute', 60] as const)
          : (['second', 1] as const);
  const value = seconds / size;
  return memo(
    `du:${lang}:${unit}`,
    () =>
      new Intl.NumberFormat(lang, {
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: abs >= 60 ? 1 : 0,
      }),
  ).format(value);
}

export function formatInteger(value: number, lang: string): string {
  return memo(`int:${lang}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 })).format(value);
}

/**
 * Formats an API decimal string ("1234.5") with digit grouping, keeping its exact digits:
 * the string is never turned into a float.
 */
export function formatDecimal(value: string | null | undefined, lang: string, minFractionDigits = 0): string {
  if (value == null || value === '') return '—';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign = '', intPart = '0', fraction = ''] = match;
  const parts = memo(`grp:${lang}`, () => new Intl.NumberFormat(lang, { useGrouping: true })).formatToParts(
    1234.5,
  );
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const digits = fraction.padEnd(minFractionDigits, '0');
  return `${sign}${grouped}${digits ? decimal + digits : ''}`;
}

/** Formatters bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  return {
    lang,
    dateTime: (value: string | number | Date | null | undefined) => formatDateTime(value, lang),
    time: (value: string | number | Date | null | undefined) => formatTime(value, lang),
    relative: (value: string | number | Date | null | undefined) => formatRelative(value, lang),
    duration: (seconds: number) => formatDuration(seconds, lang),
    integer: (value: number) => formatInteger(value, lang),
    decimal: (value: string | null | undefined, minFractionDigits?: number) =>
      formatDecimal(value, lang, minFractionDigits),
  };
}
