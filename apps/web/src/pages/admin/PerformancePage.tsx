import { PauseCircleOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { PerformanceReport } from '@takt/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { getPerformance } from '../../api/system.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

const REFRESH_MS = 5000;
/** Samples kept for the sparklines (10 minutes at one every 5 s). */
const HISTORY = 120;

type Route = PerformanceReport['routes'][number];
type SlowQuery = PerformanceReport['slowQueries']['recent'][number];

interface Sample {
  readonly loopP99: number;
  readonly rss: number;
  readonly jobsReady: number;
  readonly outboxPending: number;
}

const MB = 1024 * 1024;

/** A small line of the recent values of one figure. */
function Sparkline({ values, color = '#1677ff' }: { values: readonly number[]; color?: string }) {
  if (values.length < 2) return <div className="takt-sparkline" style={{ height: 28 }} />;
  const width = 160;
  const height = 28;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => {
      const x = (i / (values.length - 1)) * width;
      const y = height - 2 - ((v - min) / span) * (height - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline points={points} fill="none" stroke={color} strokeWidth={1.5} />
    </svg>
  );
}

function StatCard({
  title,
  value,
  suffix,
  warn,
  history,
}: {
  title: string;
  value: number | string;
  suffix?: string;
  warn?: boolean;
  history?: readonly number[];
}) {
  return (
    <Card size="small">
      <Statistic
        title={title}
        value={value}
        suffix={suffix}
        styles={{ content: warn ? { color: '#cf1322' } : {} }}
      />
      {history ? <Sparkline values={history} color={warn ? '#cf1322' : undefined} /> : null}
    </Card>
  );
}

export function PerformancePage() {
  const { t } = useTranslation('performance');
  const format = useFormat();
  const [report, setReport] = useState<PerformanceReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [paused, setPaused] = useState(false);
  const [history, setHistory] = useState<Sample[]>([]);
  const inflight = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    try {
      const next = await getPerformance(controller.signal);
      setReport(next);
      setError(null);
      setHistory((h) =>
        [
          ...h,
          {
            loopP99: next.eventLoop.p99,
            rss: next.memory.rss / MB,
            jobsReady: next.jobs.ready,
            outboxPending: next.outbox.pending,
          },
        ].slice(-HISTORY),
      );
    } catch (err) {
      if (!isAbortError(err)) setError(asApiError(err));
    }
  }, []);

  useEffect(() => {
    void load();
    if (paused) return () => inflight.current?.abort();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      inflight.current?.abort();
    };
  }, [load, paused]);

  const ms = (n: number) => t('ms', { n: n.toFixed(n < 10 ? 2 : 1) });
  const seconds = (n: number | null) => (n === null ? t('none') : format.duration(Math.round(n)));

  const routeColumns: TableColumnsType<Route> = [
    {
      title: t('col.route'),
      key: 'route',
      render: (_, r) => (
        <Space size={4}>
          <Tag>{r.method}</Tag>
          <Typography.Text code>{r.route}</Typography.Text>
        </Space>
      ),
    },
    { title: t('col.count'), dataIndex: 'count', align: 'right', sorter: (a, b) => a.count - b.count },
    {
      title: t('col.errors'),
      dataIndex: 'errors',
      align: 'right',
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
    { title: t('col.p50'), dataIndex: 'p50', align: 'right', render: ms, sorter: (a, b) => a.p50 - b.p50 },
    {
      title: t('col.p95'),
      dataIndex: 'p95',
      align: 'right',
      render: ms,
      sorter: (a, b) => a.p95 - b.p95,
      defaultSortOrder: 'descend',
    },
    { title: t('col.p99'), dataIndex: 'p99', align: 'right', render: ms, sorter: (a, b) => a.p99 - b.p99 },
    { title: t('col.max'), dataIndex: 'max', align: 'right', render: ms },
  ];

  const slowColumns: TableColumnsType<SlowQuery> = [
    {
      title: t('col.at'),
      dataIndex: 'at',
      width: 180,
      render: (v: string) => <span className="takt-nowrap">{format.dateTime(v)}</span>,
    },
    {
      title: t('col.duration'),
      dataIndex: 'durationMs',
      width: 120,
      align: 'right',
      render: (v: number, q) => (
        <Typography.Text type={q.error ? 'danger' : undefined}>{ms(v)}</Typography.Text>
      ),
    },
    {
      title: t('col.sql'),
      dataIndex: 'sql',
      render: (v: string) => (
        <Tooltip title={v}>
          <Typography.Text code ellipsis style={{ maxWidth: 720 }}>
            {v}
          </Typography.Text>
        </Tooltip>
      ),
    },
  ];

  const cacheReads = report ? report.cache.hits + report.cache.misses : 0;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <>
            {report ? (
              <Typography.Text type="secondary">
                {t('updated', { time: format.time(report.at) })}
              </Typography.Text>
            ) : null}
            <Button
              icon={paused ? <PlayCircleOutlined /> : <PauseCircleOutlined />}
              onClick={() => setPaused((p) => !p)}
            >
              {paused ? t('resume') : t('pause')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('refresh')}
            </Button>
          </>
        }
      />
      {error ? <ProblemAlert error={error} title={t('failed')} className="takt-block" /> : null}
      {report ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            title={t('processNote', {
              pid: report.process.pid,
              host: report.process.host,
              role: report.process.role,
              workers: report.process.workers,
            })}
            description={
              <Space size={16} wrap>
                <span>{t('uptime', { time: format.duration(report.process.uptimeSeconds) })}</span>
                <span>{t('database', { db: report.process.database })}</span>
                <span>{t('bus', { bus: report.process.bus })}</span>
              </Space>
            }
          />

          <Card size="small" title={t('section.backlog')}>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.jobsReady')}
                  value={report.jobs.ready}
                  history={history.map((s) => s.jobsReady)}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.oldestJob')}
                  value={seconds(report.jobs.oldestReadyAgeSeconds)}
                  warn={(report.jobs.oldestReadyAgeSeconds ?? 0) > 300}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.outboxPending')}
                  value={report.outbox.pending}
                  history={history.map((s) => s.outboxPending)}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.outboxLag')}
                  value={seconds(report.outbox.lagSeconds)}
                  warn={(report.outbox.lagSeconds ?? 0) > 60}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard title={t('stat.jobsRunning')} value={report.jobs.running} />
              </Col>
              <Col xs={12} md={6}>
                <StatCard title={t('stat.jobsDead')} value={report.jobs.dead} warn={report.jobs.dead > 0} />
              </Col>
            </Row>
          </Card>

          <Card size="small" title={t('section.runtime')}>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.loopP99')}
                  value={ms(report.eventLoop.p99)}
                  warn={report.eventLoop.p99 > 100}
                  history={history.map((s) => s.loopP99)}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard title={t('stat.loopMax')} value={ms(report.eventLoop.max)} />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.rss')}
                  value={(report.memory.rss / MB).toFixed(0)}
                  suffix="MB"
                  history={history.map((s) => s.rss)}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.heap')}
                  value={(report.memory.heapUsed / MB).toFixed(0)}
                  suffix={`/ ${(report.memory.heapTotal / MB).toFixed(0)} MB`}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard
                  title={t('stat.cacheHitRate')}
                  value={cacheReads > 0 ? ((report.cache.hits / cacheReads) * 100).toFixed(1) : t('none')}
                  suffix={cacheReads > 0 ? '%' : undefined}
                />
              </Col>
              <Col xs={12} md={6}>
                <StatCard title={t('stat.cacheSize')} value={report.cache.size} />
              </Col>
              <Col xs={24} md={12}>
                <Card size="small" title={t('section.pool')}>
                  {report.pool ? (
                    <Row gutter={16}>
                      <Col span={8}>
                        <Statistic title={t('stat.poolTotal')} value={report.pool.total} />
                      </Col>
                      <Col span={8}>
                        <Statistic title={t('stat.poolIdle')} value={report.pool.idle} />
                      </Col>
                      <Col span={8}>
                        <Statistic
                          title={t('stat.poolWaiting')}
                          value={report.pool.waiting}
                          styles={{ content: report.pool.waiting > 0 ? { color: '#cf1322' } : {} }}
                        />
                      </Col>
                    </Row>
                  ) : (
                    <Typography.Text type="secondary">{t('poolSqlite')}</Typography.Text>
                  )}
                </Card>
              </Col>
            </Row>
          </Card>

          <Card
            size="small"
            title={t('section.latency')}
            extra={<Typography.Text type="secondary">{t('section.latencyHint')}</Typography.Text>}
          >
            <Table<Route>
              size="small"
              rowKey={(r) => `${r.method} ${r.route}`}
              columns={routeColumns}
              dataSource={report.routes}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('empty')} /> }}
            />
          </Card>

          <Card
            size="small"
            title={t('section.slow')}
            extra={
              <Typography.Text type="secondary">
                {t('section.slowHint', { ms: report.slowQueries.thresholdMs })} · {t('stat.slowTotal')}:{' '}
                {report.slowQueries.total}
              </Typography.Text>
            }
          >
            <Table<SlowQuery>
              size="small"
              rowKey={(q, i) => `${q.at}-${i}`}
              columns={slowColumns}
              dataSource={report.slowQueries.recent}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('noSlow')} /> }}
            />
          </Card>
        </Space>
      ) : null}
    </>
  );
}
