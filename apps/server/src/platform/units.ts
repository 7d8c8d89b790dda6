import {
  type Cents,
  type Qty,
  type Result,
  formatMoney as fmtMoney,
  formatQty as fmtQty,
  parseMoney,
  parseQty,
} from '@takt/domain';
import { AppError } from './errors.ts';

/**
 * API edge of exact decimals: quantities (×1000) and money (cents) cross the API as strings and are
 * parsed by the domain rules; a value with too many decimals is refused, never rounded.
 */
function orFieldError<T>(field: string, result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError('VALIDATION_FAILED', `${field}: ${result.message}`, {
    fieldErrors: [{ field, message: result.message, code: result.code }],
  });
}

export const parseQtyField = (field: string, text: string): number => orFieldError(field, parseQty(text));
export const parseMoneyField = (field: string, text: string): number => orFieldError(field, parseMoney(text));
export const formatQty = (value: number): string => fmtQty(value as Qty);
export const formatMoney = (value: number): string => fmtMoney(value as Cents);
