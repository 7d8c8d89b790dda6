import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { LateLine, PurchaseOrder, PurchaseOrderListQuery } from '@takt/contracts';
import { Button, Card, Empty, Flex, Select, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { suppliersApi } from '../../api/masterdata.ts';
import { listLateLines, listPurchaseOrders, purchaseOrdersExportUrl } from '../../api/purchasing.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { ExportMenu } from '../../components/ExportMenu.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { isPoStatus, PO_STATUSES, PoStatusTag } from './common.tsx';
import { PurchaseOrderCreateDrawer } from './PurchaseOrderCreateDrawer.tsx';

const PAGE_SIZE = 100;

/** Purchase orders (newest first) and the late list: filters in the URL, cursor pages, live refresh. */
export function PurchaseOrdersPage() {
  const { t } = useTranslation('purchasing');
  const navigate = useNavigate();
  const { can } = useAuth();
  const [params, update] = useUrlState();
  const tab = params.get('tab') === 'late' ? 'late' : 'orders';
  const supplierId = params.get('supplierId') ?? undefined;
  const [creating, setCreating] = useState(false);

  return (
    <div className="takt-page">
      <PageHeader
        title={t('list.title')}
        subtitle={t('list.subtitle')}
        extra={
          <>
            <LiveNote />
            {can('purchasing:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('list.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex gap={12} wrap align="center" className="takt-toolbar" style={{ marginBottom: 8 }}>
          <RefSelect
            api={suppliersApi}
            allowClear
            className="takt-type-filter"
            placeholder={t('list.anySupplier')}
            aria-label={t('columns.supplier')}
            value={supplierId ?? null}
            onChange={(v) => update({ supplierId: typeof v === 'string' ? v : undefined })}
          />
        </Flex>
        <Tabs
          activeKey={tab}
          onChange={(k) => update({ tab: k === 'late' ? 'late' : undefined })}
          items={[
            { key: 'orders', label: t('list.tabOrders'), children: <OrdersTab supplierId={supplierId} /> },
            { key: 'late', label: t('list.tabLate'), children: <LateTab supplierId={supplierId} /> },
          ]}
        />
      </Card>
      <PurchaseOrderCreateDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(po) => {
          setCreating(false);
          navigate(`/purchasing/orders/${po.id}`);
        }}
      />
    </div>
  );
}

function OrdersTab({ supplierId }: { supplierId: string | undefined }) {
  const { t } = useTranslation('purchasing');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [params, update] = useUrlState();
  const statusParam = params.get('status');
  const status = isPoStatus(statusParam) ? statusParam : undefined;
  const query: PurchaseOrderListQuery = {
    ...(status ? { status } : {}),
    ...(supplierId ? { supplierId } : {}),
  };
  const list = useCursorList<PurchaseOrder>(
    (cursor, limit, signal) => listPurchaseOrders({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    PAGE_SIZE,
  );
  const { reload } = list;
  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(['purchaseorder'], () => liveReload(), { onResync: reload });
  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const columns: TableColumnsType<PurchaseOrder> = [
    {
      key: 'code',
      title: t('columns.code'),
      width: 160,
      fixed: 'left',
      render: (_, po) => (
        <Link className="takt-mono" to={`/purchasing/orders/${po.id}`}>
          {po.code}
        </Link>
      ),
    },
    {
      key: 'supplier',
      title: t('columns.supplier'),
      width: 260,
      render: (_, po) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text ellipsis={{ tooltip: po.supplierName }}>{po.supplierName}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small takt-mono">
            {po.supplierCode}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('columns.status'),
      width: 130,
      render: (_, po) => <PoStatusTag status={po.status} />,
    },
    {
      key: 'lines',
      title: t('columns.lines'),
      width: 80,
      align: 'right',
      render: (_, po) => po.lines.length,
    },
    {
      key: 'due',
      title: t('columns.dueDate'),
      width: 120,
      render: (_, po) => po.lines.map((l) => l.dueDate).sort()[0] ?? '—',
    },
    {
      key: 'total',
      title: t('columns.total'),
      width: 140,
      align: 'right',
      render: (_, po) => (
        <span className="takt-num">
          {format.decimal(po.total, 2)} <Typography.Text type="secondary">{po.currency}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'updatedAt',
      title: t('columns.updatedAt'),
      width: 170,
      render: (_, po) => <span className="takt-nowrap">{format.dateTime(po.updatedAt)}</span>,
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={12} wrap align="center">
        <Select
          allowClear
          className="takt-type-filter"
          placeholder={t('list.allStatuses')}
          aria-label={t('columns.status')}
          value={status}
          onChange={(v?: string) => update({ status: v })}
          options={PO_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Button icon={<ReloadOutlined />} onClick={reload}>
          {tc('common.refresh')}
        </Button>
        <ExportMenu url={(f) => purchaseOrdersExportUrl(query, f)} />
      </Flex>
      {list.error ? (
        <ProblemAlert
          error={list.error}
          title={tc('errors.loadFailed')}
          action={<Button onClick={reload}>{tc('common.retry')}</Button>}
        />
      ) : null}
      <div ref={wrap}>
        <Table<PurchaseOrder>
          virtual
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1060, y: height }}
          onScroll={onScroll}
          locale={{
            emptyText: list.loading ? (
              <div className="takt-table-empty" />
            ) : (
              <Empty
                className="takt-table-empty"
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={status || supplierId ? t('list.empty') : t('list.emptyAll')}
              />
            ),
          }}
        />
      </div>
      <LoadMoreFooter list={list} />
    </Flex>
  );
}

function LateTab({ supplierId }: { supplierId: string | undefined }) {
  const { t } = useTranslation('purchasing');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const list = useCursorList<LateLine>(
    (cursor, limit, signal) =>
      listLateLines({ limit, ...(supplierId ? { supplierId } : {}), ...(cursor ? { cursor } : {}) }, signal),
    supplierId ?? '',
    PAGE_SIZE,
  );
  const liveReload = useThrottledCallback(list.reload, 1000);
  useLiveEvents(['purchaseorder'], () => liveReload(), { onResync: list.reload });
  const columns: TableColumnsType<LateLine> = [
    {
      key: 'po',
      title: t('columns.code'),
      width: 160,
      render: (_, l) => (
        <Link className="takt-mono" to={`/purchasing/orders/${l.purchaseOrderId}`}>
          {l.purchaseOrderCode}
        </Link>
      ),
    },
    { key: 'line', title: t('columns.line'), width: 60, dataIndex: 'lineNo' },
    {
      key: 'supplier',
      title: t('columns.supplier'),
      width: 110,
      render: (_, l) => <span className="takt-mono">{l.supplierCode}</span>,
    },
    {
      key: 'item',
      title: t('columns.item'),
      width: 130,
      render: (_, l) => <span className="takt-mono">{l.itemCode}</span>,
    },
    ...(['qty', 'receivedQty', 'openQty'] as const).map((k) => ({
      key: k,
      title: t(k === 'qty' ? 'columns.qty' : k === 'receivedQty' ? 'columns.received' : 'columns.open'),
      width: 100,
      align: 'right' as const,
      render: (_: unknown, l: LateLine) => <span className="takt-num">{format.decimal(l[k])}</span>,
    })),
    { key: 'due', title: t('columns.dueDate'), width: 110, dataIndex: 'dueDate' },
    {
      key: 'late',
      title: t('columns.daysLate'),
      width: 100,
      align: 'right',
      render: (_, l) => <Typography.Text type="danger">{l.daysLate}</Typography.Text>,
    },
  ];
  return (
    <Flex vertical gap={12}>
      {list.error ? <ProblemAlert error={list.error} title={tc('errors.loadFailed')} /> : null}
      <Table<LateLine>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 960 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('list.lateEmpty')} />,
        }}
      />
      <LoadMoreFooter list={list} />
    </Flex>
  );
}

export default PurchaseOrdersPage;
