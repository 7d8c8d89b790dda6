import { AppError } from './errors.ts';

/**
 * API edge conversion of exact decimals: quantities ×1000 and money in cents cross the API as strings.
 * A value with too many decimals is refused, never rounded.
 */
function parseScaled(field: string, text: string, scale: number): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const digits = Math.log10(scale);
  if (!m || (m[3] ?? '').length > digits) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a decimal with at most ${digits} places`, {
      fieldErrors: [{ field, message: `must be a decimal with at most ${digits} places` }],
    });
  }
  const value = Number(m[2]) * scale + Number((m[3] ?? '').padEnd(digits, '0') || 0);
  if (!Number.isSafeInteger(value)) {
    throw new AppError('VALIDATION_FAILED', `${field} is too large`, { fieldErrors: [{ field, message: 'is too large' }] });
  }
  return m[1] === '-' ? -value : value;
}

function formatScaled(value: number, scale: number): string {
  const digits = Math.log10(scale);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const int = Math.floor(abs / scale);
  const frac = String(abs % scale).padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${sign}${int}.${frac}` : `${sign}${int}`;
}

export const parseQtyField = (field: string, text: string) => parseScaled(field, text, 1000);
export const formatQty = (value: number) => formatScaled(value, 1000);
export const parseMoneyField = (field: string, text: string) => parseScaled(field, text, 100);
export const formatMoney = (value: number) => formatScaled(value, 100);
