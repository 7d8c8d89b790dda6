import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { AuditRecord } from '@takt/contracts';
import { Button, Card, Flex, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditFilters, auditExportUrl, searchAudit } from '../../api/identity.ts';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DateTimeRangeFilter, localToIso, useUrlText, useUserSearch } from '../../components/UrlFilters.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormat } from '../../i18n/format.ts';

const ACTION_COLORS: Record<string, string> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  login: 'cyan',
  logout: 'default',
};

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The before → after of each changed field. */
function DiffTable({ record }: { record: AuditRecord }) {
  const { t } = useTranslation();
  const rows = Object.entries(record.diff).map(([field, change]) => ({ field, ...change }));
  if (!rows.length) return <Typography.Text type="secondary">{t('audit.noDiff')}</Typography.Text>;
  return (
    <Flex vertical gap={8}>
      <Table
        className="takt-diff-table"
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            key: 'field',
            dataIndex: 'field',
            title: t('audit.field'),
            width: 180,
            render: (v: string) => <span className="takt-mono">{v}</span>,
          },
          {
            key: 'from',
            title: t('audit.before'),
            render: (_, r) => ('from' in r ? <span className="takt-diff-old">{show(r.from)}</span> : '—'),
          },
          {
            key: 'to',
            title: t('audit.after'),
            render: (_, r) => ('to' in r ? <span className="takt-diff-new">{show(r.to)}</span> : '—'),
          },
        ]}
      />
      <Typography.Text type="secondary" className="takt-small">
        {[
          record.ip ? `IP ${record.ip}` : null,
          record.requestId ? `${t('common.requestId')} ${record.requestId}` : null,
          record.userAgent,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
    </Flex>
  );
}

/** A user picker for the actor filter, searched on the server. */
function UserFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange(v: string | undefined): void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const users = useUserSearch(q);
  return (
    <Select
      allowClear
      className="takt-type-filter"
      placeholder={t('audit.user')}
      aria-label={t('audit.user')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={(v?: string) => onChange(v)}
      options={users.map((u) => ({ value: u.id, label: `${u.login} · ${u.displayName}` }))}
    />
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, update] = useUrlState();
  const get = (k: string) => params.get(k) ?? undefined;
  const [entityId, setEntityId] = useUrlText('entityId', 400);

  const filters: AuditFilters = {};
  const actorId = get('actorId');
  const entityType = get('entityType');
  const action = get('action');
  const from = get('from');
  const to = get('to');
  if (actorId) filters.actorId = actorId;
  if (entityType) filters.entityType = entityType;
  if (get('entityId')) filters.entityId = get('entityId');
  if (action) filters.action = action;
  if (from) filters.from = localToIso(from);
  if (to) filters.to = localToIso(to);

  const list = useCursorList<AuditRecord>(
    (cursor, limit, signal) => searchAudit({ ...filters, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(filters),
    100,
  );

  const columns: TableColumnsType<AuditRecord> = [
    {
      key: 'at',
      title: t('audit.at'),
      width: 180,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.at)}</span>,
    },
    {
      key: 'actor',
      title: t('audit.user'),
      width: 160,
      render: (_, r) =>
        r.actorType === 'system' ? (
          <Tag>{t('audit.system')}</Tag>
        ) : (
          <span>
            {r.actorType === 'token' ? <Tag color="purple">{t('audit.token')}</Tag> : null}
            {r.actorName ?? r.actorId}
          </span>
        ),
    },
    {
      key: 'action',
      dataIndex: 'action',
      title: t('audit.action'),
      width: 130,
      render: (v: string) => <Tag color={ACTION_COLORS[v] ?? 'default'}>{v}</Tag>,
    },
    {
      key: 'entityType',
      dataIndex: 'entityType',
      title: t('audit.entityType'),
      width: 130,
      render: (v: string) => (
        <Typography.Link onClick={() => update({ entityType: v })} className="takt-mono">
          {v}
        </Typography.Link>
      ),
    },
    {
      key: 'entityId',
      dataIndex: 'entityId',
      title: t('audit.entityId'),
      width: 300,
      render: (v: string) => (
        <Typography.Link
          className="takt-mono takt-small"
          onClick={() => {
            setEntityId(v);
            update({ entityId: v });
          }}
        >
          {v}
        </Typography.Link>
      ),
    },
    {
      key: 'fields',
      title: t('audit.changed'),
      render: (_, r) => (
        <Typography.Text type="secondary" ellipsis className="takt-small">
          {Object.keys(r.diff).join(', ')}
        </Typography.Text>
      ),
    },
  ];

  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="takt-page">
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            <Button icon={<DownloadOutlined />} href={auditExportUrl(filters)} download>
              {t('audit.export')}
            </Button>
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center">
            <UserFilter value={actorId} onChange={(v) => update({ actorId: v })} />
            <Input
              allowClear
              style={{ width: 150 }}
              placeholder={t('audit.entityType')}
              aria-label={t('audit.entityType')}
              value={entityType ?? ''}
              onChange={(e) => update({ entityType: e.target.value.trim() || undefined })}
            />
            <Input
              allowClear
              style={{ width: 220 }}
              placeholder={t('audit.entityId')}
              aria-label={t('audit.entityId')}
              value={entityId}
              onChange={(e) => setEntityId(e.target.value)}
            />
            <Input
              allowClear
              style={{ width: 130 }}
              placeholder={t('audit.action')}
              aria-label={t('audit.action')}
              value={action ?? ''}
              onChange={(e) => update({ action: e.target.value.trim() || undefined })}
            />
            <DateTimeRangeFilter
              from={from}
              to={to}
              fromLabel={t('audit.from')}
              toLabel={t('audit.to')}
              onChange={update}
            />
            {filtered ? (
              <Button
                type="link"
                onClick={() => {
                  setEntityId('');
                  update({
                    actorId: undefined,
                    entityType: undefined,
                    entityId: undefined,
                    action: undefined,
                    from: undefined,
                    to: undefined,
                  });
                }}
              >
                {t('common.reset')}
              </Button>
            ) : null}
          </Flex>
          {list.error ? <ProblemAlert error={list.error} title={t('errors.loadFailed')} /> : null}
          <Table<AuditRecord>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1250 }}
            expandable={{ expandedRowRender: (r) => <DiffTable record={r} /> }}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
    </div>
  );
}
