import { ReloadOutlined, TagsOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { DemoAccounts, JobStats } from '@takt/contracts';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Row,
  Skeleton,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, asApiError, isAbortError } from '../api/client.ts';
import { deactivateDemoAccounts, getDemoAccounts } from '../api/identity.ts';
import { getJobStats } from '../api/jobs.ts';
import { getMeta, getReadiness, type Readiness, type SystemMeta } from '../api/system.ts';
import { useAuth } from '../auth/AuthContext.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ProblemAlert, ProblemMeta, problemText } from '../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../hooks/useThrottledCallback.ts';
import { useFormat } from '../i18n/format.ts';
import { useLiveEvents } from '../live/LiveEvents.tsx';

type Loaded<T> = { data: T; error: null } | { data: null; error: ApiError } | null;

function settle<T>(promise: Promise<T>): Promise<Loaded<T>> {
  return promise.then(
    (data) => ({ data, error: null }),
    (e: unknown) => {
      if (isAbortError(e)) throw e;
      return { data: null, error: asApiError(e) };
    },
  );
}

function SystemCard() {
  const { t } = useTranslation();
  const format = useFormat();
  const [meta, setMeta] = useState<Loaded<SystemMeta>>(null);
  const [ready, setReady] = useState<Loaded<Readiness>>(null);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const [loading, setLoading] = useState(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks again
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    Promise.all([settle(getMeta(controller.signal)), settle(getReadiness(controller.signal))])
      .then(([m, r]) => {
        setMeta(m);
        setReady(r);
        setCheckedAt(Date.now());
        setLoading(false);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [tick]);

  const isReady = ready?.data?.status === 'ready';
  return (
    <Card
      title={t('dashboard.system')}
      extra={
        <Button
          type="text"
          icon={<ReloadOutlined />}
          loading={loading && checkedAt !== null}
          onClick={() => setTick((n) => n + 1)}
          aria-label={t('common.refresh')}
        />
      }
      className="takt-card"
    >
      {meta === null ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <Flex vertical gap={12}>
          {meta.data?.demo ? <Alert type="info" showIcon title={t('dashboard.demoBanner')} /> : null}
          {meta.error ? <ProblemAlert error={meta.error} title={t('errors.loadFailed')} /> : null}
          <Descriptions column={1} size="small" colon={false} className="takt-descriptions">
            {meta.data ? (
              <>
                <Descriptions.Item label={t('dashboard.systemName')}>{meta.data.name}</Descriptions.Item>
                <Descriptions.Item label={t('dashboard.version')}>
                  <Typography.Text code>{meta.data.version}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('dashboard.database')}>
                  {meta.data.database === 'postgres' || meta.data.database === 'sqlite'
                    ? t(`dashboard.databases.${meta.data.database}`)
                    : String(meta.data.database)}
                </Descriptions.Item>
                <Descriptions.Item label={t('dashboard.mode')}>
                  {meta.data.demo ? (
                    <Tag color="orange">{t('dashboard.demoMode')}</Tag>
                  ) : (
                    <Tag color="blue">{t('dashboard.productionMode')}</Tag>
                  )}
                </Descriptions.Item>
              </>
            ) : null}
            <Descriptions.Item label={t('dashboard.readiness')}>
              {ready === null ? null : isReady ? (
                <Badge status="success" text={t('dashboard.ready')} />
              ) : (
                <Flex vertical>
                  <Badge status="error" text={t('dashboard.notReady')} />
                  {ready.error ? (
                    <>
                      <Typography.Text type="secondary">{problemText(t, ready.error)}</Typography.Text>
                      <ProblemMeta error={ready.error} />
                    </>
                  ) : (
                    <Typography.Text type="secondary">{ready.data?.status}</Typography.Text>
                  )}
                </Flex>
              )}
            </Descriptions.Item>
          </Descriptions>
          {checkedAt ? (
            <Typography.Text type="secondary" className="takt-small">
              {t('common.lastChecked', { time: format.time(checkedAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      )}
    </Card>
  );
}

function JobsCard() {
  const { t } = useTranslation();
  const format = useFormat();
  const [stats, setStats] = useState<Loaded<JobStats>>(null);

  const load = useCallback((signal?: AbortSignal) => {
    settle(getJobStats(signal))
      .then(setStats)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const refresh = useThrottledCallback(() => load(), 2000);
  useLiveEvents(['job'], refresh, { onResync: refresh });

  const s = stats?.data;
  return (
    <Card
      title={t('dashboard.jobs')}
      extra={
        <Link to="/admin/jobs" className="takt-card-link">
          {t('dashboard.openJobs')}
        </Link>
      }
      className="takt-card"
    >
      {stats === null ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : stats.error ? (
        <ProblemAlert error={stats.error} title={t('errors.loadFailed')} />
      ) : s ? (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={8}>
            <Statistic
              title={t('jobs.stats.ready')}
              value={s.ready}
              formatter={(v) => format.integer(Number(v))}
            />
          </Col>
          <Col xs={12} md={8}>
            <Statistic
              title={t('jobs.stats.running')}
              value={s.running}
              formatter={(v) => format.integer(Number(v))}
            />
          </Col>
          <Col xs={12} md={8}>
            <Statistic
              title={t('jobs.stats.dead')}
              value={s.dead}
              formatter={(v) => format.integer(Number(v))}
              styles={{ content: s.dead > 0 ? { color: 'var(--ant-color-error)' } : {} }}
            />
          </Col>
          <Col xs={12} md={8}>
            <Statistic
              title={t('jobs.stats.done')}
              value={s.done}
              formatter={(v) => format.integer(Number(v))}
            />
          </Col>
          <Col xs={24} md={16}>
            <Statistic
              title={t('jobs.stats.oldestReady')}
              value={
                s.oldestReadyAgeSeconds == null
                  ? t('jobs.stats.oldestReadyNone')
                  : format.duration(s.oldestReadyAgeSeconds)
              }
            />
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}

function ShortcutsCard() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const links = [
    can('masterdata:read')
      ? { to: '/master-data/items', icon: <TagsOutlined />, label: t('dashboard.itemsShortcut') }
      : null,
    can('admin:read')
      ? { to: '/admin/jobs', icon: <ThunderboltOutlined />, label: t('dashboard.jobsShortcut') }
      : null,
  ].filter((l) => l !== null);
  return (
    <Card title={t('dashboard.shortcuts')} className="takt-card">
      {links.length === 0 ? (
        <Typography.Text type="secondary">{t('dashboard.noShortcuts')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {links.map((l) => (
            <Link key={l.to} to={l.to} className="takt-shortcut">
              {l.icon}
              <span>{l.label}</span>
            </Link>
          ))}
        </Flex>
      )}
    </Card>
  );
}

/** Dismissed for the rest of this browser tab's visit, not for good: the accounts stay open until deactivated. */
const DEMO_ACCOUNTS_DISMISSED = 'takt.demoAccountsDismissed';

/**
 * For administrators: demo accounts that still sign in with the password printed in the README, and a
 * button that deactivates them. Shown on the dashboard because that is where an administrator lands.
 */
function DemoAccountsAlert() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [found, setFound] = useState<DemoAccounts | null>(null);
  const [busy, setBusy] = useState(false);
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(DEMO_ACCOUNTS_DISMISSED) === '1');

  useEffect(() => {
    if (dismissed) return;
    const controller = new AbortController();
    getDemoAccounts(controller.signal).then(setFound, () => undefined);
    return () => controller.abort();
  }, [dismissed]);

  if (dismissed || !found || found.count === 0) return null;

  const deactivate = async () => {
    setBusy(true);
    try {
      const done = await deactivateDemoAccounts();
      message.success(t('dashboard.demoAccounts.done', { count: done.deactivated.length }));
      setFound({ count: 0, accounts: [] });
    } catch (e) {
      message.error(problemText(t, asApiError(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Alert
      type="warning"
      showIcon
      className="takt-demo-accounts"
      title={t('dashboard.demoAccounts.title')}
      description={t('dashboard.demoAccounts.description', {
        logins: found.accounts.map((a) => a.login).join(', '),
      })}
      action={
        <Button
          danger
          size="small"
          loading={busy}
          onClick={() =>
            modal.confirm({
              title: t('dashboard.demoAccounts.confirmTitle'),
              content: t('dashboard.demoAccounts.confirmText'),
              okText: t('dashboard.demoAccounts.confirmOk'),
              okButtonProps: { danger: true },
              cancelText: t('common.cancel'),
              onOk: deactivate,
            })
          }
        >
          {t('dashboard.demoAccounts.deactivate')}
        </Button>
      }
      closable={{
        'aria-label': t('common.close'),
        onClose: () => {
          sessionStorage.setItem(DEMO_ACCOUNTS_DISMISSED, '1');
          setDismissed(true);
        },
      }}
      style={{ marginBottom: 16 }}
    />
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const showJobs = can('admin:read');
  return (
    <div className="takt-page">
      <PageHeader
        title={t('dashboard.title')}
        subtitle={t('dashboard.welcome', { name: user?.displayName ?? '' })}
      />
      {can('admin:update') ? <DemoAccountsAlert /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={showJobs ? 10 : 16}>
          <SystemCard />
        </Col>
        {showJobs ? (
          <Col xs={24} lg={14}>
            <JobsCard />
          </Col>
        ) : null}
        <Col xs={24} lg={showJobs ? 10 : 8}>
          <ShortcutsCard />
        </Col>
      </Row>
    </div>
  );
}

export default DashboardPage;
