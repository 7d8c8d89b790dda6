import type { TFunction } from 'i18next';

/** Up to 3 decimal places, as the API takes quantities. */
export const QTY_PATTERN = /^\d{1,12}(\.\d{1,3})?$/;

export function qtyRules(t: TFunction, { required = true, positive = true } = {}) {
  return [
    ...(required ? [{ required: true, message: t('production.form.required') }] : []),
    {
      validator: async (_: unknown, value: unknown) => {
        const v = typeof value === 'string' ? value.trim() : '';
        if (v === '') return;
        if (!QTY_PATTERN.test(v)) throw new Error(t('production.form.qtyFormat'));
        if (positive && Number(v) <= 0) throw new Error(t('production.form.qtyPositive'));
      },
    },
  ];
}

/** `" 12.50 "` → `"12.50"`; blank → undefined. */
export function qtyOrUndefined(value: string | undefined | null): string | undefined {
  const v = (value ?? '').trim();
  return v === '' ? undefined : v;
}
