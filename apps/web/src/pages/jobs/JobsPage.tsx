import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  ReloadOutlined,
  RedoOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import type { Job, JobStats, JobStatus, RecurringSchedule } from '@takt/contracts';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Input,
  Row,
  Segmented,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { getJobStats, listJobs, listSchedules, retryJob } from '../../api/jobs.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, ProblemDescription, problemText } from '../../components/ProblemAlert.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';

const STATUSES: JobStatus[] = ['ready', 'running', 'done', 'dead'];
const TABS = ['all', 'dead', 'schedules'] as const;
type TabKey = (typeof TABS)[number];

function isStatus(value: string | null): value is JobStatus {
  return value !== null && (STATUSES as string[]).includes(value);
}

const STATUS_STYLE: Record<JobStatus, { color: string; icon: ReactNode }> = {
  ready: { color: 'blue', icon: <ClockCircleOutlined /> },
  running: { color: 'processing', icon: <SyncOutlined spin /> },
  done: { color: 'success', icon: <CheckCircleOutlined /> },
  dead: { color: 'error', icon: <CloseCircleOutlined /> },
};

function JobStatusTag({ status }: { status: JobStatus }) {
  const { t } = useTranslation();
  const style = STATUS_STYLE[status] ?? { color: 'default', icon: null };
  return (
    <Tag color={style.color} icon={style.icon}>
      {STATUSES.includes(status) ? t(`jobs.status.${status}`) : status}
    </Tag>
  );
}

function DateCell({ value }: { value: string | null }) {
  const format = useFormat();
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={format.relative(value)}>
      <span className="takt-nowrap">{format.dateTime(value)}</span>
    </Tooltip>
  );
}

