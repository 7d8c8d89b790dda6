import { ReloadOutlined } from '@ant-design/icons';
import type { IntegrationMonitor } from '@takt/contracts';
import { Badge, Button, Card, Col, Flex, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useFormat } from '../../i18n/format.ts';
import { getMonitor } from './api.ts';

const REFRESH_SECONDS = 10;
type Sub = IntegrationMonitor['subscriptions'][number];
type Token = IntegrationMonitor['tokens'][number];

/** Health of the integration hub; polls the monitor API while the page is open. */
export function MonitorPage() {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [data, setData] = useState<IntegrationMonitor | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [at, setAt] = useState<Date | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setLoading(true);
    getMonitor(signal)
      .then((m) => {
        setData(m);
        setError(null);
        setAt(new Date());
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') load(controller.signal);
    }, REFRESH_SECONDS * 1000);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [load]);

  const broker = data?.broker;
  const brokerBadge = !broker?.configured
    ? { status: 'default' as const, text: t('monitor.brokerNone') }
    : broker.connected === true
      ? { status: 'success' as const, text: t('monitor.connected') }
      : broker.connected === false
        ? { status: 'error' as const, text: t('monitor.disconnected') }
        : { status: 'warning' as const, text: t('monitor.unknown') };

  return (
    <div className="takt-page">
      <PageHeader
        title={t('monitor.title')}
        subtitle={t('monitor.subtitle')}
        extra={
          <>
            <Typography.Text type="secondary" className="takt-small">
              {t('monitor.autoRefresh', { s: REFRESH_SECONDS })}
              {at ? ` · ${t('monitor.updated', { time: format.time(at) })}` : ''}
            </Typography.Text>
            <Button icon={<ReloadOutlined />} loading={loading} onClick={() => load()}>
              {tc('common.refresh')}
            </Button>
          </>
        }
      />
      {error ? <ProblemAlert error={error} title={tc('errors.loadFailed')} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card className="takt-card" loading={!data}>
            <Statistic title={t('monitor.outbox')} value={data?.outbox.backlog ?? 0} />
            <Typography.Text type="secondary" className="takt-small">
              {data?.outbox.oldestAgeSeconds != null
                ? t('monitor.oldest', { age: format.duration(data.outbox.oldestAgeSeconds) })
                : '\u00a0'}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card className="takt-card" loading={!data} data-testid="broker-card">
            <Typography.Text type="secondary">{t('monitor.broker')}</Typography.Text>
            <div style={{ fontSize: 20, margin: '6px 0' }}>
              <Badge status={brokerBadge.status} text={brokerBadge.text} />
              {broker?.kind ? <Tag style={{ marginLeft: 8 }}>{broker.kind}</Tag> : null}
            </div>
            <Typography.Text type={broker?.lastError ? 'danger' : 'secondary'} className="takt-small">
              {broker?.lastError ??
                (broker?.lastPublishedAt
                  ? t('monitor.lastPublished', { time: format.relative(broker.lastPublishedAt) })
                  : '\u00a0')}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card className="takt-card" loading={!data}>
            <Statistic title={t('monitor.notificationsPending')} value={data?.notifications.pending ?? 0} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card className="takt-card" loading={!data}>
            <Statistic
              title={t('monitor.notificationsFailed')}
              value={data?.notifications.failed ?? 0}
              styles={{ content: data?.notifications.failed ? { color: '#cf1322' } : {} }}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            className="takt-card"
            title={t('monitor.subscriptions')}
            extra={<Link to="/integration/webhooks">{t('webhooks.title')}</Link>}
          >
            <Table<Sub>
              rowKey="id"
              size="middle"
              pagination={false}
              loading={!data && loading}
              dataSource={data?.subscriptions ?? []}
              locale={{ emptyText: t('monitor.noSubscriptions') }}
              scroll={{ x: 900 }}
              columns={[
                {
                  key: 'name',
                  title: t('webhooks.name'),
                  render: (_, r) => (
                    <Flex gap={8} align="center">
                      <Badge status={r.active ? 'success' : 'default'} />
                      <span>{r.name}</span>
                      {r.active ? null : <Tag>{t('monitor.paused')}</Tag>}
                    </Flex>
                  ),
                },
                {
                  key: 'rate',
                  title: t('monitor.successRate'),
                  width: 200,
                  render: (_, r) =>
                    r.successRate24h === null ? (
                      '—'
                    ) : (
                      <Progress
                        percent={Math.round(r.successRate24h * 1000) / 10}
                        size="small"
                        status={r.successRate24h < 0.9 ? 'exception' : 'normal'}
                      />
                    ),
                },
                {
                  key: 'attempts',
                  title: t('monitor.attempts'),
                  width: 130,
                  align: 'right',
                  render: (_, r) => format.integer(r.attempts24h),
                },
                {
                  key: 'backlog',
                  title: t('monitor.backlog'),
                  width: 100,
                  align: 'right',
                  render: (_, r) => format.integer(r.backlog),
                },
                {
                  key: 'dead',
                  title: t('monitor.dead'),
                  width: 90,
                  align: 'right',
                  render: (_, r) =>
                    r.dead ? <Typography.Text type="danger">{format.integer(r.dead)}</Typography.Text> : 0,
                },
                {
                  key: 'error',
                  title: t('monitor.lastError'),
                  render: (_, r) =>
                    r.lastError ? (
                      <Typography.Text type="danger" className="takt-small">
                        {r.lastError}
                        {r.lastErrorAt ? ` · ${format.relative(r.lastErrorAt)}` : ''}
                      </Typography.Text>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            className="takt-card"
            title={t('monitor.tokens')}
            extra={<Link to="/admin/tokens">{tc('nav.tokens')}</Link>}
          >
            <Table<Token>
              rowKey="id"
              size="middle"
              pagination={false}
              loading={!data && loading}
              dataSource={data?.tokens ?? []}
              locale={{ emptyText: t('monitor.noTokens') }}
              columns={[
                { key: 'name', dataIndex: 'name', title: t('webhooks.name') },
                {
                  key: 'prefix',
                  dataIndex: 'prefix',
                  title: 'ID',
                  width: 160,
                  render: (v: string) => <span className="takt-mono">{v}…</span>,
                },
                {
                  key: 'used',
                  title: t('monitor.lastUsed'),
                  width: 200,
                  render: (_, r) => (r.lastUsedAt ? format.relative(r.lastUsedAt) : t('monitor.never')),
                },
                {
                  key: 'expires',
                  title: t('monitor.expires'),
                  width: 200,
                  render: (_, r) => format.dateTime(r.expiresAt),
                },
                {
                  key: 'state',
                  title: t('webhooks.status'),
                  width: 110,
                  render: (_, r) =>
                    r.revoked ? (
                      <Tag>{t('monitor.revoked')}</Tag>
                    ) : (
                      <Tag color="green">{t('monitor.active')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
