import { Alert, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiFieldError } from '../api/client.ts';
import { en } from '../i18n/en.ts';
import { i18n } from '../i18n/index.ts';

type ProblemCode = keyof typeof en.problems;
const KNOWN_CODES = new Set<string>(Object.keys(en.problems));

function isKnownCode(code: string): code is ProblemCode {
  return KNOWN_CODES.has(code);
}

function speaksEnglish(): boolean {
  return (i18n.resolvedLanguage ?? 'en').startsWith('en');
}

/**
 * The sentence to show for a failed call. The server writes `detail` in English: English users get it
 * as is (it is the most specific), others get the text for the problem's stable `code` in their language.
 */
export function problemText(t: TFunction, error: ApiError): string {
  if (error.isNetworkError) return t('errors.network');
  const localized = isKnownCode(error.code) ? t(`problems.${error.code}`) : null;
  if (speaksEnglish()) return error.detail ?? localized ?? error.title;
  return localized ?? error.detail ?? error.title ?? t('errors.unexpected', { status: error.status });
}

const FIELD_CODES = new Set<string>(Object.keys(en.fieldProblems));

/** A server field error in the user's language: English as sent, others by the error's `code`. */
export function fieldErrorText(t: TFunction, fieldError: ApiFieldError, error?: ApiError): string {
  if (speaksEnglish() || !fieldError.code || !FIELD_CODES.has(fieldError.code)) return fieldError.message;
  // the code-rule problem carries the rule's example, which helps more than the rule itself
  const raw = (error?.problem as Record<string, unknown> | undefined)?.example;
  const example = typeof raw === 'string' ? raw : '';
  return t(`fieldProblems.${fieldError.code as keyof typeof en.fieldProblems}`, { example });
}

/** The server's own words, when `problemText` replaced them with a translation. */
export function problemServerDetail(error: ApiError): string | undefined {
  if (error.isNetworkError || speaksEnglish() || !isKnownCode(error.code)) return undefined;
  return error.detail;
}

/**
 * Error code and request id (copyable) for telling an administrator what failed. Shown for server
 * errors (5xx), or always with `always`.
 */
export function ProblemMeta({ error, always = false }: { error: ApiError; always?: boolean }) {
  const { t } = useTranslation();
  if (!error.requestId || (!always && error.status < 500)) return null;
  return (
    <Typography.Text type="secondary" className="takt-problem-meta">
      {error.code && !error.code.startsWith('HTTP_') ? (
        <span>
          {t('common.errorCode')}: <Typography.Text code>{error.code}</Typography.Text>
        </span>
      ) : null}
      <span>
        {t('common.requestId')}:{' '}
        <Typography.Text code copyable={{ text: error.requestId }}>
          {error.requestId}
        </Typography.Text>
      </span>
    </Typography.Text>
  );
}

/** The server's detail (when translated away) and the request id, as an alert description. */
export function ProblemDescription({ error, children }: { error: ApiError; children?: ReactNode }) {
  const serverDetail = problemServerDetail(error);
  const meta = error.requestId && error.status >= 500;
  if (!serverDetail && !meta && !children) return null;
  return (
    <div className="takt-problem-description">
      {children}
      {serverDetail ? (
        <Typography.Text type="secondary" className="takt-small takt-server-detail">
          {serverDetail}
        </Typography.Text>
      ) : null}
      <ProblemMeta error={error} />
    </div>
  );
}

/** An inline error for a failed call, e.g. a list that could not be loaded. */
export function ProblemAlert({
  error,
  title,
  action,
  className,
}: {
  error: ApiError;
  title?: string;
  action?: ReactNode;
  className?: string;
}) {
  const { t } = useTranslation();
  const text = problemText(t, error);
  return (
    <Alert
      type="error"
      showIcon
      className={className}
      title={title ?? text}
      description={<ProblemDescription error={error}>{title ? <div>{text}</div> : null}</ProblemDescription>}
      action={action}
    />
  );
}
