import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

const formats = new Map<string, Intl.NumberFormat>();
function nf(lang: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${lang}:${key}`;
  let f = formats.get(k);
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    formats.set(k, f);
  }
  return f;
}

/** Number formats of the reports in the current language; null shows as a dash. */
export function useNumbers() {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => numbersIn(lang), [lang]);
}

function numbersIn(lang: string) {
  const dash = (v: number | null | undefined, f: (n: number) => string) => (v == null ? '—' : f(v));
  return {
    int: (v: number | null | undefined) =>
      dash(v, (n) => nf(lang, 'int', { maximumFractionDigits: 0 }).format(n)),
    qty: (v: number | null | undefined) =>
      dash(v, (n) => nf(lang, 'qty', { maximumFractionDigits: 3 }).format(n)),
    money: (v: number | null | undefined) =>
      dash(v, (n) => nf(lang, 'money', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)),
    /** Short form for the cards: 5.79 亿, 5.79B. */
    compact: (v: number | null | undefined) =>
      dash(v, (n) => nf(lang, 'compact', { notation: 'compact', maximumFractionDigits: 2 }).format(n)),
    pct: (v: number | null | undefined) =>
      dash(v, (n) => `${nf(lang, 'pct', { maximumFractionDigits: 1 }).format(n)} %`),
    hours: (minutes: number | null | undefined) =>
      dash(minutes, (n) => nf(lang, 'hours', { maximumFractionDigits: 1 }).format(n / 60)),
  };
}
export type Numbers = ReturnType<typeof numbersIn>;
