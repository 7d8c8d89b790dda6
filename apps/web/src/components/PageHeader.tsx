import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { usePageTitle } from '../hooks/usePageTitle.ts';

/** The title row of a page; also sets the browser tab title. */
export function PageHeader({
  title,
  subtitle,
  extra,
}: {
  title: string;
  subtitle?: ReactNode;
  extra?: ReactNode;
}) {
  usePageTitle(title);
  return (
    <Flex className="takt-page-header" justify="space-between" align="flex-start" gap={16} wrap>
      <div className="takt-page-header-text">
        <Typography.Title level={3} className="takt-page-title">
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      </div>
      {extra ? (
        <Flex gap={8} wrap align="center">
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}
