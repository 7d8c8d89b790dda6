import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloseCircleOutlined,
  ImportOutlined,
  LockOutlined,
  PrinterOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type { PurchaseOrder, PurchaseReceipt } from '@takt/contracts';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Input,
  Modal,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  actOnPurchaseOrder,
  getPurchaseOrder,
  listPurchaseReceipts,
  type PoActionName,
  purchaseOrderPrintUrl,
} from '../../api/purchasing.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { PoStatusTag } from './common.tsx';
import { ReceiptDialog } from './ReceiptDialog.tsx';

type Line = PurchaseOrder['lines'][number];

/** One purchase order: lines, the lifecycle buttons its status allows, receipts and returns, print. */
export function PurchaseOrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('purchasing');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [po, setPo] = useState<PurchaseOrder | null>(null);
  const [receipts, setReceipts] = useState<PurchaseReceipt[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState<PoActionName | null>(null);
  const [receiving, setReceiving] = useState<'receipt' | 'return' | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');

  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([getPurchaseOrder(id, controller.signal), listPurchaseReceipts(id, controller.signal)])
      .then(([order, r]) => {
        setPo(order);
        setReceipts(r.items);
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setLoadError(asApiError(e));
      });
    return () => controller.abort();
  }, [id, tick]);
  const liveReload = useThrottledCallback(reload, 500);
  useLiveEvents(['purchaseorder'], (event) => event.aggregateId === id && liveReload(), { onResync: reload });

  const act = async (action: PoActionName, why?: string) => {
    if (!po) return;
    setBusy(action);
    try {
      const next = await actOnPurchaseOrder(
        po.id,
        action,
        action === 'cancel' ? { version: po.version, reason: why ?? '' } : { version: po.version },
      );
      setPo(next);
      setCancelling(false);
      message.success(t('actions.done', { code: next.code, status: t(`status.${next.status}`) }));
    } catch (e) {
      const err = asApiError(e);
      modal.error({ title: t('actions.refused'), content: problemText(tc, err) });
      if (err.code === 'STALE_VERSION') reload();
    } finally {
      setBusy(null);
    }
  };

  if (!po) {
    return (
      <div className="takt-page">
        <PageHeader title={t('detail.title')} />
        {loadError ? (
          <ProblemAlert
            error={loadError}
            title={tc('errors.loadFailed')}
            action={<Button onClick={reload}>{tc('common.retry')}</Button>}
          />
        ) : (
          <Spin />
        )}
      </div>
    );
  }

  const s = po.status;
  const received = po.lines.some((l) => Number(l.receivedQty) - Number(l.returnedQty) > 0);
  const buttons = (
    <>
      <LiveNote />
      <Button icon={<ReloadOutlined />} onClick={reload} aria-label={tc('common.refresh')} />
      <Button icon={<PrinterOutlined />} href={purchaseOrderPrintUrl(po.id, format.lang)} target="_blank">
        {t('detail.print')}
      </Button>
      {s === 'draft' && can('purchasing:approve') ? (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy === 'approve'}
          onClick={() => void act('approve')}
        >
          {t('actions.approve')}
        </Button>
      ) : null}
      {s === 'approved' && can('purchasing:update') ? (
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={busy === 'send'}
          onClick={() => void act('send')}
        >
          {t('actions.send')}
        </Button>
      ) : null}
      {(s === 'approved' || s === 'sent' || s === 'partially_received') && can('inventory:create') ? (
        <Button
          type={s === 'approved' ? 'default' : 'primary'}
          icon={<ImportOutlined />}
          onClick={() => setReceiving('receipt')}
        >
          {t('actions.receive')}
        </Button>
      ) : null}
      {received && s !== 'cancelled' && can('inventory:create') ? (
        <Button icon={<RollbackOutlined />} onClick={() => setReceiving('return')}>
          {t('actions.return')}
        </Button>
      ) : null}
      {(s === 'partially_received' || s === 'received') && can('purchasing:update') ? (
        <Button
          icon={<LockOutlined />}
          loading={busy === 'close'}
          onClick={() =>
            modal.confirm({
              title: t('actions.closeTitle', { code: po.code }),
              content: t('actions.closeText'),
              okText: t('actions.close'),
              cancelText: tc('common.cancel'),
              onOk: () => act('close'),
            })
          }
        >
          {t('actions.close')}
        </Button>
      ) : null}
      {(s === 'draft' || s === 'approved' || s === 'sent') && can('purchasing:update') ? (
        <Button
          danger
          icon={<CloseCircleOutlined />}
          onClick={() => {
            setReason('');
            setCancelling(true);
          }}
        >
          {t('actions.cancel')}
        </Button>
      ) : null}
    </>
  );

  const lineColumns: TableColumnsType<Line> = [
    { key: 'line', title: t('columns.line'), width: 56, dataIndex: 'lineNo' },
    {
      key: 'item',
      title: t('columns.item'),
      width: 220,
      render: (_, l) => (
        <Flex vertical className="takt-cell-stack">
          <Typography.Text className="takt-mono">{l.itemCode}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small">
            {l.itemName}
            {l.plannedOrderId ? <Tag style={{ marginLeft: 6 }}>{t('detail.fromPlan')}</Tag> : null}
          </Typography.Text>
        </Flex>
      ),
    },
    ...(['qty', 'receivedQty', 'returnedQty', 'openQty'] as const).map((k) => ({
      key: k,
      title: t(
        k === 'qty'
          ? 'columns.qty'
          : k === 'receivedQty'
            ? 'columns.received'
            : k === 'returnedQty'
              ? 'columns.returned'
              : 'columns.open',
      ),
      width: 90,
      align: 'right' as const,
      render: (_: unknown, l: Line) => <span className="takt-num">{format.decimal(l[k])}</span>,
    })),
    {
      key: 'price',
      title: t('columns.unitPrice'),
      width: 100,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(l.unitPrice, 2)}</span>,
    },
    {
      key: 'amount',
      title: t('columns.amount'),
      width: 110,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(l.amount, 2)}</span>,
    },
    { key: 'due', title: t('columns.dueDate'), width: 110, dataIndex: 'dueDate' },
    {
      key: 'status',
      title: t('columns.lineStatus'),
      width: 130,
      render: (_, l) => <PoStatusTag status={l.status} />,
    },
  ];

  const receiptColumns: TableColumnsType<PurchaseReceipt> = [
    { key: 'at', title: t('columns.at'), width: 170, render: (_, r) => format.dateTime(r.createdAt) },
    {
      key: 'kind',
      title: t('columns.kind'),
      width: 90,
      render: (_, r) => <Tag color={r.kind === 'return' ? 'orange' : 'green'}>{t(`kind.${r.kind}`)}</Tag>,
    },
    {
      key: 'item',
      title: t('columns.item'),
      width: 140,
      render: (_, r) => (
        <span className="takt-mono">{po.lines.find((l) => l.id === r.lineId)?.itemCode ?? ''}</span>
      ),
    },
    {
      key: 'qty',
      title: t('columns.qty'),
      width: 90,
      align: 'right',
      render: (_, r) => <span className="takt-num">{format.decimal(r.qty)}</span>,
    },
    { key: 'lot', title: t('columns.lot'), width: 120, render: (_, r) => r.lot ?? '—' },
    { key: 'reason', title: t('columns.reason'), render: (_, r) => r.reason ?? '' },
  ];

  return (
    <div className="takt-page">
      <Link to="/purchasing/orders">
        <ArrowLeftOutlined /> {t('detail.back')}
      </Link>
      <PageHeader
        title={`${t('detail.title')} ${po.code}`}
        subtitle={
          <Space wrap size={8}>
            <PoStatusTag status={s} />
            <span>{po.supplierName}</span>
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
                key: 'supplier',
                label: t('detail.supplier'),
                children: (
                  <span>
                    <span className="takt-mono">{po.supplierCode}</span> {po.supplierName}
                  </span>
                ),
              },
              {
                key: 'total',
                label: t('detail.total'),
                children: (
                  <span className="takt-num">
                    {format.decimal(po.total, 2)} {po.currency}
                  </span>
                ),
              },
              { key: 'tol', label: t('detail.tolerance'), children: `${po.overReceiptTolerance}%` },
              {
                key: 'approved',
                label: t('detail.approvedAt'),
                children: po.approvedAt ? format.dateTime(po.approvedAt) : '—',
              },
              {
                key: 'sent',
                label: t('detail.sentAt'),
                children: po.sentAt ? format.dateTime(po.sentAt) : '—',
              },
              ...(po.cancelReason
                ? [{ key: 'cr', label: t('detail.cancelReason'), children: po.cancelReason }]
                : []),
              ...(po.notes ? [{ key: 'notes', label: t('detail.notes'), children: po.notes }] : []),
            ]}
          />
        </Card>
        <Card className="takt-card" title={t('detail.lines')}>
          <Table<Line>
            rowKey="id"
            size="small"
            columns={lineColumns}
            dataSource={po.lines}
            pagination={false}
            scroll={{ x: 1000 }}
          />
        </Card>
        <Card className="takt-card" title={t('detail.receipts')}>
          {receipts.length ? (
            <Table<PurchaseReceipt>
              rowKey="id"
              size="small"
              columns={receiptColumns}
              dataSource={receipts}
              pagination={false}
              scroll={{ x: 700 }}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noReceipts')} />
          )}
        </Card>
      </Flex>
      <ReceiptDialog
        order={po}
        mode={receiving}
        onClose={() => setReceiving(null)}
        onPosted={(next) => {
          setReceiving(null);
          setPo(next);
          reload();
        }}
      />
      <Modal
        open={cancelling}
        title={t('actions.cancelTitle', { code: po.code })}
        okText={t('actions.cancel')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        cancelText={tc('common.cancel')}
        confirmLoading={busy === 'cancel'}
        onOk={() => void act('cancel', reason.trim())}
        onCancel={() => setCancelling(false)}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={t('actions.reason')}
          placeholder={t('actions.reason')}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 4 }}
        />
      </Modal>
    </div>
  );
}

export default PurchaseOrderDetailPage;
