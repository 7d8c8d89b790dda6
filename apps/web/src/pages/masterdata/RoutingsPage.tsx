import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Routing, RoutingOperationInput } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Card,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  activateRouting,
  archiveRouting,
  createRouting,
  itemsApi,
  machinesApi,
  type ResourceApi,
  routingsApi,
  updateRouting,
  type Versioned,
  workCentersApi,
} from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, ProblemDescription, problemText } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { SheetTransfer } from '../../components/sheets/SheetTransfer.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useFormat } from '../../i18n/format.ts';
import { StatusTag, useVersionList, VersionFilters, type VersionStatusValue } from './BomsPage.tsx';

type RefApi = ResourceApi<Versioned & { code: string; name: string }>;
const itemRef = itemsApi as unknown as RefApi;
const wcRef = workCentersApi as unknown as RefApi;
const machineRef = machinesApi as unknown as RefApi;
const RUN = /^\d{1,7}(\.\d{1,3})?$/;

interface AltRow {
  machineId: string | null;
  runMinutes: string;
  setupMinutes: number | null;
  priority: number | null;
}
interface OpRow {
  seq: number;
  name: string;
  workCenterId: string | null;
  setupMinutes: number | null;
  runMinutes: string;
  skillCode: string;
  skillLevel: number | null;
  toolCode: string;
  inspection: boolean;
  instructionsUrl: string;
  drawingUrl: string;
  alternatives: AltRow[];
}
interface RoutingForm {
  itemId: string | null;
  versionLabel: string;
  effectiveFrom: string;
  effectiveTo: string;
  operations: OpRow[];
}
const FIELDS = new Set(['itemId', 'versionLabel', 'effectiveFrom', 'effectiveTo', 'operations']);

function toForm(r: Routing | null): RoutingForm {
  return {
    itemId: r?.itemId ?? null,
    versionLabel: r?.versionLabel ?? 'V1',
    effectiveFrom: r?.effectiveFrom ?? '',
    effectiveTo: r?.effectiveTo ?? '',
    operations:
      r?.operations.map((o) => ({
        seq: o.seq,
        name: o.name,
        workCenterId: o.workCenterId,
        setupMinutes: o.setupMinutes,
        runMinutes: o.runMinutes,
        skillCode: o.skillCode ?? '',
        skillLevel: o.skillLevel,
        toolCode: o.toolCode ?? '',
        inspection: o.inspection,
        instructionsUrl: o.instructionsUrl ?? '',
        drawingUrl: o.drawingUrl ?? '',
        alternatives: o.alternatives.map((a) => ({
          machineId: a.machineId,
          runMinutes: a.runMinutes,
          setupMinutes: a.setupMinutes,
          priority: a.priority,
        })),
      })) ?? [],
  };
}

function opsBody(ops: OpRow[]): RoutingOperationInput[] {
  return (ops ?? []).map((o) => ({
    seq: o.seq,
    name: (o.name ?? '').trim(),
    workCenterId: o.workCenterId ?? '',
    runMinutes: (o.runMinutes ?? '').trim(),
    ...(o.setupMinutes != null ? { setupMinutes: o.setupMinutes } : {}),
    skillCode: o.skillCode?.trim() || null,
    skillLevel: o.skillCode?.trim() ? (o.skillLevel ?? null) : null,
    toolCode: o.toolCode?.trim().toUpperCase() || null,
    inspection: Boolean(o.inspection),
    instructionsUrl: o.instructionsUrl?.trim() || null,
    drawingUrl: o.drawingUrl?.trim() || null,
    alternatives: (o.alternatives ?? []).map((a) => ({
      machineId: a.machineId ?? '',
      runMinutes: (a.runMinutes ?? '').trim(),
      ...(a.setupMinutes != null ? { setupMinutes: a.setupMinutes } : {}),
      ...(a.priority != null ? { priority: a.priority } : {}),
    })),
  }));
}