function JobDetails({ job }: { job: Job }) {
  const { t } = useTranslation();
  const payload = useMemo(() => {
    try {
      return JSON.stringify(job.payload, null, 2);
    } catch {
      return String(job.payload);
    }
  }, [job.payload]);
  return (
    <Descriptions column={{ xs: 1, lg: 2 }} size="small" bordered className="takt-job-details">
      <Descriptions.Item label="ID">
        <Typography.Text code copyable>
          {job.id}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('jobs.columns.queue')}>{job.queue}</Descriptions.Item>
      <Descriptions.Item label={t('jobs.createdAt')}>
        <DateCell value={job.createdAt} />
      </Descriptions.Item>
      <Descriptions.Item label={t('jobs.leaseUntil')}>
        <DateCell value={job.leaseUntil} />
      </Descriptions.Item>
      <Descriptions.Item label={t('jobs.payload')} span={2}>
        <pre className="takt-pre">{payload}</pre>
      </Descriptions.Item>
      <Descriptions.Item label={t('jobs.columns.lastError')} span={2}>
        {job.lastError ? (
          <pre className="takt-pre takt-pre-error">{job.lastError}</pre>
        ) : (
          <Typography.Text type="secondary">{t('jobs.noError')}</Typography.Text>
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

function useRetry(onRetried: (job: Job) => void) {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const [pending, setPending] = useState<Set<string>>(() => new Set());
  const retry = useCallback(
    async (job: Job) => {
      setPending((s) => new Set(s).add(job.id));
      try {
        const updated = await retryJob(job.id);
        message.success(t('jobs.retried', { name: job.name }));
        onRetried(updated);
      } catch (e) {
        const error = asApiError(e);
        notification.error({
          title: t('jobs.retryFailed'),
          description: (
            <ProblemDescription error={error}>
              <div>{problemText(t, error)}</div>
            </ProblemDescription>
          ),
        });
      } finally {
        setPending((s) => {
          const next = new Set(s);
          next.delete(job.id);
          return next;
        });
      }
    },
    [message, notification, onRetried, t],
  );
  return { retry, pending };
}

function JobsTable({
  status,
  name,
  liveTick,
  deadOnly,
  canRetry,
  onChanged,
}: {
  canRetry: boolean;
  status: JobStatus | undefined;
  name: string;
  liveTick: number;
  deadOnly: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const query = { status: deadOnly ? ('dead' as const) : status, name: name || undefined };
  const list = useCursorList<Job>(
    (cursor, limit, signal) => listJobs({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
  );
  const { reload, setItems } = list;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload whenever live events arrive
  useEffect(() => {
    if (liveTick > 0) reload();
  }, [liveTick]);

  const { retry, pending } = useRetry(
    useCallback(
      (updated: Job) => {
        setItems((items) =>
          items.flatMap((j) => {
            if (j.id !== updated.id) return [j];
            return query.status && updated.status !== query.status ? [] : [updated];
          }),
        );
        onChanged();
      },
      [setItems, onChanged, query.status],
    ),
  );

  const columns: TableColumnsType<Job> = [
    {
      key: 'name',
      title: t('jobs.columns.name'),
      width: 240,
      render: (_, job) => (
        <Flex vertical>
          <Typography.Text strong>{job.name}</Typography.Text>
          <Typography.Text type="secondary" className="takt-small">
            {t('jobs.columns.queue')}: {job.queue}
          </Typography.Text>
        </Flex>
      ),
    },
    ...(deadOnly
      ? []
      : [
          {
            key: 'status',
            title: t('jobs.columns.status'),
            width: 120,
            render: (_: unknown, job: Job) => <JobStatusTag status={job.status} />,
          },
        ]),
    {
      key: 'attempts',
      title: t('jobs.columns.attempts'),
      width: 100,
      align: 'right',
      render: (_, job) => (
        <span className="takt-nowrap">
          {job.attempts} / {job.maxAttempts}
        </span>
      ),
    },
    deadOnly
      ? {
          key: 'failedAt',
          title: t('jobs.columns.failedAt'),
          width: 180,
          render: (_, job) => <DateCell value={job.updatedAt} />,
        }
      : {
          key: 'runAt',
          title: t('jobs.columns.runAt'),
          width: 180,
          render: (_, job) => <DateCell value={job.runAt} />,
        },
    {
      key: 'lastError',
      title: t('jobs.columns.lastError'),
      render: (_, job) =>
        job.lastError ? (
          deadOnly ? (
            <Typography.Paragraph
              type="danger"
              className="takt-error-cell"
              ellipsis={{ rows: 3, expandable: true, symbol: t('common.details') }}
            >
              {job.lastError}
            </Typography.Paragraph>
          ) : (
            <Typography.Text
              type="danger"
              ellipsis={{ tooltip: job.lastError }}
              className="takt-error-inline"
            >
              {job.lastError}
            </Typography.Text>
          )
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    ...(canRetry
      ? [
          {
            key: 'actions',
            title: t('jobs.columns.actions'),
            width: 120,
            fixed: 'right' as const,
            render: (_: unknown, job: Job) =>
              job.status === 'dead' ? (
                <Button icon={<RedoOutlined />} loading={pending.has(job.id)} onClick={() => void retry(job)}>
                  {t('jobs.retry')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={12}>
      {list.error ? (
        <ProblemAlert
          error={list.error}
          title={t('errors.loadFailed')}
          action={<Button onClick={reload}>{t('common.retry')}</Button>}
        />
      ) : null}
      <Table<Job>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{ expandedRowRender: (job) => <JobDetails job={job} /> }}
        locale={{ emptyText: deadOnly ? t('jobs.noDead') : t('common.noData') }}
      />
      <LoadMoreFooter list={list} />
    </Flex>
  );
}

function SchedulesTable({ liveTick }: { liveTick: number }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<RecurringSchedule[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` and `liveTick` ask again
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listSchedules(controller.signal)
      .then((data) => {
        setRows(data);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [tick, liveTick]);

  const columns: TableColumnsType<RecurringSchedule> = [
    {
      key: 'name',
      dataIndex: 'name',
      title: t('jobs.columns.name'),
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      key: 'cron',
      dataIndex: 'cron',
      title: t('jobs.columns.cron'),
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      key: 'nextRunAt',
      title: t('jobs.columns.nextRunAt'),
      render: (_, s) => <DateCell value={s.nextRunAt} />,
    },
    {
      key: 'lastRunAt',
      title: t('jobs.columns.lastRunAt'),
      render: (_, s) =>
        s.lastRunAt ? (
          <DateCell value={s.lastRunAt} />
        ) : (
          <Typography.Text type="secondary">{t('jobs.never')}</Typography.Text>
        ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {error ? (
        <ProblemAlert
          error={error}
          title={t('errors.loadFailed')}
          action={<Button onClick={() => setTick((n) => n + 1)}>{t('common.retry')}</Button>}
        />
      ) : null}
      <Table<RecurringSchedule>
        rowKey="name"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('jobs.noSchedules') }}
      />
    </Flex>
  );
}

function StatCard({
  title,
  value,
  active,
  tone,
  onClick,
}: {
  title: string;
  value: ReactNode;
  active?: boolean;
  tone?: 'error';
  onClick?: () => void;
}) {
  return (
    <Card
      className={`takt-card takt-stat-card${active ? ' takt-stat-card-active' : ''}${onClick ? ' takt-clickable' : ''}`}
      size="small"
      onClick={onClick}
      {...(onClick
        ? {
            role: 'button',
            tabIndex: 0,
            'aria-pressed': active,
            onKeyDown: (e: KeyboardEvent) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onClick();
              }
            },
          }
        : {})}
    >
      <Statistic
        title={title}
        value={value as string}
        styles={{ content: tone === 'error' ? { color: 'var(--ant-color-error)' } : {} }}
      />
    </Card>
  );
}

export function JobsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canRetry = can('admin:execute');
  const format = useFormat();
  const [params, update] = useUrlState();
  const tabParam = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'all';
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const name = params.get('name') ?? '';
  const [nameInput, setNameInput] = useState(name);
  const [stats, setStats] = useState<JobStats | null>(null);
  const [statsError, setStatsError] = useState<ApiError | null>(null);
  const [liveTick, setLiveTick] = useState(0);

  const loadStats = useCallback((signal?: AbortSignal) => {
    getJobStats(signal)
      .then((s) => {
        setStats(s);
        setStatsError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setStatsError(asApiError(e));
      });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    loadStats(controller.signal);
    return () => controller.abort();
  }, [loadStats]);

  const refreshAll = useCallback(() => {
    loadStats();
    setLiveTick((n) => n + 1);
  }, [loadStats]);
  const onLiveEvent = useThrottledCallback(refreshAll, 1500);
  useLiveEvents(['job'], onLiveEvent, { onResync: refreshAll });

  const statValue = (n: number | undefined) => (n === undefined ? '—' : format.integer(n));
  const showStatus = (s: JobStatus) => {
    if (s === 'dead') update({ tab: 'dead', status: undefined });
    else update({ tab: undefined, status: status === s && tab === 'all' ? undefined : s });
  };

  return (
    <div className="takt-page">
      <PageHeader
        title={t('jobs.title')}
        subtitle={t('jobs.subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} onClick={refreshAll}>
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      {statsError ? (
        <ProblemAlert error={statsError} title={t('errors.loadFailed')} className="takt-block" />
      ) : null}
      <Row gutter={[12, 12]} className="takt-block">
        {STATUSES.map((s) => (
          <Col key={s} xs={12} sm={8} lg={4}>
            <StatCard
              title={t(`jobs.stats.${s}`)}
              value={statValue(stats?.[s])}
              tone={s === 'dead' && (stats?.dead ?? 0) > 0 ? 'error' : undefined}
              active={(s === 'dead' && tab === 'dead') || (tab === 'all' && status === s)}
              onClick={() => showStatus(s)}
            />
          </Col>
        ))}
        <Col xs={24} sm={16} lg={8}>
          <StatCard
            title={t('jobs.stats.oldestReady')}
            value={
              stats == null
                ? '—'
                : stats.oldestReadyAgeSeconds == null
                  ? t('jobs.stats.oldestReadyNone')
                  : format.duration(stats.oldestReadyAgeSeconds)
            }
          />
        </Col>
      </Row>
      <Card className="takt-card">
        <Tabs
          activeKey={tab}
          onChange={(key) => update({ tab: key === 'all' ? undefined : key })}
          items={[
            {
              key: 'all',
              label: t('jobs.tabs.all'),
              children: (
                <Flex vertical gap={12}>
                  <Flex gap={12} wrap align="center">
                    <Segmented<string>
                      value={status ?? 'all'}
                      onChange={(v) => update({ status: v === 'all' ? undefined : v })}
                      options={[
                        { value: 'all', label: t('common.all') },
                        ...STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) })),
                      ]}
                    />
                    <Input.Search
                      allowClear
                      className="takt-search"
                      placeholder={t('jobs.filterName')}
                      aria-label={t('jobs.filterName')}
                      value={nameInput}
                      onChange={(e) => setNameInput(e.target.value)}
                      onSearch={(v) => update({ name: v.trim() || undefined })}
                      maxLength={100}
                    />
                  </Flex>
                  <JobsTable
                    status={status}
                    name={name}
                    liveTick={liveTick}
                    deadOnly={false}
                    canRetry={canRetry}
                    onChanged={refreshAll}
                  />
                </Flex>
              ),
            },
            {
              key: 'dead',
              label: (
                <span>
                  {t('jobs.tabs.dead')}
                  {stats && stats.dead > 0 ? <Badge count={stats.dead} className="takt-tab-badge" /> : null}
                </span>
              ),
              children: (
                <Flex vertical gap={12}>
                  <Alert type="warning" showIcon title={t('jobs.deadHint')} />
                  <JobsTable
                    status="dead"
                    name=""
                    liveTick={liveTick}
                    deadOnly
                    canRetry={canRetry}
                    onChanged={refreshAll}
                  />
                </Flex>
              ),
            },
            {
              key: 'schedules',
              label: t('jobs.tabs.schedules'),
              children: <SchedulesTable liveTick={liveTick} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}

export default JobsPage;
