import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Machine, OperationState, WorkCenter, WorkOrderDetail } from '@takt/contracts';
import type { WorkOrderAction } from '@takt/domain/workorder-state';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { updateWorkOrderCustomFields } from '../../api/customFields.ts';
import { machinesApi, workCentersApi } from '../../api/masterdata.ts';
import {
  actOnOperation,
  actOnWorkOrder,
  dispatchOperation,
  getOperation,
  getSalesOrderRef,
  getWorkOrder,
} from '../../api/production.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { CustomFieldPanel } from '../../components/customFields/CustomFields.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import {
  allowedActions,
  historyText,
  OpStatusTag,
  refusalText,
  WoStatusTag,
  woStatusText,
} from './common.tsx';
import { ActionDialog, IssueDialog, OutputDialog } from './dialogs.tsx';
import './filters.css';

type Material = WorkOrderDetail['materials'][number];
type Operation = WorkOrderDetail['operations'][number];

/** Actions that ask for a reason or options first; the others run on a click. */
const NEEDS_DIALOG: readonly WorkOrderAction[] = ['hold', 'unhold', 'cancel', 'complete'];
const PRIMARY: readonly WorkOrderAction[] = ['release', 'dispatch', 'start', 'resume', 'complete', 'close'];

let plantCache: Promise<{ workCenters: WorkCenter[]; machines: Machine[] }> | null = null;
function usePlant() {
  const [plant, setPlant] = useState<{
    workCenters: Map<string, WorkCenter>;
    machines: Map<string, Machine>;
  }>({
    workCenters: new Map(),
    machines: new Map(),
  });
  useEffect(() => {
    plantCache ??= Promise.all([workCentersApi.list({ limit: 500 }), machinesApi.list({ limit: 500 })])
      .then(([wc, m]) => ({ workCenters: wc.items, machines: m.items }))
      .catch((e: unknown) => {
        plantCache = null;
        throw e;
      });
    let alive = true;
    plantCache
      .then((p) => {
        if (alive)
          setPlant({
            workCenters: new Map(p.workCenters.map((w) => [w.id, w])),
            machines: new Map(p.machines.map((m) => [m.id, m])),
          });
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return plant;
}

/** Machines of one work center, to dispatch an operation to. */
function MachinePicker({
  op,
  disabled,
  onDispatch,
}: {
  op: Operation;
  disabled: boolean;
  onDispatch: (machineId: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [machines, setMachines] = useState<Machine[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    if (machines) return;
    machinesApi
      .list({ workCenterId: op.workCenterId, limit: 100, active: true })
      .then((p) => setMachines(p.items))
      .catch(() => setMachines([]));
  };
  return (
    <Select<string>
      size="small"
      className="takt-machine-picker"
      placeholder={t('production.ops.dispatchTo')}
      aria-label={`${t('production.ops.dispatchTo')} ${op.seq}`}
      disabled={disabled || busy}
      loading={busy || (machines === null && false)}
      value={null as unknown as string}
      onOpenChange={(open) => open && load()}
      onFocus={load}
      notFoundContent={machines === null ? t('app.loading') : t('production.ops.noMachines')}
      options={(machines ?? []).map((m) => ({
        value: m.id,
        label: `${m.code} ${m.name}`,
        disabled: m.status === 'down',
      }))}
      onChange={async (machineId) => {
        setBusy(true);
        try {
          await onDispatch(machineId);
        } finally {
          setBusy(false);
        }
      }}
    />
  );
}

export function WorkOrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const canExecute = can('production:execute');
  const canIssue = can('inventory:create');
  const canShopfloor = can('shopfloor:execute');
  const plant = usePlant();

  const [wo, setWo] = useState<WorkOrderDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [busyAction, setBusyAction] = useState<WorkOrderAction | null>(null);
  const [dialog, setDialog] = useState<WorkOrderAction | null>(null);
  const [issuing, setIssuing] = useState<Material | null>(null);
  const [reporting, setReporting] = useState(false);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [opStates, setOpStates] = useState<Map<string, OperationState>>(new Map());
  const [salesOrder, setSalesOrder] = useState<{ code: string; customerName: string } | null>(null);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    getWorkOrder(id, controller.signal)
      .then((d) => {
        setWo(d);
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setLoadError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [id, tick]);

  // A failed dispatch says why: the operation itself carries the error.
  const failedIds = (wo?.operations ?? [])
    .filter((o) => o.status === 'dispatch_failed')
    .map((o) => o.id)
    .join(',');
  useEffect(() => {
    if (!failedIds) return;
    const controller = new AbortController();
    Promise.all(failedIds.split(',').map((opId) => getOperation(opId, controller.signal)))
      .then((states) =>
        setOpStates((m) => {
          const next = new Map(m);
          for (const s of states) next.set(s.id, s);
          return next;
        }),
      )
      .catch(() => undefined);
    return () => controller.abort();
  }, [failedIds]);

  const salesOrderId = wo?.salesOrderId ?? null;
  useEffect(() => {
    if (!salesOrderId) return;
    const controller = new AbortController();
    getSalesOrderRef(salesOrderId, controller.signal)
      .then((so) => setSalesOrder({ code: so.code, customerName: so.customerName }))
      .catch(() => undefined);
    return () => controller.abort();
  }, [salesOrderId]);

  const related = useMemo(() => {
    const ids = new Set<string>([id]);
    for (const c of wo?.children ?? []) ids.add(c.id);
    if (wo?.parentId) ids.add(wo.parentId);
    return ids;
  }, [id, wo]);
  const seqById = useMemo(() => new Map((wo?.operations ?? []).map((o) => [o.id, o.seq])), [wo]);
  const liveReload = useThrottledCallback(reload, 700);
  useLiveEvents(
    ['workorder', 'operation'],
    (event) => {
      const data = (event.data ?? {}) as { workOrderId?: string };
      if (related.has(event.aggregateId) || (data.workOrderId && related.has(data.workOrderId))) liveReload();
    },
    { onResync: reload },
  );

  const runAction = async (action: WorkOrderAction) => {
    if (!wo) return;
    if (NEEDS_DIALOG.includes(action)) {
      setDialog(action);
      return;
    }
    setBusyAction(action);
    setRefusal(null);
    try {
      const next = await actOnWorkOrder(wo.id, { action, version: wo.version });
      setWo(next);
      message.success(t('production.actionDone', { code: next.code, status: woStatusText(t, next.status) }));
    } catch (e) {
      const err = asApiError(e);
      setRefusal(err);
      if (err.code === 'STALE_VERSION') reload();
    } finally {
      setBusyAction(null);
    }
  };

  const opCall = async (fn: () => Promise<OperationState>) => {
    try {
      const state = await fn();
      setOpStates((m) => new Map(m).set(state.id, state));
      reload();
    } catch (e) {
      modal.error({ title: t('production.refused'), content: refusalText(t, asApiError(e)) });
    }
  };

  if (!wo) {
    return (
      <div className="takt-page">
        <PageHeader title={t('production.detail.title')} />
        {loadError ? (
          <ProblemAlert
            error={loadError}
            title={t('errors.loadFailed')}
            action={<Button onClick={reload}>{t('common.retry')}</Button>}
          />
        ) : (
          <Spin />
        )}
      </div>
    );
  }

  // An archived order is read-only: no actions, no edits.
  const actions = canExecute && !wo.archived ? allowedActions(wo) : [];
  const materialColumns: TableColumnsType<Material> = [
    { key: 'pos', dataIndex: 'position', title: '#', width: 56 },
    {
      key: 'item',
      title: t('production.columns.item'),
      render: (_, m) => (
        <span>
          <span className="takt-mono">{m.itemCode}</span> {m.itemName}
        </span>
      ),
    },
    {
      key: 'required',
      title: t('production.materials.required'),
      align: 'right',
      width: 110,
      render: (_, m) => <span className="takt-num">{format.decimal(m.qtyRequired)}</span>,
    },
    {
      key: 'issued',
      title: t('production.materials.issued'),
      align: 'right',
      width: 110,
      render: (_, m) => (
        <span className="takt-num" data-testid={`issued-${m.itemCode}`}>
          {format.decimal(m.qtyIssued)}
        </span>
      ),
    },
    {
      key: 'child',
      title: t('production.materials.madeBy'),
      width: 170,
      render: (_, m) => {
        const child = wo.children.find((c) => c.id === m.childWorkOrderId);
        return child ? (
          <Link className="takt-mono" to={`/production/work-orders/${child.id}`}>
            {child.code}
          </Link>
        ) : (
          <Typography.Text type="secondary">{t('production.materials.fromStock')}</Typography.Text>
        );
      },
    },
    ...(canIssue && !wo.archived
      ? [
          {
            key: 'issue',
            width: 100,
            render: (_: unknown, m: Material) => (
              <Button
                size="small"
                onClick={() => setIssuing(m)}
                aria-label={`${t('production.issue.button')} ${m.itemCode}`}
              >
                {t('production.issue.button')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const opColumns: TableColumnsType<Operation> = [
    { key: 'seq', dataIndex: 'seq', title: t('production.ops.seq'), width: 64 },
    {
      key: 'name',
      title: t('production.ops.name'),
      render: (_, o) => (
        <Flex vertical className="takt-cell-stack">
          <span>
            {o.name} {o.inspection ? <Tag color="purple">{t('production.ops.inspection')}</Tag> : null}
          </span>
          <Typography.Text type="secondary" className="takt-small">
            {plant.workCenters.get(o.workCenterId)?.name ?? ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('production.columns.status'),
      width: 220,
      render: (_, o) => {
        const err = opStates.get(o.id)?.dispatchError;
        return (
          <Flex vertical gap={4}>
            <span>
              <OpStatusTag status={o.status} />
            </span>
            {o.status === 'dispatch_failed' && err ? (
              <Typography.Text type="danger" className="takt-small">
                {err}
              </Typography.Text>
            ) : null}
          </Flex>
        );
      },
    },
    {
      key: 'machine',
      title: t('production.ops.machine'),
      width: 200,
      render: (_, o) => {
        const m = o.machineId ? plant.machines.get(o.machineId) : undefined;
        if (o.status === 'ready' && canExecute) {
          return (
            <MachinePicker
              op={o}
              disabled={false}
              onDispatch={(machineId) => opCall(() => dispatchOperation(o.id, machineId))}
            />
          );
        }
        return o.machineId ? (
          <span className="takt-mono">{m ? `${m.code}` : o.machineId.slice(0, 8)}</span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        );
      },
    },
    {
      key: 'minutes',
      title: t('production.ops.planned'),
      width: 120,
      align: 'right',
      render: (_, o) => (
        <span className="takt-num">
          {t('production.ops.minutes', { setup: o.setupMinutes, run: o.plannedMinutes })}
        </span>
      ),
    },
    {
      key: 'good',
      title: t('production.columns.good'),
      width: 80,
      align: 'right',
      render: (_, o) => <span className="takt-num">{format.decimal(o.qtyGood)}</span>,
    },
    {
      key: 'scrap',
      title: t('production.columns.scrap'),
      width: 80,
      align: 'right',
      render: (_, o) => <span className="takt-num">{format.decimal(o.qtyScrap)}</span>,
    },
    {
      key: 'actions',
      width: 140,
      render: (_, o) =>
        o.status === 'dispatch_failed' && canShopfloor ? (
          <Button
            size="small"
            type="primary"
            onClick={() => opCall(() => actOnOperation(o.id, 'retry_dispatch'))}
          >
            {t('production.ops.retryDispatch')}
          </Button>
        ) : null,
    },
  ];

  const canReportOutput =
    canExecute && !wo.archived && (wo.status === 'in_progress' || wo.status === 'paused');
  return (
    <div className="takt-page">
      <PageHeader
        title={`${t('production.detail.title')} ${wo.code}`}
        subtitle={
          <Space size={8} wrap>
            <Link to={wo.archived ? '/production/work-orders?archived=1' : '/production/work-orders'}>
              <ArrowLeftOutlined /> {t('production.detail.back')}
            </Link>
            <WoStatusTag status={wo.status} />
            {wo.archived ? <Tag data-testid="wo-archived">{t('production.list.archived')}</Tag> : null}
            {wo.heldFrom ? (
              <Typography.Text type="secondary">
                {t('production.detail.heldFrom', { status: woStatusText(t, wo.heldFrom) })}
              </Typography.Text>
            ) : null}
          </Space>
        }
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      <Flex vertical gap={16}>
        {actions.length || canReportOutput ? (
          <Card className="takt-card" size="small">
            <Flex gap={8} wrap align="center" className="takt-wo-actions">
              <Typography.Text strong>{t('production.detail.actions')}</Typography.Text>
              {actions.map((a) => (
                <Button
                  key={a}
                  type={PRIMARY.includes(a) ? 'primary' : 'default'}
                  danger={a === 'cancel'}
                  loading={busyAction === a}
                  disabled={busyAction !== null && busyAction !== a}
                  onClick={() => runAction(a)}
                >
                  {t(`production.actions.${a}`)}
                </Button>
              ))}
              {canReportOutput ? (
                <Button onClick={() => setReporting(true)}>{t('production.output.button')}</Button>
              ) : null}
            </Flex>
          </Card>
        ) : null}
        {refusal ? (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setRefusal(null) }}
            title={t('production.refused')}
            description={refusalText(t, refusal)}
          />
        ) : null}
        <Card className="takt-card" size="small">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 4 }}
            className="takt-descriptions"
            items={[
              {
                key: 'code',
                label: t('production.columns.code'),
                children: <span className="takt-mono">{wo.code}</span>,
              },
              {
                key: 'item',
                label: t('production.columns.item'),
                children: (
                  <span>
                    <span className="takt-mono">{wo.itemCode}</span> {wo.itemName}
                  </span>
                ),
              },
              {
                key: 'status',
                label: t('production.columns.status'),
                children: <WoStatusTag status={wo.status} />,
              },
              { key: 'due', label: t('production.columns.dueDate'), children: wo.dueDate ?? '—' },
              {
                key: 'qty',
                label: t('production.detail.quantities'),
                span: 2,
                children: (
                  <span className="takt-num" data-testid="wo-quantities">
                    {t('production.detail.qtyLine', {
                      planned: format.decimal(wo.qty),
                      good: format.decimal(wo.qtyGood),
                      scrap: format.decimal(wo.qtyScrap),
                      received: format.decimal(wo.qtyReceived),
                    })}
                  </span>
                ),
              },
              { key: 'priority', label: t('production.columns.priority'), children: wo.priority },
              {
                key: 'so',
                label: t('production.detail.salesOrder'),
                children: wo.salesOrderId ? (
                  <span className="takt-mono">
                    {salesOrder
                      ? `${salesOrder.code} · ${salesOrder.customerName}`
                      : wo.salesOrderId.slice(0, 8)}
                  </span>
                ) : (
                  t('production.detail.noSalesOrder')
                ),
              },
              {
                key: 'parent',
                label: t('production.detail.parent'),
                children: wo.parentId ? (
                  <Link to={`/production/work-orders/${wo.parentId}`}>
                    {t('production.detail.openParent')}
                  </Link>
                ) : (
                  '—'
                ),
              },
              {
                key: 'children',
                label: t('production.detail.children'),
                span: 3,
                children: wo.children.length ? (
                  <Flex gap={8} wrap>
                    {wo.children.map((c) => (
                      <Space key={c.id} size={4} className="takt-wo-child">
                        <Link className="takt-mono" to={`/production/work-orders/${c.id}`}>
                          {c.code}
                        </Link>
                        <Typography.Text type="secondary" className="takt-mono">
                          {c.itemCode}
                        </Typography.Text>
                        <WoStatusTag status={c.status} />
                      </Space>
                    ))}
                  </Flex>
                ) : (
                  '—'
                ),
              },
            ]}
          />
          <CustomFieldPanel
            entity="work_orders"
            values={wo.customFields}
            column={4}
            save={
              can('production:update') && !wo.archived
                ? async (customFields) =>
                    setWo(await updateWorkOrderCustomFields(wo.id, { version: wo.version, customFields }))
                : undefined
            }
          />
          {!wo.hasBom || !wo.hasRouting ? (
            <Alert
              type="warning"
              showIcon
              className="takt-block"
              title={
                !wo.hasRouting
                  ? t('production.refusals.NO_ACTIVE_ROUTING')
                  : t('production.refusals.NO_ACTIVE_BOM')
              }
            />
          ) : null}
        </Card>
        <Card className="takt-card" size="small" title={t('production.ops.title')}>
          <Table<Operation>
            rowKey="id"
            size="small"
            pagination={false}
            columns={opColumns}
            dataSource={wo.operations}
            scroll={{ x: 980 }}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('production.ops.empty')} />
              ),
            }}
          />
        </Card>
        <Card className="takt-card" size="small" title={t('production.materials.title')}>
          <Table<Material>
            rowKey="id"
            size="small"
            pagination={false}
            columns={materialColumns}
            dataSource={wo.materials}
            scroll={{ x: 700 }}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('production.materials.empty')} />
              ),
            }}
          />
        </Card>
        <Card className="takt-card" size="small" title={t('production.history.title')}>
          {wo.history.length ? (
            <Timeline
              items={[...wo.history].reverse().map((h, i) => ({
                key: `${h.at}-${i}`,
                color: h.to === 'cancelled' ? 'red' : h.to === 'on_hold' ? 'orange' : 'blue',
                content: (
                  <Flex vertical>
                    <Typography.Text>{historyText(t, h, (id) => seqById.get(id))}</Typography.Text>
                    {h.reason ? <Typography.Text type="secondary">{h.reason}</Typography.Text> : null}
                    <Typography.Text type="secondary" className="takt-small">
                      {format.dateTime(h.at)}
                    </Typography.Text>
                  </Flex>
                ),
              }))}
            />
          ) : (
            <Typography.Text type="secondary">{t('production.history.empty')}</Typography.Text>
          )}
        </Card>
      </Flex>
      <ActionDialog
        wo={wo}
        action={dialog}
        onClose={() => setDialog(null)}
        onDone={(next) => {
          setDialog(null);
          setRefusal(null);
          setWo(next);
          message.success(
            t('production.actionDone', { code: next.code, status: woStatusText(t, next.status) }),
          );
        }}
      />
      <IssueDialog
        wo={wo}
        material={issuing}
        onClose={() => setIssuing(null)}
        onDone={(next) => {
          setIssuing(null);
          setWo(next);
          message.success(t('production.issue.done'));
        }}
      />
      <OutputDialog
        wo={wo}
        open={reporting}
        onClose={() => setReporting(false)}
        onDone={(next) => {
          setReporting(false);
          setWo(next);
          message.success(t('production.output.done'));
        }}
      />
    </div>
  );
}

export default WorkOrderDetailPage;
