import { CheckOutlined, MoreOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import type { Alert as AlertRow, WorkOrderSummary } from '@takt/contracts';
import type { WorkOrderAction } from '@takt/domain/workorder-state';
import {
  App,
  Badge,
  Button,
  Card,
  Dropdown,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type DragEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  ackAlert,
  actOnWorkOrder,
  listOpenAlerts,
  listStuck,
  listWorkOrders,
  type StuckOp,
} from '../../api/production.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import { actionTo, opStatusText, refusalText, woStatusText } from './common.tsx';
import './board.css';

export const BOARD_COLUMNS = [
  'released',
  'dispatched',
  'in_progress',
  'paused',
  'on_hold',
  'completed',
] as const;
type Column = (typeof BOARD_COLUMNS)[number];
type Columns = Record<Column, WorkOrderSummary[]>;

const EMPTY: Columns = {
  released: [],
  dispatched: [],
  in_progress: [],
  paused: [],
  on_hold: [],
  completed: [],
};

const COLUMN_COLORS: Record<Column, string> = {
  released: 'blue',
  dispatched: 'geekblue',
  in_progress: 'processing',
  paused: 'gold',
  on_hold: 'orange',
  completed: 'green',
};

const DRAG_TYPE = 'application/x-takt-work-order';

interface Pending {
  wo: WorkOrderSummary;
  to: Column;
  action: WorkOrderAction;
}

/** Work orders by status; dragging a card runs the lifecycle action that leads to the column. */
export function BoardPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canMove = can('production:execute');
  const canAck = can('alerts:acknowledge');

  const [columns, setColumns] = useState<Columns>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [dragging, setDragging] = useState<WorkOrderSummary | null>(null);
  const [over, setOver] = useState<Column | null>(null);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [reasonFor, setReasonFor] = useState<Pending | null>(null);
  const [stuck, setStuck] = useState<StuckOp[]>([]);
  const [alerts, setAlerts] = useState<AlertRow[]>([]);
  const [sideTick, setSideTick] = useState(0);
  const [reasonForm] = Form.useForm<{ reason: string }>();

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const reloadSide = useCallback(() => setSideTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all(BOARD_COLUMNS.map((status) => listWorkOrders({ status, limit: 200 }, controller.signal)))
      .then((pages) => {
        const next = { ...EMPTY };
        BOARD_COLUMNS.forEach((status, i) => {
          next[status] = [...(pages[i]?.items ?? [])].sort(
            (a, b) => b.priority - a.priority || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'),
          );
        });
        setColumns(next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [tick]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `sideTick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    listStuck(controller.signal)
      .then(setStuck)
      .catch(() => undefined);
    listOpenAlerts(controller.signal)
      .then(setAlerts)
      .catch(() => undefined);
    return () => controller.abort();
  }, [sideTick]);

  const liveReload = useThrottledCallback(reload, 800);
  const liveSide = useThrottledCallback(reloadSide, 2000);
  useLiveEvents(
    ['workorder', 'operation', 'alert'],
    (event) => {
      if (event.type.startsWith('workorder.')) liveReload();
      else liveSide();
    },
    {
      onResync: () => {
        reload();
        reloadSide();
      },
    },
  );

  const move = async (p: Pending, reason?: string) => {
    const from = p.wo.status as Column;
    // The card moves at once; a refusal puts it back.
    setColumns((c) => ({
      ...c,
      [from]: c[from].filter((w) => w.id !== p.wo.id),
      [p.to]: [{ ...p.wo, status: p.to }, ...c[p.to]],
    }));
    setBusy((s) => new Set(s).add(p.wo.id));
    try {
      const next = await actOnWorkOrder(p.wo.id, {
        action: p.action,
        version: p.wo.version,
        ...(reason ? { reason } : {}),
      });
      setColumns((c) => ({
        ...c,
        [p.to]: c[p.to].map((w) => (w.id === next.id ? { ...w, ...pick(next) } : w)),
      }));
      message.success(t('production.actionDone', { code: next.code, status: woStatusText(t, next.status) }));
    } catch (e) {
      setColumns((c) => ({
        ...c,
        [p.to]: c[p.to].filter((w) => w.id !== p.wo.id),
        [from]: [p.wo, ...c[from].filter((w) => w.id !== p.wo.id)],
      }));
      message.error({
        content: `${t('production.board.refused', { code: p.wo.code })} ${refusalText(t, asApiError(e))}`,
        duration: 6,
      });
      reload();
    } finally {
      setBusy((s) => {
        const n = new Set(s);
        n.delete(p.wo.id);
        return n;
      });
    }
  };

  const request = (wo: WorkOrderSummary, to: Column) => {
    if (wo.status === to) return;
    const action = actionTo(wo, to);
    if (!action) {
      message.warning(
        t('production.board.notAllowed', { from: woStatusText(t, wo.status), to: woStatusText(t, to) }),
      );
      return;
    }
    if (action === 'hold') {
      reasonForm.resetFields();
      setReasonFor({ wo, to, action });
      return;
    }
    void move({ wo, to, action });
  };

  const onDrop = (e: DragEvent<HTMLElement>, to: Column) => {
    e.preventDefault();
    setOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE) || dragging?.id;
    const wo = Object.values(columns)
      .flat()
      .find((w) => w.id === id);
    setDragging(null);
    if (wo) request(wo, to);
  };

  const ack = async (a: AlertRow) => {
    try {
      await ackAlert(a.id);
      setAlerts((list) => list.filter((x) => x.id !== a.id));
    } catch (e) {
      message.error(refusalText(t, asApiError(e)));
    }
  };

  return (
    <div className="takt-page">
      <PageHeader
        title={t('production.board.title')}
        subtitle={t('production.board.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button
              icon={<ReloadOutlined />}
              loading={loading}
              onClick={() => {
                reload();
                reloadSide();
              }}
            >
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      {error ? (
        <ProblemAlert
          error={error}
          title={t('errors.loadFailed')}
          action={<Button onClick={reload}>{t('common.retry')}</Button>}
        />
      ) : null}
      <div className="takt-board">
        <div className="takt-board-columns">
          {BOARD_COLUMNS.map((col) => {
            const allowed = dragging ? dragging.status === col || actionTo(dragging, col) !== null : true;
            return (
              <section
                key={col}
                aria-label={woStatusText(t, col)}
                data-column={col}
                className={`takt-board-column${over === col && allowed ? ' is-target' : ''}${
                  dragging && !allowed ? ' is-blocked' : ''
                }`}
                onDragOver={(e) => {
                  if (!dragging || !allowed) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  if (over !== col) setOver(col);
                }}
                onDragLeave={() => setOver((o) => (o === col ? null : o))}
                onDrop={(e) => onDrop(e, col)}
              >
                <div className="takt-board-column-head">
                  <Badge
                    color={COLUMN_COLORS[col] === 'processing' ? 'blue' : COLUMN_COLORS[col]}
                    text={woStatusText(t, col)}
                  />
                  <Tag>{columns[col].length}</Tag>
                </div>
                {columns[col].length === 0 ? (
                  <Typography.Text type="secondary" className="takt-small">
                    {t('production.board.emptyColumn')}
                  </Typography.Text>
                ) : null}
                {columns[col].map((wo) => {
                  const targets = BOARD_COLUMNS.filter((c) => c !== col && actionTo(wo, c) !== null);
                  return (
                    <Card
                      key={wo.id}
                      size="small"
                      data-wo={wo.code}
                      className={`takt-board-card${dragging?.id === wo.id ? ' is-dragging' : ''}${
                        busy.has(wo.id) ? ' is-busy' : ''
                      }`}
                      draggable={canMove && !busy.has(wo.id)}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, wo.id);
                        e.dataTransfer.effectAllowed = 'move';
                        setDragging(wo);
                      }}
                      onDragEnd={() => {
                        setDragging(null);
                        setOver(null);
                      }}
                    >
                      <Flex justify="space-between" align="flex-start" gap={4}>
                        <Link
                          className="takt-mono takt-nowrap"
                          to={`/production/work-orders/${wo.id}`}
                          draggable={false}
                        >
                          {wo.code}
                        </Link>
                        {canMove && targets.length ? (
                          <Dropdown
                            trigger={['click']}
                            menu={{
                              items: targets.map((c) => ({
                                key: c,
                                label: t('production.board.moveTo', { status: woStatusText(t, c) }),
                              })),
                              onClick: ({ key }) => request(wo, key as Column),
                            }}
                          >
                            <Button
                              type="text"
                              size="small"
                              icon={<MoreOutlined />}
                              aria-label={t('production.board.moveMenu', { code: wo.code })}
                            />
                          </Dropdown>
                        ) : null}
                      </Flex>
                      <Typography.Text className="takt-mono takt-small">{wo.itemCode}</Typography.Text>
                      <Typography.Paragraph type="secondary" className="takt-small" ellipsis={{ rows: 1 }}>
                        {wo.itemName}
                      </Typography.Paragraph>
                      <Flex justify="space-between" gap={8} className="takt-small">
                        <span className="takt-num">
                          {format.decimal(wo.qtyGood)} / {format.decimal(wo.qty)}
                        </span>
                        {wo.dueDate ? (
                          <Tooltip title={t('production.columns.dueDate')}>
                            <span>{wo.dueDate}</span>
                          </Tooltip>
                        ) : null}
                      </Flex>
                    </Card>
                  );
                })}
              </section>
            );
          })}
        </div>
        <aside className="takt-board-side">
          <Card
            size="small"
            className="takt-card"
            title={
              <span>
                <WarningOutlined /> {t('production.board.stuck')} <Tag>{stuck.length}</Tag>
              </span>
            }
          >
            {stuck.length ? (
              <List
                size="small"
                dataSource={stuck}
                renderItem={(s) => (
                  <List.Item>
                    <Flex vertical>
                      <Link className="takt-mono" to={`/production/work-orders/${s.workOrderId}`}>
                        {s.workOrderCode} · {s.seq}
                      </Link>
                      <Typography.Text type="secondary" className="takt-small">
                        {t('production.board.stuckFor', {
                          status: opStatusText(t, s.status),
                          time: format.duration(s.minutes * 60),
                        })}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('production.board.noStuck')} />
            )}
          </Card>
          <Card
            size="small"
            className="takt-card"
            title={
              <span>
                {t('production.board.alerts')}{' '}
                <Tag color={alerts.length ? 'red' : 'default'}>{alerts.length}</Tag>
              </span>
            }
          >
            {alerts.length ? (
              <List
                size="small"
                dataSource={alerts}
                renderItem={(a) => (
                  <List.Item
                    actions={
                      canAck
                        ? [
                            <Button
                              key="ack"
                              size="small"
                              icon={<CheckOutlined />}
                              onClick={() => ack(a)}
                              aria-label={`${t('production.board.ack')} ${a.title}`}
                            >
                              {t('production.board.ack')}
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <Flex vertical>
                      <Typography.Text strong>
                        <Tag color={a.severity === 'critical' || a.severity === 'error' ? 'red' : 'orange'}>
                          {a.severity}
                        </Tag>
                        {a.title}
                      </Typography.Text>
                      <Typography.Text type="secondary" className="takt-small">
                        {a.detail}
                      </Typography.Text>
                      <Typography.Text type="secondary" className="takt-small">
                        {format.relative(a.createdAt)}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('production.board.noAlerts')} />
            )}
          </Card>
        </aside>
      </div>
      <Modal
        open={reasonFor !== null}
        title={reasonFor ? t('production.actionTitles.hold', { code: reasonFor.wo.code }) : ''}
        okText={t('production.actions.hold')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onCancel={() => setReasonFor(null)}
        onOk={() => reasonForm.submit()}
        destroyOnHidden
      >
        <Form
          form={reasonForm}
          layout="vertical"
          onFinish={(v) => {
            const p = reasonFor;
            setReasonFor(null);
            if (p) void move(p, v.reason.trim());
          }}
        >
          <Form.Item
            name="reason"
            label={t('production.reason')}
            rules={[{ required: true, whitespace: true, message: t('production.form.reasonRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={300} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function pick(d: WorkOrderSummary): WorkOrderSummary {
  const {
    materials: _m,
    operations: _o,
    children: _c,
    history: _h,
    ...rest
  } = d as WorkOrderSummary & {
    materials?: unknown;
    operations?: unknown;
    children?: unknown;
    history?: unknown;
  };
  return rest;
}

export default BoardPage;
