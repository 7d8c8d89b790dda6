import type { SalesOrderStatus } from '@takt/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const SO_STATUSES = [
  'draft',
  'confirmed',
  'in_production',
  'partially_shipped',
  'shipped',
  'closed',
  'cancelled',
] as const satisfies readonly SalesOrderStatus[];

const COLORS: Record<SalesOrderStatus, string> = {
  draft: 'default',
  confirmed: 'blue',
  in_production: 'processing',
  partially_shipped: 'gold',
  shipped: 'green',
  closed: 'default',
  cancelled: 'red',
};

export function isSoStatus(value: string | null | undefined): value is SalesOrderStatus {
  return (SO_STATUSES as readonly string[]).includes(value ?? '');
}

export function SoStatusTag({ status }: { status: SalesOrderStatus }) {
  const { t } = useTranslation('sales');
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

/** Statuses in which goods can still leave for the customer. */
export const SHIPPABLE: readonly SalesOrderStatus[] = ['confirmed', 'in_production', 'partially_shipped'];
/** Statuses in which make-to-order work orders can be made. */
export const MAKEABLE: readonly SalesOrderStatus[] = ['confirmed', 'in_production', 'partially_shipped'];
