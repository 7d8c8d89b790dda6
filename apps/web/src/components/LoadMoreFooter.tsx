import { DownOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CursorList } from '../hooks/useCursorList.ts';
import { useFormat } from '../i18n/format.ts';

/** Row count and a "load more" button under a cursor-paginated table. */
export function LoadMoreFooter({
  list,
}: {
  list: Pick<CursorList<unknown>, 'items' | 'nextCursor' | 'loadingMore' | 'loading' | 'loadMore'>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (list.items.length === 0) return null;
  const count = format.integer(list.items.length);
  return (
    <Flex justify="space-between" align="center" gap={12} wrap className="takt-load-more">
      <Typography.Text type="secondary">
        {list.nextCursor ? t('common.rowsLoaded', { n: count }) : t('common.allLoaded', { n: count })}
      </Typography.Text>
      {list.nextCursor ? (
        <Button
          icon={<DownOutlined />}
          loading={list.loadingMore}
          disabled={list.loading}
          onClick={list.loadMore}
        >
          {list.loadingMore ? t('common.loadingMore') : t('common.loadMore')}
        </Button>
      ) : null}
    </Flex>
  );
}
