import { ReloadOutlined } from '@ant-design/icons';
import type { ApiToken, RequestLogDetail, RequestLogEntry, RequestLogQuery } from '@takt/contracts';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { listTokens } from '../../api/identity.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DateTimeRangeFilter, localToIso, useUrlText, useUserSearch } from '../../components/UrlFilters.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormat } from '../../i18n/format.ts';
import { getRequestEntry, searchRequests } from './api.ts';
import { BodyBlock, HttpStatusTag } from './common.tsx';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
const METHOD_COLOR: Record<string, string> = {
  GET: 'blue',
  POST: 'green',
  PUT: 'orange',
  PATCH: 'gold',
  DELETE: 'red',
};

/** Users and API tokens to filter by (tokens only for administrators, who may list them). */
function ActorFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange(v: string | undefined): void;
}) {
  const { t } = useTranslation('integration');
  const { can } = useAuth();
  const [q, setQ] = useState('');
  const users = useUserSearch(q);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const mayListTokens = can('admin:read');
  useEffect(() => {
    if (!mayListTokens) return;
    const controller = new AbortController();
    listTokens({ limit: 200 }, controller.signal)
      .then((p) => setTokens(p.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [mayListTokens]);
  const ql = q.toLowerCase();
  return (
    <Select
      allowClear
      style={{ width: 240 }}
      placeholder={t('requests.actor')}
      aria-label={t('requests.actor')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={(v?: string) => onChange(v)}
      options={[
        {
          label: t('requests.actorKinds.user'),
          options: users.map((u) => ({ value: `user:${u.id}`, label: `${u.login} · ${u.displayName}` })),
        },
        ...(tokens.length
          ? [
              {
                label: t('requests.actorKinds.token'),
                options: tokens
                  .filter((k) => !ql || k.name.toLowerCase().includes(ql))
                  .map((k) => ({ value: `token:${k.id}`, label: `${k.name} (${k.prefix}…)` })),
              },
            ]
          : []),
      ]}
    />
  );
}

function RequestDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [detail, setDetail] = useState<RequestLogDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!id) return;
    const controller = new AbortController();
    getRequestEntry(id, controller.signal)
      .then(setDetail)
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      });
    return () => controller.abort();
  }, [id]);
  return (
    <Drawer
      open={id !== null}
      size={720}
      onClose={onClose}
      title={
        detail ? `${detail.method} ${detail.route ?? detail.path}` : t('requests.detail', { id: id ?? '' })
      }
      loading={id !== null && !detail && !error}
    >
      {error ? <ProblemAlert error={error} title={tc('errors.loadFailed')} /> : null}
      {detail ? (
        <Flex vertical gap={16} data-testid="request-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('requests.at')}>{format.dateTime(detail.at)}</Descriptions.Item>
            <Descriptions.Item label={t('requests.pathLabel')}>
              <span className="takt-mono">{detail.path}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('requests.status')}>
              <HttpStatusTag status={detail.status} /> {Math.round(detail.durationMs)} ms
            </Descriptions.Item>
            <Descriptions.Item label={t('requests.actor')}>
              <Tag>{t(`requests.actorKinds.${detail.actor.kind}`)}</Tag>
              {detail.actor.name ?? detail.actor.id ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label={tc('common.requestId')}>
              <Typography.Text code copyable>
                {detail.requestId}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('requests.ip')}>{detail.ip ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('requests.idempotencyKey')}>
              {detail.idempotencyKey ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('requests.userAgent')}>
              <span className="takt-small">{detail.userAgent ?? '—'}</span>
            </Descriptions.Item>
          </Descriptions>
          {detail.bodiesVisible ? (
            <>
              {detail.truncated ? <Alert type="info" showIcon title={t('requests.truncated')} /> : null}
              <div>
                <Typography.Title level={5}>{t('requests.requestBody')}</Typography.Title>
                <BodyBlock body={detail.requestBody} empty={t('requests.noBody')} />
              </div>
              <div>
                <Typography.Title level={5}>{t('requests.responseBody')}</Typography.Title>
                <BodyBlock body={detail.responseBody} empty={t('requests.noBody')} />
              </div>
            </>
          ) : (
            <Alert type="info" showIcon title={t('requests.bodiesHidden')} />
          )}
        </Flex>
      ) : null}
    </Drawer>
  );
}

