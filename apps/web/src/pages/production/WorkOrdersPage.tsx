import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { WorkOrderListQuery, WorkOrderSummary } from '@takt/contracts';
import {
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { itemsApi } from '../../api/masterdata.ts';
import { listWorkOrders, workOrdersExportUrl } from '../../api/production.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { ExportMenu } from '../../components/ExportMenu.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { CustomFieldFilter, customFilterOf } from '../../components/customFields/CustomFieldFilter.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useUrlText } from '../../components/UrlFilters.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { WO_STATUSES, WoStatusTag } from './common.tsx';
import { WorkOrderCreateDrawer } from './WorkOrderCreateDrawer.tsx';
import './filters.css';

const PAGE_SIZE = 100;

/** Work orders, newest first: filters in the URL, cursor pages in a virtual table, live refresh. */
export function WorkOrdersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { can } = useAuth();
  const canCreate = can('production:create');
  const [params, update] = useUrlState();

  const q = params.get('q') ?? '';
  const statusParam = params.get('status') ?? undefined;
  const status = WO_STATUSES.find((s) => s === statusParam);
  const itemId = params.get('itemId') ?? undefined;
  const custom = customFilterOf(params);
  // The archive: orders closed long ago, moved out of the working tables; read-only, searchable, exportable.
  const archived = params.get('archived') === '1';

  const [search, setSearch] = useUrlText('q', 350);

  const query: WorkOrderListQuery = {
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(itemId ? { itemId } : {}),
    ...custom,
  };
  const listQuery: WorkOrderListQuery = archived ? { ...query, archived: true } : query;
  const list = useCursorList<WorkOrderSummary>(
    (cursor, limit, signal) => listWorkOrders({ ...listQuery, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(listQuery),
    PAGE_SIZE,
  );
  const { reload } = list;
  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(['workorder'], () => liveReload(), { onResync: reload });

  const [creating, setCreating] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const columns: TableColumnsType<WorkOrderSummary> = [
    {
      key: 'code',
      title: t('production.columns.code'),
      width: 160,
      fixed: 'left',
      render: (_, wo) => (
        <Link className="takt-mono" to={`/production/work-orders/${wo.id}`}>
          {wo.code}
        </Link>
      ),
    },
    {
      key: 'item',
      title: t('production.columns.item'),
      width: 240,
      render: (_, wo) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text className="takt-mono">{wo.itemCode}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small" ellipsis={{ tooltip: wo.itemName }}>
            {wo.itemName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('production.columns.status'),
      width: 120,
      render: (_, wo) => <WoStatusTag status={wo.status} />,
    },
    {
      key: 'qty',
      title: t('production.columns.qty'),
      width: 100,
      align: 'right',
      render: (_, wo) => <span className="takt-num">{format.decimal(wo.qty)}</span>,
    },
    {
      key: 'good',
      title: t('production.columns.good'),
      width: 100,
      align: 'right',
      render: (_, wo) => <span className="takt-num">{format.decimal(wo.qtyGood)}</span>,
    },
    {
      key: 'scrap',
      title: t('production.columns.scrap'),
      width: 90,
      align: 'right',
      render: (_, wo) => <span className="takt-num">{format.decimal(wo.qtyScrap)}</span>,
    },
    {
      key: 'due',
      title: t('production.columns.dueDate'),
      width: 120,
      render: (_, wo) => <span className="takt-nowrap">{wo.dueDate ?? '—'}</span>,
    },
    {
      key: 'priority',
      dataIndex: 'priority',
      title: t('production.columns.priority'),
      width: 80,
      align: 'right',
    },
    {
      key: 'level',
      title: t('production.columns.level'),
      width: 110,
      render: (_, wo) =>
        wo.parentId ? (
          <Link to={`/production/work-orders/${wo.parentId}`}>{t('production.childOrder')}</Link>
        ) : (
          <Typography.Text type="secondary">{t('production.topOrder')}</Typography.Text>
        ),
    },
    {
      key: 'updatedAt',
      title: t('production.columns.updatedAt'),
      width: 170,
      render: (_, wo) => <span className="takt-nowrap">{format.dateTime(wo.updatedAt)}</span>,
    },
  ];

  const filtered = Boolean(q || status || itemId || custom.customField);
  return (
    <div className="takt-page">
      <PageHeader
        title={t('production.list.title')}
        subtitle={t('production.list.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
            {canCreate ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('production.list.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center" className="takt-toolbar">
            <Segmented<'current' | 'archived'>
              aria-label={t('production.list.scope')}
              value={archived ? 'archived' : 'current'}
              onChange={(v) => update({ archived: v === 'archived' ? '1' : undefined })}
              options={[
                { value: 'current', label: t('production.list.current') },
                { value: 'archived', label: t('production.list.archived') },
              ]}
            />
            <Input.Search
              allowClear
              className="takt-search"
              placeholder={t('production.list.searchPlaceholder')}
              aria-label={t('production.list.searchPlaceholder')}
              value={search}
              maxLength={60}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => {
                setSearch(v);
                update({ q: v.trim() || undefined });
              }}
            />
            <Select
              allowClear
              className="takt-type-filter"
              placeholder={t('production.list.allStatuses')}
              aria-label={t('production.columns.status')}
              value={status}
              onChange={(v?: string) => update({ status: v })}
              options={WO_STATUSES.map((s) => ({ value: s, label: t(`production.status.${s}`) }))}
            />
            <RefSelect
              api={itemsApi}
              allowClear
              className="takt-wo-item-filter"
              placeholder={t('production.list.anyItem')}
              aria-label={t('production.columns.item')}
              value={itemId ?? null}
              onChange={(v) => update({ itemId: typeof v === 'string' ? v : undefined })}
            />
            <CustomFieldFilter
              entity="work_orders"
              value={custom}
              onChange={(next) => update({ customField: next.customField, customValue: next.customValue })}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setSearch('');
                  update({
                    q: undefined,
                    status: undefined,
                    itemId: undefined,
                    customField: undefined,
                    customValue: undefined,
                  });
                }}
              >
                {t('common.reset')}
              </Button>
            ) : null}
            <ExportMenu url={(f) => workOrdersExportUrl(listQuery, f)} />
          </Flex>
          {archived ? (
            <Typography.Text type="secondary" data-testid="archive-note">
              {t('production.list.archivedNote')}
            </Typography.Text>
          ) : null}
          {list.error ? (
            <ProblemAlert
              error={list.error}
              title={t('errors.loadFailed')}
              action={<Button onClick={reload}>{t('common.retry')}</Button>}
            />
          ) : null}
          <div ref={wrap}>
            <Table<WorkOrderSummary>
              virtual
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 1290, y: height }}
              onScroll={onScroll}
              locale={{
                emptyText: list.loading ? (
                  <div className="takt-table-empty" />
                ) : (
                  <Empty
                    className="takt-table-empty"
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={
                      filtered
                        ? t('production.list.empty')
                        : archived
                          ? t('production.list.archivedEmpty')
                          : t('production.list.emptyAll')
                    }
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <WorkOrderCreateDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(wo) => {
          setCreating(false);
          reload();
          navigate(`/production/work-orders/${wo.id}`);
        }}
      />
    </div>
  );
}

export default WorkOrdersPage;
