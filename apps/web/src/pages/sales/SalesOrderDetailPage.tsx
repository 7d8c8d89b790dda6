import {
  ArrowLeftOutlined,
  BuildOutlined,
  CarOutlined,
  CheckOutlined,
  CloseCircleOutlined,
  EditOutlined,
  FilePdfOutlined,
  LockOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import type { SalesOrder, SalesOrderProgress, Shipment, WorkOrderSummary } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  actOnSalesOrder,
  cancelWorkOrdersOfSalesOrder,
  deliveryNoteUrl,
  getSalesOrder,
  getSalesOrderProgress,
  listShipments,
  type SalesOrderActionName,
  workOrdersFromSalesOrder,
} from '../../api/sales.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { WoStatusTag } from '../production/common.tsx';
import { MAKEABLE, SHIPPABLE, SoStatusTag } from './common.tsx';
import { SalesOrderDrawer } from './SalesOrderDrawer.tsx';
import { ShipmentDialog } from './ShipmentDialog.tsx';

type ProgressLine = SalesOrderProgress['lines'][number];

/** One sales order: lines, live progress (reservations, shipments, work orders), actions and shipments. */
export function SalesOrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('sales');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const narrow = !useMediaQuery('(min-width: 768px)');

  const [order, setOrder] = useState<SalesOrder | null>(null);
  const [progress, setProgress] = useState<SalesOrderProgress | null>(null);
  const [shipments, setShipments] = useState<Shipment[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [shipping, setShipping] = useState(false);
  const [reasonFor, setReasonFor] = useState<'cancel' | 'close' | null>(null);
  const [alsoCancelWork, setAlsoCancelWork] = useState(true);
  const [reason, setReason] = useState('');
  const [made, setMade] = useState<WorkOrderSummary[] | null>(null);
  const [changedElsewhere, setChangedElsewhere] = useState(false);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    Promise.all([getSalesOrder(id, signal), getSalesOrderProgress(id, signal), listShipments(id, signal)])
      .then(([so, p, sh]) => {
        setOrder(so);
        setProgress(p);
        setShipments(sh.items);
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setLoadError(asApiError(e));
      });
    return () => controller.abort();
  }, [id, tick]);

  const workOrderIds = useMemo(
    () => new Set((progress?.lines ?? []).flatMap((l) => l.workOrders.map((w) => w.id))),
    [progress],
  );
  const liveReload = useThrottledCallback(reload, 500);
  useLiveEvents(
    ['salesorder', 'shipment', 'workorder'],
    (event) => {
      const data = (event.data ?? {}) as { salesOrderId?: string };
      if (event.aggregateId === id || data.salesOrderId === id || workOrderIds.has(event.aggregateId)) {
        if (editing && event.type.startsWith('salesorder.')) setChangedElsewhere(true);
        liveReload();
      }
    },
    { onResync: reload },
  );

  const act = async (action: SalesOrderActionName, why?: string) => {
    if (!order) return;
    setBusy(action);
    try {
      const next = await actOnSalesOrder(order.id, action, {
        version: order.version,
        ...(why ? { reason: why } : {}),
      });
      setOrder(next);
      setReasonFor(null);
      message.success(t('actions.done', { code: next.code, status: t(`status.${next.status}`) }));
      if (action === 'cancel' && alsoCancelWork && why) {
        const result = await cancelWorkOrdersOfSalesOrder(next.id, why);
        if (result.cancelled.length + result.kept.length > 0) {
          modal.info({
            title: t('actions.workCancelledTitle'),
            content: t('actions.workCancelled', {
              cancelled: result.cancelled.join(', ') || '—',
              kept: result.kept.join(', ') || '—',
            }),
          });
        }
      }
      reload();
    } catch (e) {
      const err = asApiError(e);
      modal.error({ title: t('actions.refused'), content: problemText(tc, err) });
      if (err.code === 'STALE_VERSION') reload();
    } finally {
      setBusy(null);
    }
  };

  const makeWorkOrders = async () => {
    if (!order) return;
    setBusy('make');
    try {
      const wos = await workOrdersFromSalesOrder(order.id);
      setMade(wos);
      reload();
    } catch (e) {
      modal.error({ title: t('actions.refused'), content: problemText(tc, asApiError(e)) });
    } finally {
      setBusy(null);
    }
  };

  if (!order) {
    return (
      <div className="takt-page">
        <PageHeader title={t('detail.title')} />
        {loadError ? (
          <ProblemAlert
            error={loadError}
            title={loadError.status === 404 ? t('detail.notFound') : tc('errors.loadFailed')}
            action={<Button onClick={reload}>{tc('common.retry')}</Button>}
          />
        ) : (
          <Spin />
        )}
      </div>
    );
  }

  const status = order.status;
  const canApprove = can('sales:approve');
  const buttons = (
    <>
      <LiveNote />
      <Button icon={<ReloadOutlined />} onClick={reload} aria-label={tc('common.refresh')} />
      {can('sales:update') && (status === 'draft' || status === 'confirmed') ? (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
          {t('actions.edit')}
        </Button>
      ) : null}
      {canApprove && status === 'draft' ? (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy === 'confirm'}
          onClick={() =>
            modal.confirm({
              title: t('actions.confirmTitle', { code: order.code }),
              content: t('actions.confirmText'),
              okText: t('actions.confirm'),
              cancelText: tc('common.cancel'),
              onOk: () => act('confirm'),
            })
          }
        >
          {t('actions.confirm')}
        </Button>
      ) : null}
      {can('production:create') && MAKEABLE.includes(status) ? (
        <Button
          type={status === 'confirmed' ? 'primary' : 'default'}
          icon={<BuildOutlined />}
          loading={busy === 'make'}
          onClick={() => void makeWorkOrders()}
        >
          {t('actions.makeWorkOrders')}
        </Button>
      ) : null}
      {can('inventory:create') && SHIPPABLE.includes(status) ? (
        <Button icon={<CarOutlined />} onClick={() => setShipping(true)}>
          {t('actions.ship')}
        </Button>
      ) : null}
      {canApprove && (status === 'shipped' || status === 'partially_shipped') ? (
        <Button
          icon={<LockOutlined />}
          loading={busy === 'close'}
          onClick={() => {
            if (status === 'shipped') {
              void act('close');
              return;
            }
            setReason('');
            setReasonFor('close');
          }}
        >
          {t('actions.close')}
        </Button>
      ) : null}
      {canApprove && (status === 'draft' || status === 'confirmed' || status === 'in_production') ? (
        <Button
          danger
          icon={<CloseCircleOutlined />}
          loading={busy === 'cancel'}
          onClick={() => {
            setReason('');
            setReasonFor('cancel');
          }}
        >
          {t('actions.cancel')}
        </Button>
      ) : null}
    </>
  );

  const workOrderList = (l: ProgressLine) =>
    l.workOrders.length ? (
      <Flex vertical gap={4} data-testid="line-work-orders">
        {l.workOrders.map((w) => (
          <Space key={w.id} size={6} wrap>
            <Link className="takt-mono" to={`/production/work-orders/${w.id}`}>
              {w.code}
            </Link>
            <WoStatusTag status={w.status} />
            <Typography.Text type="secondary" className="takt-small">
              × {format.decimal(w.qty)}
            </Typography.Text>
          </Space>
        ))}
      </Flex>
    ) : (
      <Typography.Text type="secondary">{t('detail.noWorkOrders')}</Typography.Text>
    );

  const progressColumns: TableColumnsType<ProgressLine> = [
    { key: 'line', title: t('columns.line'), width: 56, render: (_, l) => l.lineNo },
    {
      key: 'item',
      title: t('columns.item'),
      width: 140,
      render: (_, l) => <span className="takt-mono">{l.itemCode}</span>,
    },
    ...(['ordered', 'reserved', 'shipped', 'remaining'] as const).map((k) => ({
      key: k,
      title: t(`columns.${k}`),
      width: 90,
      align: 'right' as const,
      render: (_: unknown, l: ProgressLine) => <span className="takt-num">{format.decimal(l[k])}</span>,
    })),
    {
      key: 'promised',
      title: t('columns.promisedDate'),
      width: 120,
      render: (_, l) => <span className="takt-nowrap">{l.promisedDate ?? '—'}</span>,
    },
    {
      key: 'wos',
      title: t('columns.workOrders'),
      width: 260,
      render: (_, l) => workOrderList(l),
    },
  ];

  const lineColumns: TableColumnsType<SalesOrder['lines'][number]> = [
    { key: 'line', title: t('columns.line'), width: 56, render: (_, l) => l.lineNo },
    {
      key: 'item',
      title: t('columns.item'),
      width: 240,
      render: (_, l) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text className="takt-mono">{l.itemCode}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small">
            {l.itemName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'qty',
      title: t('columns.qty'),
      width: 100,
      align: 'right',
      render: (_, l) => (
        <span className="takt-num">
          {format.decimal(l.qty)} {l.uom}
        </span>
      ),
    },
    {
      key: 'price',
      title: t('columns.unitPrice'),
      width: 110,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(l.unitPrice, 2)}</span>,
    },
    {
      key: 'amount',
      title: t('columns.amount'),
      width: 120,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(l.amount, 2)}</span>,
    },
    { key: 'req', title: t('columns.requestedDate'), width: 120, dataIndex: 'requestedDate' },
  ];

  return (
    <div className="takt-page">
      <Link to="/sales/orders">
        <ArrowLeftOutlined /> {t('detail.back')}
      </Link>
      <PageHeader
        title={`${t('detail.title')} ${order.code}`}
        subtitle={
          <Space wrap size={8}>
            <SoStatusTag status={status} />
            <span>{order.customerName}</span>
          </Space>
        }
        extra={buttons}
      />
      <Flex vertical gap={16}>
        <Card className="takt-card">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 4 }}
            className="takt-descriptions"
            items={[
              {
                key: 'customer',
                label: t('detail.customer'),
                children: (
                  <Space size={6} wrap>
                    <span className="takt-mono">{order.customerCode}</span>
                    <span>{order.customerName}</span>
                    <Tag>{t('detail.tier', { tier: order.customerTier })}</Tag>
                  </Space>
                ),
              },
              { key: 'ref', label: t('detail.externalRef'), children: order.externalRef || '—' },
              { key: 'due', label: t('detail.dueDate'), children: order.dueDate },
              {
                key: 'value',
                label: t('detail.orderValue'),
                children: (
                  <span className="takt-num">
                    {format.decimal(order.orderValue, 2)} {order.currency}
                  </span>
                ),
              },
              { key: 'prio', label: t('detail.priority'), children: order.priority.score.toFixed(1) },
              {
                key: 'confirmed',
                label: t('detail.confirmedAt'),
                children: order.confirmedAt ? format.dateTime(order.confirmedAt) : '—',
              },
              ...(order.note ? [{ key: 'note', label: t('detail.note'), children: order.note }] : []),
            ]}
          />
        </Card>

        <Card className="takt-card" title={t('detail.progress')} data-testid="progress-panel">
          <Typography.Paragraph type="secondary" className="takt-small">
            {t('detail.progressHint')}
          </Typography.Paragraph>
          {narrow ? (
            <List
              dataSource={progress?.lines ?? []}
              renderItem={(l) => (
                <List.Item key={l.id}>
                  <Flex vertical gap={6} style={{ width: '100%' }}>
                    <Space wrap>
                      <Typography.Text strong>{l.lineNo}</Typography.Text>
                      <span className="takt-mono">{l.itemCode}</span>
                      <Typography.Text type="secondary">
                        {t('columns.promisedDate')}: {l.promisedDate ?? '—'}
                      </Typography.Text>
                    </Space>
                    <Descriptions
                      size="small"
                      column={2}
                      items={(['ordered', 'reserved', 'shipped', 'remaining'] as const).map((k) => ({
                        key: k,
                        label: t(`columns.${k}`),
                        children: <span className="takt-num">{format.decimal(l[k])}</span>,
                      }))}
                    />
                    <div>
                      <Typography.Text type="secondary">{t('columns.workOrders')}: </Typography.Text>
                      {workOrderList(l)}
                    </div>
                  </Flex>
                </List.Item>
              )}
            />
          ) : (
            <Table<ProgressLine>
              rowKey="id"
              size="small"
              columns={progressColumns}
              dataSource={progress?.lines ?? []}
              pagination={false}
              scroll={{ x: 940 }}
            />
          )}
        </Card>

        <Card className="takt-card" title={t('detail.lines')}>
          <Table
            rowKey="id"
            size="small"
            columns={lineColumns}
            dataSource={order.lines}
            pagination={false}
            scroll={{ x: 760 }}
          />
        </Card>

        <Card className="takt-card" title={t('detail.shipments')}>
          {shipments.length ? (
            <List
              dataSource={shipments}
              renderItem={(s) => (
                <List.Item
                  actions={[
                    <a key="pdf" href={deliveryNoteUrl(order.id, s.id)} target="_blank" rel="noreferrer">
                      <FilePdfOutlined /> {t('detail.deliveryNote')}
                    </a>,
                  ]}
                >
                  <List.Item.Meta
                    title={<span className="takt-mono">{s.code}</span>}
                    description={
                      <span>
                        {format.dateTime(s.createdAt)} ·{' '}
                        {s.lines
                          .map((sl) => {
                            const line = order.lines.find((l) => l.id === sl.lineId);
                            return `${line?.itemCode ?? ''} × ${format.decimal(sl.qty)}${sl.lot ? ` (${sl.lot})` : ''}`;
                          })
                          .join(', ')}
                        {s.note ? ` · ${s.note}` : ''}
                      </span>
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noShipments')} />
          )}
        </Card>
      </Flex>

      <SalesOrderDrawer
        open={editing}
        order={order}
        onClose={() => {
          setEditing(false);
          setChangedElsewhere(false);
        }}
        onSaved={(so) => {
          setEditing(false);
          setChangedElsewhere(false);
          setOrder(so);
          reload();
        }}
      />
      {editing && changedElsewhere ? (
        <Alert
          type="warning"
          showIcon
          title={t('form.changedElsewhere')}
          style={{ position: 'fixed', bottom: 16, left: 16, zIndex: 2000 }}
        />
      ) : null}
      <ShipmentDialog
        order={order}
        open={shipping}
        onClose={() => setShipping(false)}
        onPosted={() => {
          setShipping(false);
          reload();
        }}
      />
      <Modal
        open={reasonFor !== null}
        title={
          reasonFor === 'close'
            ? t('actions.closeTitle', { code: order.code })
            : t('actions.reasonTitle', { code: order.code })
        }
        okText={reasonFor === 'close' ? t('actions.close') : t('actions.cancel')}
        okButtonProps={{ danger: reasonFor === 'cancel', disabled: status !== 'draft' && !reason.trim() }}
        cancelText={tc('common.cancel')}
        confirmLoading={busy === reasonFor}
        onOk={() => reasonFor && void act(reasonFor, reason.trim() || undefined)}
        onCancel={() => setReasonFor(null)}
        destroyOnHidden
      >
        {reasonFor === 'close' ? <Typography.Paragraph>{t('actions.closeHint')}</Typography.Paragraph> : null}
        <Input.TextArea
          aria-label={t('actions.reason')}
          placeholder={t('actions.reason')}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 4 }}
        />
        {reasonFor === 'cancel' && status !== 'draft' ? (
          <Checkbox
            style={{ marginTop: 12 }}
            checked={alsoCancelWork}
            onChange={(e) => setAlsoCancelWork(e.target.checked)}
          >
            {t('actions.alsoCancelWork')}
          </Checkbox>
        ) : null}
      </Modal>
      <Modal
        open={made !== null}
        title={t('make.title', { code: order.code })}
        footer={<Button onClick={() => setMade(null)}>{tc('common.close')}</Button>}
        onCancel={() => setMade(null)}
      >
        {made?.length ? (
          <>
            <Typography.Paragraph>{t('make.created')}</Typography.Paragraph>
            <List
              size="small"
              dataSource={made}
              data-testid="made-work-orders"
              renderItem={(w) => (
                <List.Item>
                  <Space wrap>
                    <Link className="takt-mono" to={`/production/work-orders/${w.id}`}>
                      {w.code}
                    </Link>
                    <span className="takt-mono">{w.itemCode}</span>
                    <span>{w.itemName}</span>
                    <span className="takt-num">× {format.decimal(w.qty)}</span>
                    <WoStatusTag status={w.status} />
                  </Space>
                </List.Item>
              )}
            />
          </>
        ) : (
          <Typography.Paragraph>{t('make.none')}</Typography.Paragraph>
        )}
      </Modal>
    </div>
  );
}

export default SalesOrderDetailPage;