export function RequestLogPage() {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [params, update] = useUrlState();
  const get = (k: string) => params.get(k) ?? undefined;
  const [path, setPath] = useUrlText('path', 400);
  const [open, setOpen] = useState<string | null>(null);

  const filters: Omit<RequestLogQuery, 'limit' | 'cursor'> = {};
  const actor = get('actor');
  if (actor) {
    const [kind, id] = actor.split(':') as ['user' | 'token', string];
    filters.actorKind = kind;
    filters.actorId = id;
  } else if (get('actorKind')) {
    filters.actorKind = get('actorKind') as RequestLogQuery['actorKind'];
  }
  if (get('path')) filters.pathContains = get('path');
  if (get('method')) filters.method = get('method') as RequestLogQuery['method'];
  const status = get('status');
  if (status && /^\d{3}$/.test(status)) filters.status = Number(status);
  else if (status) filters.statusClass = status as RequestLogQuery['statusClass'];
  if (get('from')) filters.from = localToIso(get('from'));
  if (get('to')) filters.to = localToIso(get('to'));
  if (get('minMs')) filters.minDurationMs = Number(get('minMs'));

  const list = useCursorList<RequestLogEntry>(
    (cursor, limit, signal) => searchRequests({ ...filters, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(filters),
    100,
  );

  const columns: TableColumnsType<RequestLogEntry> = [
    {
      key: 'at',
      title: t('requests.at'),
      width: 170,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.at)}</span>,
    },
    {
      key: 'actor',
      title: t('requests.actor'),
      width: 170,
      render: (_, r) =>
        r.actor.kind === 'anonymous' ? (
          <Tag>{t('requests.actorKinds.anonymous')}</Tag>
        ) : (
          <span>
            {r.actor.kind === 'token' ? <Tag color="purple">{t('requests.actorKinds.token')}</Tag> : null}
            {r.actor.name ?? r.actor.id}
          </span>
        ),
    },
    {
      key: 'method',
      dataIndex: 'method',
      title: t('requests.method'),
      width: 90,
      render: (v: string) => <Tag color={METHOD_COLOR[v] ?? 'default'}>{v}</Tag>,
    },
    {
      key: 'path',
      title: t('requests.route'),
      render: (_, r) => (
        <Typography.Text className="takt-mono takt-small" ellipsis={{ tooltip: r.path }}>
          {r.path}
        </Typography.Text>
      ),
    },
    {
      key: 'status',
      title: t('requests.status'),
      width: 90,
      render: (_, r) => <HttpStatusTag status={r.status} />,
    },
    {
      key: 'duration',
      title: t('requests.duration'),
      width: 110,
      align: 'right',
      render: (_, r) => <span className="takt-num">{Math.round(r.durationMs)} ms</span>,
    },
    {
      key: 'ip',
      dataIndex: 'ip',
      title: t('requests.ip'),
      width: 130,
      render: (v: string | null) => v ?? '—',
    },
    {
      key: 'open',
      title: '',
      width: 90,
      render: (_, r) => (
        <Button type="link" onClick={() => setOpen(r.id)}>
          {tc('common.details')}
        </Button>
      ),
    },
  ];

  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="takt-page">
      <PageHeader
        title={t('requests.title')}
        subtitle={t('requests.subtitle')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {tc('common.refresh')}
          </Button>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center">
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('requests.actorKind')}
              aria-label={t('requests.actorKind')}
              value={actor ? undefined : get('actorKind')}
              disabled={Boolean(actor)}
              onChange={(v?: string) => update({ actorKind: v })}
              options={(['user', 'token', 'anonymous'] as const).map((k) => ({
                value: k,
                label: t(`requests.actorKinds.${k}`),
              }))}
            />
            <ActorFilter value={actor} onChange={(v) => update({ actor: v })} />
            <Input
              allowClear
              style={{ width: 220 }}
              placeholder={t('requests.path')}
              aria-label={t('requests.path')}
              value={path}
              onChange={(e) => setPath(e.target.value)}
            />
            <Select
              allowClear
              style={{ width: 120 }}
              placeholder={t('requests.method')}
              aria-label={t('requests.method')}
              value={get('method')}
              onChange={(v?: string) => update({ method: v })}
              options={METHODS.map((m) => ({ value: m, label: m }))}
            />
            <Select
              allowClear
              showSearch
              style={{ width: 130 }}
              placeholder={t('requests.status')}
              aria-label={t('requests.status')}
              value={status}
              onChange={(v?: string) => update({ status: v })}
              options={[
                ...CLASSES.map((c) => ({ value: c, label: c })),
                ...[200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503].map((s) => ({
                  value: String(s),
                  label: String(s),
                })),
              ]}
            />
            <InputNumber
              min={0}
              style={{ width: 170 }}
              placeholder={t('requests.minDuration')}
              aria-label={t('requests.minDuration')}
              value={get('minMs') ? Number(get('minMs')) : null}
              onChange={(v) => update({ minMs: v === null ? undefined : String(v) })}
            />
            <DateTimeRangeFilter
              from={get('from')}
              to={get('to')}
              fromLabel={t('requests.from')}
              toLabel={t('requests.to')}
              onChange={update}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setPath('');
                  update({
                    actor: undefined,
                    actorKind: undefined,
                    path: undefined,
                    method: undefined,
                    status: undefined,
                    minMs: undefined,
                    from: undefined,
                    to: undefined,
                  });
                }}
              >
                {tc('common.reset')}
              </Button>
            ) : null}
          </Flex>
          {list.error ? <ProblemAlert error={list.error} title={tc('errors.loadFailed')} /> : null}
          <Table<RequestLogEntry>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1100 }}
            onRow={(r) => ({ onDoubleClick: () => setOpen(r.id) })}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <RequestDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
