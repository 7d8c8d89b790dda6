import type { ApiError } from '../api/client.ts';
import { refusalCode } from './api.ts';
import { hasTerminalKey, type TerminalKey, type TerminalT } from './i18n.ts';

/** A refusal or failure in the operator's words: the 409 `reason` (MACHINE_DOWN …) translated. */
export function problemMessage(t: TerminalT, error: ApiError): string {
  if (error.isNetworkError) return t('problems.NETWORK');
  const code = refusalCode(error);
  if (hasTerminalKey(`problems.${code}`)) return t(`problems.${code}` as TerminalKey);
  if (error.status === 403) return t('problems.FORBIDDEN');
  if (error.status === 404) return t('problems.NOT_FOUND');
  return t('problems.UNKNOWN', { code });
}

/** The same for a stored error (queued reports keep status, code and detail). */
export function storedProblemMessage(
  t: TerminalT,
  e: { status: number; code: string; detail: string },
): string {
  if (e.status === 0) return t('problems.NETWORK');
  if (hasTerminalKey(`problems.${e.code}`)) return t(`problems.${e.code}` as TerminalKey);
  return t('problems.UNKNOWN', { code: e.code });
}

/** An operation status in the operator's words (the raw status when it is new to the terminal). */
export function statusLabel(t: TerminalT, status: string): string {
  return hasTerminalKey(`status.${status}`) ? t(`status.${status}` as TerminalKey) : status;
}
