import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { SalesOrderSummary } from '@takt/contracts';
import {
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Select,
  Table,
  type TableColumnsType,
  type TableProps,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { customersApi } from '../../api/masterdata.ts';
import { listSalesOrders, type SalesOrderQuery, salesOrdersExportUrl } from '../../api/sales.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { ExportMenu } from '../../components/ExportMenu.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useUrlText } from '../../components/UrlFilters.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { isSoStatus, SO_STATUSES, SoStatusTag } from './common.tsx';
import { SalesOrderDrawer } from './SalesOrderDrawer.tsx';

const PAGE_SIZE = 100;
const SORT_FIELDS = ['code', 'dueDate', 'priority', 'createdAt'] as const;
const SORTS: readonly string[] = SORT_FIELDS.flatMap((f) => [f, `-${f}`]);
const DEFAULT_SORT = '-priority';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Sales orders: filters and sort in the URL, cursor pages in a virtual table, live refresh. */
export function SalesOrdersPage() {
  const { t } = useTranslation('sales');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [params, update] = useUrlState();

  const q = params.get('q') ?? '';
  const statusParam = params.get('status');
  const status = isSoStatus(statusParam) ? statusParam : undefined;
  const customerId = params.get('customerId') ?? undefined;
  const dueFrom = DAY.test(params.get('dueFrom') ?? '') ? (params.get('dueFrom') as string) : undefined;
  const dueTo = DAY.test(params.get('dueTo') ?? '') ? (params.get('dueTo') as string) : undefined;
  const sortParam = params.get('sort') ?? '';
  const sort = SORTS.includes(sortParam) ? sortParam : DEFAULT_SORT;

  const [search, setSearch] = useUrlText('q', 350);

  const query: SalesOrderQuery = {
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(customerId ? { customerId } : {}),
    ...(dueFrom ? { dueFrom } : {}),
    ...(dueTo ? { dueTo } : {}),
    sort,
  };
  const list = useCursorList<SalesOrderSummary>(
    (cursor, limit, signal) => listSalesOrders({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    PAGE_SIZE,
  );
  const { reload } = list;
  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(['salesorder', 'shipment'], () => liveReload(), { onResync: reload });

  const [creating, setCreating] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const order = (field: string): SortOrder =>
    sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null;
  const sortable = (field: (typeof SORT_FIELDS)[number]) => ({
    sorter: true,
    sortOrder: order(field),
    sortDirections: ['ascend', 'descend', 'ascend'] as SortOrder[],
  });

  const columns: TableColumnsType<SalesOrderSummary> = [
    {
      key: 'code',
      title: t('columns.code'),
      width: 160,
      fixed: 'left',
      ...sortable('code'),
      render: (_, so) => (
        <Link className="takt-mono" to={`/sales/orders/${so.id}`}>
          {so.code}
        </Link>
      ),
    },
    {
      key: 'customer',
      title: t('columns.customer'),
      width: 260,
      render: (_, so) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text ellipsis={{ tooltip: so.customerName }}>{so.customerName}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small takt-mono">
            {so.customerCode}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'ref', dataIndex: 'externalRef', title: t('columns.externalRef'), width: 130, ellipsis: true },
    {
      key: 'status',
      title: t('columns.status'),
      width: 120,
      render: (_, so) => <SoStatusTag status={so.status} />,
    },
    {
      key: 'dueDate',
      title: t('columns.dueDate'),
      width: 120,
      ...sortable('dueDate'),
      render: (_, so) => <span className="takt-nowrap">{so.dueDate}</span>,
    },
    {
      key: 'priority',
      title: t('columns.priority'),
      width: 100,
      align: 'right',
      ...sortable('priority'),
      render: (_, so) => <span className="takt-num">{so.priority.score.toFixed(1)}</span>,
    },
    {
      key: 'value',
      title: t('columns.value'),
      width: 140,
      align: 'right',
      render: (_, so) => (
        <span className="takt-num">
          {format.decimal(so.orderValue, 2)} <Typography.Text type="secondary">{so.currency}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'createdAt',
      title: t('columns.createdAt'),
      width: 170,
      ...sortable('createdAt'),
      render: (_, so) => <span className="takt-nowrap">{format.dateTime(so.createdAt)}</span>,
    },
  ];

  const onTableChange: TableProps<SalesOrderSummary>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = String(s?.columnKey ?? '');
    if (!s?.order || !(SORT_FIELDS as readonly string[]).includes(field)) {
      update({ sort: undefined });
      return;
    }
    const next = s.order === 'descend' ? `-${field}` : field;
    update({ sort: next === DEFAULT_SORT ? undefined : next });
  };

  const filtered = Boolean(q || status || customerId || dueFrom || dueTo);
  return (
    <div className="takt-page">
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {tc('common.refresh')}
            </Button>
            {can('sales:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('list.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center" className="takt-toolbar">
            <Input.Search
              allowClear
              className="takt-search"
              placeholder={t('list.searchPlaceholder')}
              aria-label={t('list.searchPlaceholder')}
              value={search}
              maxLength={100}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => {
                setSearch(v);
                update({ q: v.trim() || undefined });
              }}
            />
            <Select
              allowClear
              className="takt-type-filter"
              placeholder={t('list.allStatuses')}
              aria-label={t('columns.status')}
              value={status}
              onChange={(v?: string) => update({ status: v })}
              options={SO_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
            <RefSelect
              api={customersApi}
              allowClear
              className="takt-type-filter"
              placeholder={t('list.anyCustomer')}
              aria-label={t('columns.customer')}
              value={customerId ?? null}
              onChange={(v) => update({ customerId: typeof v === 'string' ? v : undefined })}
            />
            <Flex gap={4} align="center">
              <Input
                type="date"
                style={{ width: 150 }}
                aria-label={t('list.dueFrom')}
                title={t('list.dueFrom')}
                value={dueFrom ?? ''}
                onChange={(e) => update({ dueFrom: e.target.value || undefined })}
              />
              <span>–</span>
              <Input
                type="date"
                style={{ width: 150 }}
                aria-label={t('list.dueTo')}
                title={t('list.dueTo')}
                value={dueTo ?? ''}
                onChange={(e) => update({ dueTo: e.target.value || undefined })}
              />
            </Flex>
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setSearch('');
                  update({
                    q: undefined,
                    status: undefined,
                    customerId: undefined,
                    dueFrom: undefined,
                    dueTo: undefined,
                  });
                }}
              >
                {tc('common.reset')}
              </Button>
            ) : null}
            <ExportMenu url={(f) => salesOrdersExportUrl(query, f)} />
          </Flex>
          {list.error ? (
            <ProblemAlert
              error={list.error}
              title={tc('errors.loadFailed')}
              action={<Button onClick={reload}>{tc('common.retry')}</Button>}
            />
          ) : null}
          <div ref={wrap}>
            <Table<SalesOrderSummary>
              virtual
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 1200, y: height }}
              onChange={onTableChange}
              onScroll={onScroll}
              showSorterTooltip={false}
              locale={{
                emptyText: list.loading ? (
                  <div className="takt-table-empty" />
                ) : (
                  <Empty
                    className="takt-table-empty"
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={filtered ? t('list.empty') : t('list.emptyAll')}
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <SalesOrderDrawer
        open={creating}
        order={null}
        onClose={() => setCreating(false)}
        onSaved={(so) => {
          setCreating(false);
          navigate(`/sales/orders/${so.id}`);
        }}
      />
    </div>
  );
}

export default SalesOrdersPage;
