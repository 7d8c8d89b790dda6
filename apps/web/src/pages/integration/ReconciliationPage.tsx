import { CheckOutlined, DownloadOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ReconciliationRun, ReconFinding, ReconFindingQuery } from '@takt/contracts';
import {
  App,
  Badge,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useFormat } from '../../i18n/format.ts';
import {
  findingsCsvUrl,
  listFindings,
  listRuns,
  rebuildReportReadModel,
  startRun,
  updateFinding,
} from './api.ts';
import { BodyBlock } from './common.tsx';

const CHECKS = [
  'ledger_balance',
  'work_order_output',
  'sales_line_shipped',
  'purchase_line_received',
  'stale_reservation',
  'webhook_deliveries',
  'broker_status',
  'report_read_model',
] as const;
const STATES = ['open', 'explained', 'fixed'] as const;
const STATE_COLOR = { open: 'red', explained: 'blue', fixed: 'green' } as const;
const RUN_BADGE: Record<string, 'processing' | 'success' | 'error' | 'default'> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

type Change = { finding: ReconFinding; state: 'explained' | 'fixed' };

/** Explain a finding (a note is required) or mark it fixed (a note is optional). */
function ChangeModal({
  change,
  onClose,
  onSaved,
}: {
  change: Change | null;
  onClose(): void;
  onSaved(f: ReconFinding): void;
}) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open={change !== null}
      title={change?.state === 'fixed' ? t('recon.markFixed') : t('recon.explainTitle')}
      okText={change?.state === 'fixed' ? t('recon.markFixed') : t('recon.explain')}
      cancelText={tc('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        clearOnDestroy
        initialValues={{ note: change?.finding.note ?? '' }}
        onFinish={async (v) => {
          if (!change) return;
          setSaving(true);
          try {
            const saved = await updateFinding(change.finding.id, {
              version: change.finding.version,
              state: change.state,
              note: v.note.trim(),
            });
            message.success(t('recon.updated'));
            onSaved(saved);
          } catch (e) {
            message.error(problemText(tc, asApiError(e)));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="note"
          label={t('recon.note')}
          extra={t('recon.noteHelp')}
          rules={
            change?.state === 'explained'
              ? [{ required: true, whitespace: true, message: t('recon.noteRequired') }]
              : []
          }
        >
          <Input.TextArea rows={4} maxLength={1000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ReconciliationPage() {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [params, update] = useUrlState();
  const runId = params.get('runId') ?? undefined;
  const check = (params.get('check') ?? undefined) as ReconFindingQuery['check'];
  const state = (params.get('state') ?? undefined) as ReconFindingQuery['state'];
  const [starting, setStarting] = useState(false);
  const [change, setChange] = useState<Change | null>(null);

  const runs = useCursorList<ReconciliationRun>(
    (cursor, limit, signal) => listRuns({ limit, ...(cursor ? { cursor } : {}) }, signal),
    'runs',
    10,
  );
  const filters = { ...(runId ? { runId } : {}), ...(check ? { check } : {}), ...(state ? { state } : {}) };
  const findings = useCursorList<ReconFinding>(
    (cursor, limit, signal) => listFindings({ ...filters, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(filters),
    50,
  );

  // While a run is queued or running, look again every two seconds.
  const busy = runs.items.some((r) => r.status === 'queued' || r.status === 'running');
  const reloadRef = useRef(() => {});
  reloadRef.current = () => {
    runs.reload();
    findings.reload();
  };
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => reloadRef.current(), 2000);
    return () => clearInterval(timer);
  }, [busy]);

  const confirmRebuild = () =>
    modal.confirm({
      title: t('recon.rebuildReportsTitle'),
      content: t('recon.rebuildReportsText'),
      okText: t('recon.rebuildReports'),
      cancelText: tc('common.cancel'),
      onOk: async () => {
        try {
          await rebuildReportReadModel();
          message.success(t('recon.rebuildReportsAsked'));
        } catch (e) {
          message.error(problemText(tc, asApiError(e)));
        }
      },
    });

  const runColumns: TableColumnsType<ReconciliationRun> = [
    {
      key: 'started',
      title: t('recon.startedAt'),
      width: 180,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.startedAt)}</span>,
    },
    {
      key: 'trigger',
      title: t('recon.trigger'),
      width: 110,
      render: (_, r) => t(`recon.triggers.${r.trigger}`, { defaultValue: r.trigger }),
    },
    {
      key: 'status',
      title: t('recon.runStatus'),
      width: 120,
      render: (_, r) => (
        <Badge
          status={RUN_BADGE[r.status] ?? 'default'}
          text={t(`recon.runStatuses.${r.status}`, { defaultValue: r.status })}
        />
      ),
    },
    {
      key: 'findings',
      title: t('recon.findingsCount'),
      width: 100,
      align: 'right',
      render: (_, r) =>
        r.findings ? <Typography.Text type="danger">{format.integer(r.findings)}</Typography.Text> : 0,
    },
    {
      key: 'byCheck',
      title: t('recon.byCheck'),
      render: (_, r) => (
        <Flex gap={4} wrap>
          {Object.entries(r.byCheck)
            .filter(([, n]) => n > 0)
            .map(([c, n]) => (
              <Tag key={c} color="orange">
                {t(`recon.checks.${c}`, { defaultValue: c })}: {n}
              </Tag>
            ))}
        </Flex>
      ),
    },
    {
      key: 'finished',
      title: t('recon.finishedAt'),
      width: 180,
      render: (_, r) => (r.finishedAt ? format.dateTime(r.finishedAt) : '—'),
    },
  ];

  const findingColumns: TableColumnsType<ReconFinding> = [
    {
      key: 'check',
      title: t('recon.check'),
      width: 190,
      render: (_, r) => (
        <Flex vertical>
          <span>{t(`recon.checks.${r.check}`, { defaultValue: r.check })}</span>
          <Typography.Text type="secondary" className="takt-small takt-nowrap">
            {t('recon.foundAt')} {format.dateTime(r.createdAt)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'entity',
      title: t('recon.entity'),
      width: 160,
      render: (_, r) => (
        <Flex vertical>
          <span>{r.entityCode || r.entityId}</span>
          <Typography.Text type="secondary" className="takt-small takt-mono">
            {r.entityType}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'expected', dataIndex: 'expected', title: t('recon.expected'), width: 100 },
    {
      key: 'actual',
      dataIndex: 'actual',
      title: t('recon.actual'),
      width: 100,
      render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
    },
    {
      key: 'state',
      title: t('recon.state'),
      width: 110,
      render: (_, r) => <Tag color={STATE_COLOR[r.state]}>{t(`recon.states.${r.state}`)}</Tag>,
    },
    {
      key: 'note',
      dataIndex: 'note',
      title: t('recon.note'),
      width: 200,
      render: (v: string) => v || '—',
    },
    {
      key: 'actions',
      title: '',
      width: 200,
      fixed: 'right',
      render: (_, r) =>
        can('integration:update') ? (
          <Space size={0} wrap>
            {r.check === 'report_read_model' && r.state === 'open' && can('integration:execute') ? (
              <Button type="link" onClick={() => confirmRebuild()}>
                {t('recon.rebuildReports')}
              </Button>
            ) : null}
            {r.state !== 'explained' ? (
              <Button type="link" onClick={() => setChange({ finding: r, state: 'explained' })}>
                {t('recon.explain')}
              </Button>
            ) : null}
            {r.state !== 'fixed' ? (
              <Button
                type="link"
                icon={<CheckOutlined />}
                onClick={() => setChange({ finding: r, state: 'fixed' })}
              >
                {t('recon.markFixed')}
              </Button>
            ) : null}
            {r.state !== 'open' ? (
              <Button
                type="link"
                onClick={async () => {
                  try {
                    const saved = await updateFinding(r.id, { version: r.version, state: 'open' });
                    findings.setItems((items) => items.map((x) => (x.id === saved.id ? saved : x)));
                  } catch (e) {
                    message.error(problemText(tc, asApiError(e)));
                  }
                }}
              >
                {t('recon.reopen')}
              </Button>
            ) : null}
          </Space>
        ) : null,
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('recon.title')}
        subtitle={t('recon.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} loading={runs.loading} onClick={() => reloadRef.current()}>
              {tc('common.refresh')}
            </Button>
            <Button icon={<DownloadOutlined />} href={findingsCsvUrl(filters)} download>
              {t('recon.export')}
            </Button>
            {can('integration:execute') ? (
              <Button
                type="primary"
                icon={<PlayCircleOutlined />}
                loading={starting || busy}
                onClick={async () => {
                  setStarting(true);
                  try {
                    const run = await startRun();
                    message.success(t('recon.started'));
                    runs.setItems((items) => [run, ...items.filter((x) => x.id !== run.id)]);
                  } catch (e) {
                    message.error(problemText(tc, asApiError(e)));
                  } finally {
                    setStarting(false);
                  }
                }}
              >
                {t('recon.runNow')}
              </Button>
            ) : null}
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card className="takt-card" title={t('recon.runs')}>
          {runs.error ? <ProblemAlert error={runs.error} title={tc('errors.loadFailed')} /> : null}
          <Table<ReconciliationRun>
            rowKey="id"
            size="small"
            columns={runColumns}
            dataSource={runs.items}
            loading={runs.loading && runs.items.length === 0}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: t('recon.noRuns') }}
            data-testid="recon-runs"
            rowClassName={(r) => (r.id === runId ? 'ant-table-row-selected' : '')}
            onRow={(r) => ({
              onClick: () => update({ runId: r.id === runId ? undefined : r.id }),
              style: { cursor: 'pointer' },
            })}
          />
          <LoadMoreFooter list={runs} />
        </Card>
        <Card className="takt-card" title={t('recon.findings')}>
          <Flex vertical gap={12}>
            <Flex gap={12} wrap>
              <Select
                allowClear
                style={{ width: 240 }}
                placeholder={t('recon.allRuns')}
                aria-label={t('recon.allRuns')}
                value={runId}
                onChange={(v?: string) => update({ runId: v })}
                options={runs.items.map((r) => ({ value: r.id, label: format.dateTime(r.startedAt) }))}
              />
              <Select
                allowClear
                style={{ width: 220 }}
                placeholder={t('recon.allChecks')}
                aria-label={t('recon.allChecks')}
                value={check}
                onChange={(v?: string) => update({ check: v })}
                options={CHECKS.map((c) => ({
                  value: c,
                  label: t(`recon.checks.${c}`, { defaultValue: c }),
                }))}
              />
              <Select
                allowClear
                style={{ width: 160 }}
                placeholder={t('recon.allStates')}
                aria-label={t('recon.allStates')}
                value={state}
                onChange={(v?: string) => update({ state: v })}
                options={STATES.map((s) => ({ value: s, label: t(`recon.states.${s}`) }))}
              />
            </Flex>
            {findings.error ? <ProblemAlert error={findings.error} title={tc('errors.loadFailed')} /> : null}
            <Table<ReconFinding>
              rowKey="id"
              size="middle"
              columns={findingColumns}
              dataSource={findings.items}
              loading={findings.loading && findings.items.length === 0}
              pagination={false}
              scroll={{ x: 1150 }}
              data-testid="recon-findings"
              expandable={{
                expandedRowRender: (r) => <BodyBlock body={r.details} empty={t('requests.noBody')} />,
              }}
            />
            <LoadMoreFooter list={findings} />
          </Flex>
        </Card>
      </Flex>
      <ChangeModal
        change={change}
        onClose={() => setChange(null)}
        onSaved={(saved) => {
          setChange(null);
          findings.setItems((items) => items.map((x) => (x.id === saved.id ? saved : x)));
        }}
      />
    </div>
  );
}
