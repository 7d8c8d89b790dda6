import { PlayCircleOutlined, ReloadOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import type { FromPlannedResult, MrpAction, MrpPlannedOrder, MrpRun, MrpShortage } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Modal,
  Progress,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { asApiError } from '../../api/client.ts';
import { listMrpActions, listMrpRuns, listPlannedOrders, listShortages, startMrpRun } from '../../api/mrp.ts';
import { purchaseOrdersFromPlanned } from '../../api/purchasing.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';

const RUN_COLORS: Record<MrpRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'green',
  failed: 'red',
};
const TABS = ['planned', 'shortages', 'actions'] as const;
type TabKey = (typeof TABS)[number];
const KINDS = ['all', 'buy', 'make'] as const;
type KindFilter = (typeof KINDS)[number];

/** MRP: start a run and follow its progress live, then work through its planned orders, shortages and actions. */
export function MrpPage() {
  const { t } = useTranslation('mrp');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [params, update] = useUrlState();
  const [start, setStart] = useState('');
  const [starting, setStarting] = useState(false);
  const [live, setLive] = useState<Record<string, number>>({});

  const runs = useCursorList<MrpRun>(
    (cursor, limit, signal) => listMrpRuns({ limit, ...(cursor ? { cursor } : {}) }, signal),
    'runs',
    20,
  );
  const reloadRuns = useThrottledCallback(runs.reload, 500);
  useLiveEvents(
    ['mrp'],
    (event) => {
      const data = (event.data ?? {}) as {
        id?: string;
        progress?: number;
        status?: string;
        error?: string | null;
      };
      if (event.type === 'mrp.progress' && data.id && typeof data.progress === 'number') {
        const { id, progress } = data;
        setLive((m) => ({ ...m, [id]: progress }));
        return;
      }
      if (event.type === 'mrp.completed') {
        if (data.status === 'done') message.success(t('finished'));
        else message.error(`${t('failed')}${data.error ? `: ${data.error}` : ''}`);
        if (data.id && !params.get('run')) update({ run: data.id });
      }
      reloadRuns();
    },
    { onResync: runs.reload },
  );

  const active = runs.items.find((r) => r.status === 'queued' || r.status === 'running');
  const runParam = params.get('run');
  const selected =
    runs.items.find((r) => r.id === runParam) ?? runs.items.find((r) => r.status === 'done') ?? undefined;

  const run = async () => {
    setStarting(true);
    try {
      const r = await startMrpRun(start || undefined);
      if (r.status === 'running' && r.progress > 0) message.info(t('alreadyRunning'));
      else message.success(t('started'));
      runs.reload();
    } catch (e) {
      message.error(problemText(tc, asApiError(e)));
    } finally {
      setStarting(false);
    }
  };

  const progressOf = (r: MrpRun) => (r.status === 'done' ? 100 : Math.max(r.progress, live[r.id] ?? 0));
  const runColumns: TableColumnsType<MrpRun> = [
    {
      key: 'created',
      title: t('columns.started'),
      width: 170,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.startedAt ?? r.createdAt)}</span>,
    },
    {
      key: 'status',
      title: t('columns.status'),
      width: 110,
      render: (_, r) => <Tag color={RUN_COLORS[r.status]}>{t(`status.${r.status}`)}</Tag>,
    },
    {
      key: 'progress',
      title: t('columns.progress'),
      width: 160,
      render: (_, r) => (
        <Progress
          percent={progressOf(r)}
          size="small"
          status={r.status === 'failed' ? 'exception' : r.status === 'done' ? 'success' : 'active'}
        />
      ),
    },
    { key: 'planStart', dataIndex: 'planStart', title: t('columns.planStart'), width: 110 },
    {
      key: 'summary',
      title: t('columns.summary'),
      render: (_, r) =>
        r.status === 'failed' ? (
          <Typography.Text type="danger">{r.error}</Typography.Text>
        ) : r.status === 'done' ? (
          t('summary', {
            planned: r.summary.plannedOrders ?? 0,
            shortages: r.summary.shortages ?? 0,
            actions: r.summary.actions ?? 0,
          })
        ) : (
          '—'
        ),
    },
  ];

  const tabParam = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'planned';

  return (
    <div className="takt-page">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={runs.reload}>
              {tc('common.refresh')}
            </Button>
            {can('production:execute') ? (
              <>
                <Input
                  type="date"
                  style={{ width: 160 }}
                  aria-label={t('startDate')}
                  title={t('startDate')}
                  value={start}
                  onChange={(e) => setStart(e.target.value)}
                />
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  loading={starting || Boolean(active)}
                  onClick={() => void run()}
                >
                  {active ? t('running') : t('run')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Flex vertical gap={16}>
        {active ? (
          <Card className="takt-card" data-testid="mrp-active">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text>
                {t(`status.${active.status}`)} · {t('columns.planStart')} {active.planStart}
              </Typography.Text>
              <Progress percent={progressOf(active)} status="active" />
            </Space>
          </Card>
        ) : null}
        <Card className="takt-card" title={t('runs')} data-testid="mrp-runs">
          {runs.error ? <ProblemAlert error={runs.error} title={tc('errors.loadFailed')} /> : null}
          <Table<MrpRun>
            rowKey="id"
            size="small"
            columns={runColumns}
            dataSource={runs.items}
            loading={runs.loading}
            pagination={false}
            scroll={{ x: 760, y: 220 }}
            rowClassName={(r) => (r.id === selected?.id ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({
              onClick: () => r.status === 'done' && update({ run: r.id }),
              style: { cursor: r.status === 'done' ? 'pointer' : 'default' },
            })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noRuns')} /> }}
          />
          <LoadMoreFooter list={runs} />
        </Card>
        {selected ? (
          <Card className="takt-card">
            <Tabs
              activeKey={tab}
              onChange={(k) => update({ tab: k === 'planned' ? undefined : k })}
              items={[
                {
                  key: 'planned',
                  label: `${t('tabs.planned')} (${selected.summary.plannedOrders ?? 0})`,
                  children: <PlannedOrders runId={selected.id} />,
                },
                {
                  key: 'shortages',
                  label: `${t('tabs.shortages')} (${selected.summary.shortages ?? 0})`,
                  children: <Shortages runId={selected.id} />,
                },
                {
                  key: 'actions',
                  label: `${t('tabs.actions')} (${selected.summary.actions ?? 0})`,
                  children: <Actions runId={selected.id} />,
                },
              ]}
            />
          </Card>
        ) : runs.items.length ? (
          <Alert type="info" showIcon title={t('selectRun')} />
        ) : null}
      </Flex>
    </div>
  );
}

function ItemCode({ code }: { code: string }) {
  return <span className="takt-mono">{code}</span>;
}

function PlannedOrders({ runId }: { runId: string }) {
  const { t } = useTranslation('mrp');
  const { t: tp } = useTranslation('purchasing');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [result, setResult] = useState<FromPlannedResult | null>(null);
  const [kind, setKind] = useState<KindFilter>('all');
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const list = useCursorList<MrpPlannedOrder>(
    (cursor, limit, signal) =>
      listPlannedOrders(
        runId,
        { limit, ...(kind === 'all' ? {} : { kind }), ...(cursor ? { cursor } : {}) },
        signal,
      ),
    `${runId}:${kind}`,
    200,
  );
  const canBuy = can('purchasing:create');

  const create = async () => {
    setCreating(true);
    try {
      const result = await purchaseOrdersFromPlanned(selected);
      setSelected([]);
      setResult(result);
      list.reload();
    } catch (e) {
      message.error(`${t('createFailed')}: ${problemText(tc, asApiError(e))}`);
    } finally {
      setCreating(false);
    }
  };

  const columns: TableColumnsType<MrpPlannedOrder> = [
    {
      key: 'ref',
      title: t('columns.ref'),
      width: 130,
      render: (_, p) => <span className="takt-mono">{p.ref}</span>,
    },
    {
      key: 'kind',
      title: t('columns.kind'),
      width: 80,
      render: (_, p) => <Tag color={p.kind === 'buy' ? 'blue' : 'purple'}>{t(`kind.${p.kind}`)}</Tag>,
    },
    { key: 'item', title: t('columns.item'), width: 140, render: (_, p) => <ItemCode code={p.itemCode} /> },
    {
      key: 'qty',
      title: t('columns.qty'),
      width: 100,
      align: 'right',
      render: (_, p) => <span className="takt-num">{format.decimal(p.qty)}</span>,
    },
    {
      key: 'release',
      title: t('columns.releaseDate'),
      width: 150,
      render: (_, p) => (
        <Space size={4}>
          <span className="takt-nowrap">{p.releaseDate}</span>
          {p.pastDue ? <Tag color="red">{t('pastDueTag')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'due', dataIndex: 'dueDate', title: t('columns.dueDate'), width: 110 },
    {
      key: 'pegging',
      title: t('columns.pegging'),
      render: (_, p) =>
        p.pegging.map((pg, i) => (
          <Tag key={`${pg.source.kind}:${pg.source.id ?? i}`}>
            {pg.source.kind} × {format.decimal(pg.qty)}
          </Tag>
        )),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={12} wrap align="center" justify="space-between">
        <Segmented<KindFilter>
          value={kind}
          onChange={(v) => {
            setKind(v);
            setSelected([]);
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`filter.${k}`) }))}
        />
        {canBuy ? (
          <Space wrap>
            <Typography.Text type="secondary">
              {selected.length ? t('selected', { count: selected.length }) : t('createPosHint')}
            </Typography.Text>
            <Button
              type="primary"
              icon={<ShoppingCartOutlined />}
              disabled={!selected.length}
              loading={creating}
              onClick={() => void create()}
            >
              {t('createPos')}
            </Button>
          </Space>
        ) : null}
      </Flex>
      {list.error ? <ProblemAlert error={list.error} title={tc('errors.loadFailed')} /> : null}
      <Table<MrpPlannedOrder>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 900, y: 420 }}
        rowSelection={
          canBuy
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (p) => ({ disabled: p.kind !== 'buy' }),
              }
            : undefined
        }
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> }}
      />
      <LoadMoreFooter list={list} />
      <Modal
        open={result !== null}
        title={t('created', { count: result?.purchaseOrders.length ?? 0 })}
        footer={<Button onClick={() => setResult(null)}>{tc('common.close')}</Button>}
        onCancel={() => setResult(null)}
      >
        <Flex vertical gap={4} data-testid="created-purchase-orders">
          {(result?.purchaseOrders ?? []).map((po) => (
            <Link key={po.id} to={`/purchasing/orders/${po.id}`}>
              <span className="takt-mono">{po.code}</span> {po.supplierName} · {tp(`status.${po.status}`)}
            </Link>
          ))}
          {result?.alreadyOrdered.length ? (
            <Typography.Text type="secondary">
              {t('alreadyOrdered', { count: result.alreadyOrdered.length })}
            </Typography.Text>
          ) : null}
        </Flex>
      </Modal>
    </Flex>
  );
}

