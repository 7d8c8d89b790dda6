import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const BODY_STYLE = {
  margin: 0,
  padding: 8,
  maxHeight: 320,
  overflow: 'auto',
  background: 'rgba(0, 0, 0, 0.03)',
  borderRadius: 6,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-all',
} as const;

const SEVERITY_COLOR: Record<string, string> = { info: 'blue', warning: 'orange', critical: 'red' };

export function SeverityTag({ severity }: { severity: string }) {
  const { t } = useTranslation('integration');
  const known = severity === 'info' || severity === 'warning' || severity === 'critical';
  return (
    <Tag color={SEVERITY_COLOR[severity] ?? 'default'}>{known ? t(`severity.${severity}`) : severity}</Tag>
  );
}

/** An HTTP status as a coloured tag: green 2xx, blue 3xx, orange 4xx, red 5xx. */
export function HttpStatusTag({ status }: { status: number | null }) {
  if (status === null) return <span>—</span>;
  const color = status >= 500 ? 'red' : status >= 400 ? 'orange' : status >= 300 ? 'blue' : 'green';
  return <Tag color={color}>{status}</Tag>;
}

/** A JSON (or plain text) body, pretty-printed when it parses, in a scrollable block. */
export function BodyBlock({ body, empty }: { body: unknown; empty: string }) {
  if (body === null || body === undefined || body === '')
    return <Typography.Text type="secondary">{empty}</Typography.Text>;
  let text: string;
  if (typeof body === 'string') {
    try {
      text = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      text = body;
    }
  } else {
    text = JSON.stringify(body, null, 2);
  }
  return (
    <pre className="takt-mono takt-small" style={BODY_STYLE}>
      {text}
    </pre>
  );
}
