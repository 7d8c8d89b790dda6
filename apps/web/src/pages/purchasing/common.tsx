import type { PoStatus } from '@takt/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const PO_STATUSES = [
  'draft',
  'approved',
  'sent',
  'partially_received',
  'received',
  'closed',
  'cancelled',
] as const satisfies readonly PoStatus[];

const COLORS: Record<string, string> = {
  draft: 'default',
  approved: 'blue',
  sent: 'geekblue',
  partially_received: 'gold',
  received: 'green',
  closed: 'default',
  cancelled: 'red',
  open: 'processing',
};

export function isPoStatus(value: string | null | undefined): value is PoStatus {
  return (PO_STATUSES as readonly string[]).includes(value ?? '');
}

export function PoStatusTag({ status }: { status: string }) {
  const { t } = useTranslation('purchasing');
  const known = isPoStatus(status) || status === 'open';
  return (
    <Tag color={COLORS[status] ?? 'default'} data-status={status}>
      {known ? t(`status.${status as PoStatus | 'open'}`) : status}
    </Tag>
  );
}
