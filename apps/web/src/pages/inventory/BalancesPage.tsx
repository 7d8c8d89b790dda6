import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Availability, Balance, BalanceListQuery } from '@takt/contracts';
import {
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Popover,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { balancesExportUrl, itemAvailability, listBalances } from '../../api/inventory.ts';
import { itemsApi } from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { ExportMenu } from '../../components/ExportMenu.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useAvailableHeight } from '../../hooks/useAvailableHeight.ts';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useLoadMoreOnScroll } from '../../hooks/useLoadMoreOnScroll.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { MoveDrawer } from './MoveDrawer.tsx';
import { PlaceSelect, placeLabel, usePlaces, WarehouseSelect } from './places.tsx';
import '../production/filters.css';

const PAGE_SIZE = 100;

/** On hand, reserved and available of one item, read when the popover opens. */
function AvailabilityContent({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { byId } = usePlaces();
  const [data, setData] = useState<Availability | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    itemAvailability(itemId, controller.signal)
      .then(setData)
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      });
    return () => controller.abort();
  }, [itemId]);
  if (error) return <Typography.Text type="danger">{problemText(t, error)}</Typography.Text>;
  if (!data) return <Spin size="small" />;
  return (
    <Flex vertical gap={8} className="takt-availability">
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'onHand', label: t('inventory.availability.onHand'), children: format.decimal(data.onHand) },
          {
            key: 'reserved',
            label: t('inventory.availability.reserved'),
            children: format.decimal(data.reserved),
          },
          {
            key: 'available',
            label: t('inventory.availability.available'),
            children: <Typography.Text strong>{format.decimal(data.available)}</Typography.Text>,
          },
        ]}
      />
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.locationId}:${r.lot ?? ''}`}
        dataSource={data.byLocation}
        columns={[
          {
            key: 'loc',
            title: t('inventory.columns.location'),
            render: (_, r) => placeLabel(byId.get(r.locationId), r.locationId.slice(0, 8)),
          },
          { key: 'lot', title: t('production.lot'), render: (_, r) => r.lot ?? '—' },
          {
            key: 'onHand',
            title: t('inventory.columns.onHand'),
            align: 'right',
            render: (_, r) => format.decimal(r.onHand),
          },
        ]}
      />
    </Flex>
  );
}

export function BalancesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const canPost = can('inventory:create');
  const { byId } = usePlaces();
  const [params, update] = useUrlState();
  const warehouseId = params.get('warehouseId') ?? undefined;
  const locationId = params.get('locationId') ?? undefined;
  const itemId = params.get('itemId') ?? undefined;
  const includeZero = params.get('includeZero') === '1';

  const query: BalanceListQuery = {
    ...(warehouseId ? { warehouseId } : {}),
    ...(locationId ? { locationId } : {}),
    ...(itemId ? { itemId } : {}),
    ...(includeZero ? { includeZero: true } : {}),
  };
  const list = useCursorList<Balance>(
    (cursor, limit, signal) => listBalances({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    PAGE_SIZE,
  );
  const { reload } = list;
  const liveReload = useThrottledCallback(reload, 800);
  useLiveEvents(['stock'], () => liveReload(), { onResync: reload });
  const [posting, setPosting] = useState(false);

  const wrap = useRef<HTMLDivElement>(null);
  const height = useAvailableHeight(wrap, 150, 280);
  const onScroll = useLoadMoreOnScroll(list);

  const columns: TableColumnsType<Balance> = [
    {
      key: 'item',
      title: t('inventory.columns.item'),
      width: 180,
      fixed: 'left',
      render: (_, b) => (
        <Popover
          trigger="click"
          title={t('inventory.availability.title', { code: b.itemCode })}
          content={<AvailabilityContent itemId={b.itemId} />}
          destroyOnHidden
        >
          <Typography.Link
            className="takt-mono"
            aria-label={t('inventory.availability.open', { code: b.itemCode })}
          >
            {b.itemCode}
          </Typography.Link>
        </Popover>
      ),
    },
    {
      key: 'location',
      title: t('inventory.columns.location'),
      width: 260,
      render: (_, b) => {
        const p = byId.get(b.locationId);
        return (
          <Flex vertical className="takt-cell-stack">
            <span className="takt-mono">{b.locationCode}</span>
            <Typography.Text type="secondary" className="takt-small">
              {p ? `${p.name} · ${p.warehouseName}` : ''}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'lot',
      title: t('production.lot'),
      width: 140,
      render: (_, b) => <span className="takt-mono">{b.lot ?? '—'}</span>,
    },
    {
      key: 'onHand',
      title: t('inventory.columns.onHand'),
      width: 120,
      align: 'right',
      render: (_, b) => (
        <span className="takt-num" data-testid={`onhand-${b.itemCode}-${b.locationCode}`}>
          {format.decimal(b.onHand)}
        </span>
      ),
    },
    {
      key: 'moves',
      title: t('inventory.columns.history'),
      width: 110,
      render: (_, b) => (
        <Link to={`/inventory/moves?itemId=${b.itemId}&locationId=${b.locationId}`}>
          {t('inventory.showMoves')}
        </Link>
      ),
    },
    {
      key: 'updatedAt',
      title: t('inventory.columns.updatedAt'),
      width: 170,
      render: (_, b) => <span className="takt-nowrap">{format.dateTime(b.updatedAt)}</span>,
    },
  ];

  const filtered = Boolean(warehouseId || locationId || itemId || includeZero);
  return (
    <div className="takt-page">
      <PageHeader
        title={t('inventory.balances.title')}
        subtitle={t('inventory.balances.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload}>
              {t('common.refresh')}
            </Button>
            {canPost ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setPosting(true)}>
                {t('inventory.move.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center" className="takt-toolbar">
            <WarehouseSelect
              allowClear
              className="takt-type-filter"
              placeholder={t('inventory.allWarehouses')}
              aria-label={t('inventory.warehouse')}
              value={warehouseId}
              onChange={(v) => update({ warehouseId: v, locationId: undefined })}
            />
            <PlaceSelect
              allowClear
              className="takt-inv-location-filter"
              placeholder={t('inventory.allLocations')}
              aria-label={t('inventory.columns.location')}
              warehouseId={warehouseId}
              value={locationId ?? null}
              onChange={(v) => update({ locationId: v })}
            />
            <RefSelect
              api={itemsApi}
              allowClear
              className="takt-inv-item-filter"
              placeholder={t('production.list.anyItem')}
              aria-label={t('inventory.columns.item')}
              value={itemId ?? null}
              onChange={(v) => update({ itemId: typeof v === 'string' ? v : undefined })}
            />
            <Checkbox
              checked={includeZero}
              onChange={(e) => update({ includeZero: e.target.checked ? '1' : undefined })}
            >
              {t('inventory.includeZero')}
            </Checkbox>
            {filtered ? (
              <Button
                type="link"
                onClick={() =>
                  update({
                    warehouseId: undefined,
                    locationId: undefined,
                    itemId: undefined,
                    includeZero: undefined,
                  })
                }
              >
                {t('common.reset')}
              </Button>
            ) : null}
            <ExportMenu url={(f) => balancesExportUrl(query, f)} />
          </Flex>
          {list.error ? (
            <ProblemAlert
              error={list.error}
              title={t('errors.loadFailed')}
              action={<Button onClick={reload}>{t('common.retry')}</Button>}
            />
          ) : null}
          <div ref={wrap}>
            <Table<Balance>
              virtual
              rowKey={(b) => `${b.itemId}:${b.locationId}:${b.lot ?? ''}`}
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 980, y: height }}
              onScroll={onScroll}
              locale={{
                emptyText: list.loading ? (
                  <div className="takt-table-empty" />
                ) : (
                  <Empty
                    className="takt-table-empty"
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t('inventory.balances.empty')}
                  />
                ),
              }}
            />
          </div>
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <MoveDrawer
        open={posting}
        onClose={() => setPosting(false)}
        onPosted={() => {
          setPosting(false);
          reload();
        }}
      />
    </div>
  );
}

export default BalancesPage;