function Shortages({ runId }: { runId: string }) {
  const { t } = useTranslation('mrp');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const list = useCursorList<MrpShortage>(
    (cursor, limit, signal) => listShortages(runId, { limit, ...(cursor ? { cursor } : {}) }, signal),
    runId,
    200,
  );
  const columns: TableColumnsType<MrpShortage> = [
    { key: 'item', title: t('columns.item'), width: 140, render: (_, s) => <ItemCode code={s.itemCode} /> },
    { key: 'date', dataIndex: 'date', title: t('columns.date'), width: 120 },
    {
      key: 'qty',
      title: t('columns.qty'),
      width: 100,
      align: 'right',
      render: (_, s) => <span className="takt-num">{format.decimal(s.qty)}</span>,
    },
    { key: 'release', dataIndex: 'releaseDate', title: t('columns.releaseDate'), width: 120 },
  ];
  return (
    <Flex vertical gap={12}>
      {list.error ? <ProblemAlert error={list.error} title={tc('errors.loadFailed')} /> : null}
      <Table<MrpShortage>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 480, y: 420 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> }}
      />
      <LoadMoreFooter list={list} />
    </Flex>
  );
}

function Actions({ runId }: { runId: string }) {
  const { t } = useTranslation('mrp');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const list = useCursorList<MrpAction>(
    (cursor, limit, signal) => listMrpActions(runId, { limit, ...(cursor ? { cursor } : {}) }, signal),
    runId,
    200,
  );
  const columns: TableColumnsType<MrpAction> = [
    {
      key: 'kind',
      title: t('columns.kind'),
      width: 100,
      render: (_, a) => <Tag color={a.kind === 'expedite' ? 'orange' : 'default'}>{t(`kind.${a.kind}`)}</Tag>,
    },
    { key: 'item', title: t('columns.item'), width: 140, render: (_, a) => <ItemCode code={a.itemCode} /> },
    {
      key: 'qty',
      title: t('columns.qty'),
      width: 100,
      align: 'right',
      render: (_, a) => <span className="takt-num">{format.decimal(a.qty)}</span>,
    },
    {
      key: 'receipt',
      title: t('columns.receipt'),
      width: 160,
      render: (_, a) =>
        a.receipt?.type === 'work_order' ? (
          <Link to={`/production/work-orders/${a.receipt.id}`}>{a.receipt.type.replaceAll('_', ' ')}</Link>
        ) : (
          (a.receipt?.type.replaceAll('_', ' ') ?? '—')
        ),
    },
    { key: 'current', title: t('columns.currentDue'), width: 120, render: (_, a) => a.currentDue ?? '—' },
    {
      key: 'suggested',
      title: t('columns.suggestedDue'),
      width: 150,
      render: (_, a) => (
        <Space size={4}>
          <span>{a.suggestedDue ?? '—'}</span>
          {a.pastDue ? <Tag color="red">{t('pastDueTag')}</Tag> : null}
        </Space>
      ),
    },
  ];
  return (
    <Flex vertical gap={12}>
      {list.error ? <ProblemAlert error={list.error} title={tc('errors.loadFailed')} /> : null}
      <Table<MrpAction>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 770, y: 420 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> }}
      />
      <LoadMoreFooter list={list} />
    </Flex>
  );
}

export default MrpPage;
