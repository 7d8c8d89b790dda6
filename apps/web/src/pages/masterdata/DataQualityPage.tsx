import { MergeCellsOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ComplianceReport, MergeEntity, MergeResult } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Modal,
  Radio,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { getComplianceReport, mergeRecords } from '../../api/customFields.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

type Violation = ComplianceReport['violations'][number];
type Group = ComplianceReport['duplicateGroups'][number];
const MERGEABLE: ReadonlySet<string> = new Set<MergeEntity>(['items', 'customers', 'suppliers']);

/** Pick the record to keep, see what moves (a dry run), then merge. */
function MergeModal({
  group,
  onClose,
  onMerged,
}: {
  group: Group | null;
  onClose(): void;
  onMerged(): void;
}) {
  const { t } = useTranslation('customFields');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [keepId, setKeepId] = useState<string | null>(null);
  const [preview, setPreview] = useState<MergeResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setKeepId(group?.ids[0] ?? null);
  }, [group]);

  const entity = group?.entity as MergeEntity | undefined;
  const body = useCallback(
    () => ({ keepId: keepId ?? '', mergeIds: (group?.ids ?? []).filter((id) => id !== keepId) }),
    [group, keepId],
  );

  useEffect(() => {
    if (!entity || !keepId) return;
    let live = true;
    setPreview(null);
    setError(null);
    mergeRecords(entity, body(), true)
      .then((r) => {
        if (live) setPreview(r);
      })
      .catch((e: unknown) => {
        if (live && !isAbortError(e)) setError(asApiError(e));
      });
    return () => {
      live = false;
    };
  }, [entity, keepId, body]);

  const run = async () => {
    if (!entity) return;
    setBusy(true);
    try {
      const r = await mergeRecords(entity, body(), false);
      message.success(
        t('quality.merged', { codes: r.merged.map((m) => m.code).join(', '), code: r.keep.code }),
      );
      onMerged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const keepCode = group ? group.codes[group.ids.indexOf(keepId ?? '')] : '';
  return (
    <Modal
      open={group !== null}
      width={640}
      title={group ? t('quality.mergeTitle', { entity: t(`entities.${group.entity as MergeEntity}`) }) : ''}
      okText={t('quality.confirm', { code: keepCode ?? '' })}
      okButtonProps={{ danger: true, disabled: !preview || !!error, 'data-testid': 'merge-confirm' }}
      cancelText={tc('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void run()}
      destroyOnHidden
    >
      {group ? (
        <Flex vertical gap={12}>
          <Typography.Text strong>{t('quality.keep')}</Typography.Text>
          <Radio.Group value={keepId} onChange={(e) => setKeepId(e.target.value as string)}>
            <Space direction="vertical">
              {group.ids.map((id, i) => (
                <Radio key={id} value={id}>
                  <span className="takt-mono">{group.codes[i]}</span>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Typography.Text type="secondary">{t('quality.keepHelp')}</Typography.Text>
          {error ? <ProblemAlert error={error} /> : null}
          {!preview && !error ? <Spin tip={t('quality.counting')} /> : null}
          {preview ? (
            <>
              <Typography.Text strong>{t('quality.moves')}</Typography.Text>
              {preview.references.length === 0 ? (
                <Alert type="info" showIcon title={t('quality.noMoves')} />
              ) : (
                <Table
                  size="small"
                  rowKey={(r) => `${r.table}.${r.column}`}
                  pagination={false}
                  dataSource={preview.references}
                  data-testid="merge-preview"
                  columns={[
                    {
                      key: 'table',
                      title: t('quality.table'),
                      render: (_, r) => <span className="takt-mono">{`${r.table}.${r.column}`}</span>,
                    },
                    { key: 'count', dataIndex: 'count', title: t('quality.rows'), width: 90, align: 'right' },
                  ]}
                />
              )}
            </>
          ) : null}
        </Flex>
      ) : null}
    </Modal>
  );
}

/** The compliance report: codes against their rule and suspected duplicates, with a merge action. */
export function DataQualityPage() {
  const { t } = useTranslation('customFields');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [merging, setMerging] = useState<Group | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setLoading(true);
    getComplianceReport(signal)
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
  }, []);
  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const entityName = (e: string) =>
    MERGEABLE.has(e) ? t(`entities.${e as MergeEntity}`) : tc(`nav.${e as 'items'}`);

  const violationColumns: TableColumnsType<Violation> = [
    { key: 'entity', title: t('quality.entity'), width: 110, render: (_, v) => entityName(v.entity) },
    {
      key: 'code',
      dataIndex: 'code',
      title: t('quality.code'),
      width: 160,
      render: (v: string) => <span className="takt-mono">{v}</span>,
    },
    {
      key: 'problem',
      title: t('quality.problem'),
      width: 150,
      render: (_, v) => t(`quality.problems.${v.problem}`),
    },
    { key: 'message', dataIndex: 'message', title: '', ellipsis: true },
  ];
  const groupColumns: TableColumnsType<Group> = [
    { key: 'entity', title: t('quality.entity'), width: 110, render: (_, g) => entityName(g.entity) },
    { key: 'kind', title: t('quality.kind'), width: 110, render: (_, g) => t(`quality.kinds.${g.kind}`) },
    {
      key: 'codes',
      title: t('quality.records'),
      render: (_, g) => <span className="takt-mono">{g.codes.join(', ')}</span>,
    },
    {
      key: 'actions',
      title: tc('items.columns.actions'),
      width: 110,
      render: (_, g) =>
        MERGEABLE.has(g.entity) && can('masterdata:delete') ? (
          <Button size="small" icon={<MergeCellsOutlined />} onClick={() => setMerging(g)}>
            {t('quality.merge')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('quality.title')}
        subtitle={
          report
            ? `${t('quality.subtitle')} · ${t('quality.checkedAt', { time: format.dateTime(report.checkedAt) })}`
            : t('quality.subtitle')
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => load()} loading={loading}>
            {t('quality.refresh')}
          </Button>
        }
      />
      {error ? <ProblemAlert error={error} /> : null}
      <Card className="takt-card" size="small" title={t('quality.duplicates')}>
        <Table<Group>
          rowKey={(g) => `${g.entity}:${g.kind}:${g.key}`}
          size="small"
          loading={loading}
          columns={groupColumns}
          dataSource={report?.duplicateGroups ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('quality.noDuplicates') }}
          scroll={{ x: 640 }}
        />
      </Card>
      <Card className="takt-card" size="small" title={t('quality.violations')}>
        <Table<Violation>
          rowKey={(v) => `${v.entity}:${v.id}`}
          size="small"
          loading={loading}
          columns={violationColumns}
          dataSource={report?.violations ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('quality.noViolations') }}
          scroll={{ x: 640 }}
        />
      </Card>
      <MergeModal
        group={merging}
        onClose={() => setMerging(null)}
        onMerged={() => {
          setMerging(null);
          load();
        }}
      />
    </Flex>
  );
}