function Alternatives({ op, disabled }: { op: number; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List name={[op, 'alternatives']}>
      {(rows, { add, remove }) => (
        <Flex vertical gap={4} className="takt-alternatives">
          <Typography.Text type="secondary" className="takt-small">
            {t('routings.alternativesHelp')}
          </Typography.Text>
          {rows.map((row) => (
            <Flex key={row.key} gap={8} wrap align="flex-start">
              <Form.Item
                name={[row.name, 'machineId']}
                rules={[{ required: true, message: t('items.form.required') }]}
                style={{ flex: '1 1 220px' }}
              >
                <RefSelect
                  api={machineRef}
                  placeholder={t('routings.machine')}
                  aria-label={t('routings.machine')}
                />
              </Form.Item>
              <Form.Item
                name={[row.name, 'runMinutes']}
                rules={[
                  { required: true, message: t('items.form.required') },
                  { pattern: RUN, message: t('routings.runPattern') },
                ]}
              >
                <Input
                  placeholder={t('routings.runMinutes')}
                  aria-label={t('routings.runMinutes')}
                  style={{ width: 130 }}
                />
              </Form.Item>
              <Form.Item name={[row.name, 'setupMinutes']}>
                <InputNumber
                  min={0}
                  precision={0}
                  placeholder={t('routings.setupMinutes')}
                  aria-label={t('routings.setupMinutes')}
                  style={{ width: 120 }}
                />
              </Form.Item>
              <Form.Item name={[row.name, 'priority']}>
                <InputNumber
                  min={0}
                  max={99}
                  precision={0}
                  placeholder={t('routings.priority')}
                  aria-label={t('routings.priority')}
                  style={{ width: 100 }}
                />
              </Form.Item>
              {disabled ? null : (
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('md.removeRow')}
                  onClick={() => remove(row.name)}
                />
              )}
            </Flex>
          ))}
          {disabled ? null : (
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              className="takt-fit"
              onClick={() => add({ machineId: null, runMinutes: '', setupMinutes: null, priority: null })}
            >
              {t('routings.addAlternative')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}

type Mode = { kind: 'create' } | { kind: 'edit'; routing: Routing };

function RoutingDrawer({
  mode,
  onClose,
  onChanged,
}: {
  mode: Mode | null;
  onClose(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [form] = Form.useForm<RoutingForm>();
  const narrow = !useMediaQuery('(min-width: 992px)');
  const [routing, setRouting] = useState<Routing | null>(null);
  const { saving: busy, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS });

  // biome-ignore lint/correctness/useExhaustiveDependencies: when another routing (or mode) is opened
  useEffect(() => {
    if (!mode) return;
    const r = mode.kind === 'edit' ? mode.routing : null;
    setRouting(r);
    clear();
    form.resetFields();
    form.setFieldsValue(toForm(r));
  }, [mode]);

  const draft = !routing || routing.status === 'draft';
  const editable = draft && (routing ? can('masterdata:update') : can('masterdata:create'));

  const act = async (fn: () => Promise<Routing | null>, done: string) => {
    await run(async () => {
      const saved = await fn();
      if (saved) {
        setRouting(saved);
        form.setFieldsValue(toForm(saved));
        message.success(t(done as 'routings.saved', { code: saved.itemCode, label: saved.versionLabel }));
      } else onClose();
      onChanged();
    });
  };

  const save = (v: RoutingForm) =>
    act(
      () =>
        routing
          ? updateRouting(routing.id, {
              version: routing.version,
              versionLabel: v.versionLabel.trim(),
              effectiveFrom: v.effectiveFrom || null,
              effectiveTo: v.effectiveTo || null,
              operations: opsBody(v.operations),
            })
          : createRouting({
              itemId: v.itemId ?? '',
              versionLabel: v.versionLabel.trim(),
              ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}),
              ...(v.effectiveTo ? { effectiveTo: v.effectiveTo } : {}),
              operations: opsBody(v.operations),
            }),
      routing ? 'routings.saved' : 'routings.created',
    );

  const req = { required: true, message: t('items.form.required') };
  const cell = (name: (string | number)[], control: React.ReactNode, rules: object[] = []) => (
    <Form.Item name={name} rules={rules}>
      {control}
    </Form.Item>
  );

  return (
    <Drawer
      open={mode !== null}
      onClose={onClose}
      size={narrow ? '100%' : 1180}
      destroyOnHidden
      title={
        <Flex gap={8} align="center" wrap>
          <span>
            {routing
              ? t('routings.editTitle', { code: routing.itemCode, label: routing.versionLabel })
              : t('routings.new')}
          </span>
          {routing ? <StatusTag status={routing.status as VersionStatusValue} /> : null}
          {routing ? (
            <Typography.Text type="secondary" className="takt-small">
              {t('items.form.version', {
                version: routing.version,
                time: format.dateTime(routing.updatedAt),
              })}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      footer={
        <Flex justify="space-between" gap={8} wrap>
          <span>
            {routing?.status === 'draft' && can('masterdata:delete') ? (
              <Button
                danger
                disabled={busy}
                onClick={() =>
                  modal.confirm({
                    title: t('routings.deleteTitle', { code: routing.itemCode, label: routing.versionLabel }),
                    okText: t('md.delete'),
                    okButtonProps: { danger: true },
                    cancelText: t('common.cancel'),
                    onOk: () =>
                      act(async () => {
                        await routingsApi.remove(routing.id);
                        return null;
                      }, 'routings.saved'),
                  })
                }
              >
                {t('md.delete')}
              </Button>
            ) : null}
          </span>
          <Space wrap>
            {routing?.status === 'active' && can('masterdata:update') ? (
              <Button
                loading={busy}
                onClick={() =>
                  void act(() => archiveRouting(routing.id, routing.version), 'routings.archived')
                }
              >
                {t('boms.archive')}
              </Button>
            ) : null}
            {editable ? (
              <Button loading={busy} onClick={() => form.submit()}>
                {routing ? t('common.save') : t('common.create')}
              </Button>
            ) : null}
            {routing?.status === 'draft' && can('masterdata:update') ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  void act(() => activateRouting(routing.id, routing.version), 'routings.activated')
                }
              >
                {t('boms.activate')}
              </Button>
            ) : null}
          </Space>
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        {error ? (
          <Alert
            type="error"
            showIcon
            title={
              error.code === 'ROUTING_CYCLE'
                ? t('routings.cycleTitle')
                : error.code === 'STALE_VERSION'
                  ? t('md.conflictTitle')
                  : t('errors.saveFailed')
            }
            description={
              <ProblemDescription error={error}>
                <div>{problemText(t, error)}</div>
                {other.length ? (
                  <ul className="takt-error-list">
                    {other.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                ) : null}
              </ProblemDescription>
            }
          />
        ) : null}
        {routing && !draft ? <Alert type="info" showIcon title={t('routings.readOnly')} /> : null}
        <Form<RoutingForm>
          form={form}
          layout="vertical"
          onFinish={(v) => void save(v)}
          disabled={!editable || busy}
        >
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item name="itemId" label={t('boms.item')} rules={[req]}>
                <RefSelect api={itemRef} disabled={Boolean(routing)} aria-label={t('boms.item')} />
              </Form.Item>
            </Col>
            <Col xs={8} md={4}>
              <Form.Item name="versionLabel" label={t('boms.versionLabel')} rules={[req]}>
                <Input maxLength={40} />
              </Form.Item>
            </Col>
            <Col xs={8} md={5}>
              <Form.Item name="effectiveFrom" label={t('boms.effectiveFrom')}>
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={8} md={5}>
              <Form.Item name="effectiveTo" label={t('boms.effectiveTo')}>
                <Input type="date" />
              </Form.Item>
            </Col>
          </Row>
          <Form.List name="operations">
            {(rows, { add, remove }) => (
              <Flex vertical gap={8}>
                <Table
                  className="takt-ops-table"
                  size="small"
                  rowKey="key"
                  pagination={false}
                  dataSource={rows}
                  scroll={{ x: 1120 }}
                  locale={{ emptyText: t('routings.noOperations') }}
                  expandable={{
                    expandedRowRender: (row) => <Alternatives op={row.name} disabled={!editable} />,
                    rowExpandable: () => true,
                  }}
                  columns={[
                    {
                      key: 'seq',
                      title: t('routings.seq'),
                      width: 80,
                      render: (_, row) =>
                        cell(
                          [row.name, 'seq'],
                          <InputNumber min={1} max={9999} precision={0} aria-label={t('routings.seq')} />,
                          [req],
                        ),
                    },
                    {
                      key: 'name',
                      title: t('routings.opName'),
                      width: 150,
                      render: (_, row) =>
                        cell(
                          [row.name, 'name'],
                          <Input maxLength={100} aria-label={t('routings.opName')} />,
                          [req],
                        ),
                    },
                    {
                      key: 'wc',
                      title: t('routings.workCenter'),
                      width: 190,
                      render: (_, row) =>
                        cell(
                          [row.name, 'workCenterId'],
                          <RefSelect api={wcRef} aria-label={t('routings.workCenter')} />,
                          [req],
                        ),
                    },
                    {
                      key: 'setup',
                      title: t('routings.setupMinutes'),
                      width: 100,
                      render: (_, row) =>
                        cell(
                          [row.name, 'setupMinutes'],
                          <InputNumber min={0} precision={0} aria-label={t('routings.setupMinutes')} />,
                        ),
                    },
                    {
                      key: 'run',
                      title: t('routings.runMinutes'),
                      width: 110,
                      render: (_, row) =>
                        cell(
                          [row.name, 'runMinutes'],
                          <Input
                            inputMode="decimal"
                            className="takt-num-input"
                            aria-label={t('routings.runMinutes')}
                          />,
                          [req, { pattern: RUN, message: t('routings.runPattern') }],
                        ),
                    },
                    {
                      key: 'skill',
                      title: t('routings.skill'),
                      width: 150,
                      render: (_, row) => (
                        <Flex gap={4}>
                          {cell(
                            [row.name, 'skillCode'],
                            <Input maxLength={40} aria-label={t('routings.skill')} />,
                          )}
                          {cell(
                            [row.name, 'skillLevel'],
                            <InputNumber
                              min={1}
                              max={9}
                              precision={0}
                              style={{ width: 56 }}
                              aria-label={t('routings.skillLevel')}
                            />,
                          )}
                        </Flex>
                      ),
                    },
                    {
                      key: 'tool',
                      title: t('routings.tool'),
                      width: 110,
                      render: (_, row) =>
                        cell(
                          [row.name, 'toolCode'],
                          <Input maxLength={40} className="takt-mono" aria-label={t('routings.tool')} />,
                        ),
                    },
                    {
                      key: 'fai',
                      title: t('routings.inspection'),
                      width: 80,
                      render: (_, row) => (
                        <Form.Item name={[row.name, 'inspection']} valuePropName="checked">
                          <Checkbox aria-label={t('routings.inspection')} />
                        </Form.Item>
                      ),
                    },
                    {
                      key: 'links',
                      title: t('routings.links'),
                      width: 220,
                      render: (_, row) => (
                        <Flex vertical gap={4}>
                          {cell(
                            [row.name, 'instructionsUrl'],
                            <Input
                              maxLength={500}
                              placeholder="https://…"
                              aria-label={t('routings.instructionsUrl')}
                            />,
                          )}
                          {cell(
                            [row.name, 'drawingUrl'],
                            <Input
                              maxLength={500}
                              placeholder="https://…"
                              aria-label={t('routings.drawingUrl')}
                            />,
                          )}
                        </Flex>
                      ),
                    },
                    {
                      key: 'alts',
                      title: t('routings.alternatives'),
                      width: 90,
                      render: (_, row) => (
                        <Form.Item noStyle shouldUpdate>
                          {() => (form.getFieldValue(['operations', row.name, 'alternatives']) ?? []).length}
                        </Form.Item>
                      ),
                    },
                    ...(editable
                      ? [
                          {
                            key: 'x',
                            width: 48,
                            render: (_: unknown, row: { name: number }) => (
                              <Button
                                type="text"
                                icon={<DeleteOutlined />}
                                aria-label={t('md.removeRow')}
                                onClick={() => remove(row.name)}
                              />
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
                {editable ? (
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => {
                      const ops = (form.getFieldValue('operations') ?? []) as OpRow[];
                      const next = ops.reduce((m, o) => Math.max(m, o.seq ?? 0), 0) + 10;
                      add({
                        seq: next,
                        name: '',
                        workCenterId: null,
                        setupMinutes: 0,
                        runMinutes: '',
                        skillCode: '',
                        skillLevel: null,
                        toolCode: '',
                        inspection: false,
                        instructionsUrl: '',
                        drawingUrl: '',
                        alternatives: [],
                      });
                    }}
                  >
                    {t('routings.addOperation')}
                  </Button>
                ) : null}
              </Flex>
            )}
          </Form.List>
        </Form>
      </Flex>
    </Drawer>
  );
}

export function RoutingsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const { list, filters } = useVersionList(routingsApi, 'routing');
  const [mode, setMode] = useState<Mode | null>(null);

  const columns: TableColumnsType<Routing> = [
    {
      key: 'item',
      title: t('boms.item'),
      width: 160,
      render: (_, r) => (
        <Typography.Link className="takt-mono" onClick={() => setMode({ kind: 'edit', routing: r })}>
          {r.itemCode}
        </Typography.Link>
      ),
    },
    { key: 'label', dataIndex: 'versionLabel', title: t('boms.versionLabel'), width: 100 },
    {
      key: 'status',
      title: t('boms.status'),
      width: 100,
      render: (_, r) => <StatusTag status={r.status as VersionStatusValue} />,
    },
    {
      key: 'ops',
      title: t('routings.operations'),
      render: (_, r) => (
        <Typography.Text type="secondary" ellipsis className="takt-small">
          {r.operations.map((o) => `${o.seq} ${o.name}`).join(' → ')}
        </Typography.Text>
      ),
    },
    {
      key: 'updated',
      title: t('md.columns.updatedAt'),
      width: 170,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.updatedAt)}</span>,
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('routings.title')}
        subtitle={t('routings.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            <SheetTransfer entity="routings" noun={t('routings.title')} onImported={list.reload} />
            {can('masterdata:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })}>
                {t('routings.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <VersionFilters {...filters} />
          {list.error ? <ProblemAlert error={list.error} title={t('errors.loadFailed')} /> : null}
          <Table<Routing>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: list.loading ? ' ' : <Empty description={t('routings.empty')} /> }}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <RoutingDrawer mode={mode} onClose={() => setMode(null)} onChanged={list.reload} />
    </div>
  );
}
