import { ArrowRightOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Bom, DomainEvent, Explosion, ExplosionLine, WhereUsed } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import {
  activateBom,
  archiveBom,
  bomsApi,
  createBom,
  explodeBom,
  itemsApi,
  type ResourceApi,
  updateBom,
  type Versioned,
  whereUsed,
} from '../../api/masterdata.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, ProblemDescription, problemText } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { SheetTransfer } from '../../components/sheets/SheetTransfer.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';

type RefApi = ResourceApi<Versioned & { code: string; name: string }>;
const itemRef = itemsApi as unknown as RefApi;

export const VERSION_STATUSES = ['draft', 'active', 'archived'] as const;
export type VersionStatusValue = (typeof VERSION_STATUSES)[number];
export const STATUS_COLORS: Record<VersionStatusValue, string> = {
  draft: 'gold',
  active: 'green',
  archived: 'default',
};

/**
 * A list of BOM or routing versions: filtered by item and status kept in the URL, sorted by item,
 * reloaded when a version of `topic` changes anywhere.
 */
export function useVersionList<T extends Versioned>(api: ResourceApi<T>, topic: string) {
  const [params, update] = useUrlState();
  const itemId = params.get('itemId') ?? undefined;
  const statusParam = params.get('status');
  const status = VERSION_STATUSES.find((s) => s === statusParam);
  const query = { ...(itemId ? { itemId } : {}), ...(status ? { status } : {}), sort: 'itemCode' };
  const list = useCursorList<T>(
    (cursor, limit, signal) => api.list({ ...query, limit, cursor }, signal),
    JSON.stringify(query),
    100,
  );
  const liveReload = useThrottledCallback(list.reload, 1000);
  useLiveEvents([topic], (_e: DomainEvent) => liveReload(), { onResync: list.reload });
  return { list, filters: { itemId, status, update } };
}

/** The item and status filters above a list of versions. */
export function VersionFilters({
  itemId,
  status,
  update,
}: {
  itemId: string | undefined;
  status: VersionStatusValue | undefined;
  update(patch: Record<string, string | undefined>): void;
}) {
  const { t } = useTranslation();
  return (
    <Flex gap={12} wrap>
      <RefSelect
        api={itemRef}
        allowClear
        className="takt-ref-filter"
        placeholder={t('boms.itemFilter')}
        aria-label={t('boms.itemFilter')}
        value={itemId ?? null}
        onChange={(v) => update({ itemId: typeof v === 'string' ? v : undefined })}
      />
      <Select
        allowClear
        className="takt-type-filter"
        placeholder={t('boms.status')}
        aria-label={t('boms.status')}
        value={status}
        onChange={(v?: string) => update({ status: v })}
        options={VERSION_STATUSES.map((s) => ({ value: s, label: t(`md.status.${s}`) }))}
      />
    </Flex>
  );
}

export function StatusTag({ status }: { status: VersionStatusValue }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`md.status.${status}`)}</Tag>;
}

/** A cycle found on activation, drawn as the chain of item codes. */
export function CycleAlert({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const raw = (error.problem as { cycle?: unknown } | undefined)?.cycle;
  const cycle = Array.isArray(raw) ? raw.map(String) : [];
  return (
    <Alert
      type="error"
      showIcon
      title={t('boms.cycleTitle')}
      description={
        <Flex vertical gap={4}>
          <span>{t('boms.cycleText')}</span>
          {cycle.length ? (
            <div className="takt-cycle-path">
              {cycle.map((code, i) => (
                // the same code starts and ends the chain, so the position is part of the key
                // biome-ignore lint/suspicious/noArrayIndexKey: a path, never reordered
                <Space key={`${code}-${i}`} size={4}>
                  {i > 0 ? <ArrowRightOutlined /> : null}
                  <Tag color={i === 0 || i === cycle.length - 1 ? 'red' : 'default'} className="takt-mono">
                    {code}
                  </Tag>
                </Space>
              ))}
            </div>
          ) : (
            <span>{problemText(t, error)}</span>
          )}
        </Flex>
      }
    />
  );
}

interface LineRow {
  componentItemId: string | null;
  qtyPer: string;
  scrapPct: number | null;
  operationSeq: number | null;
}
interface BomForm {
  itemId: string | null;
  versionLabel: string;
  effectiveFrom: string;
  effectiveTo: string;
  lines: LineRow[];
}
const FIELDS = new Set(['itemId', 'versionLabel', 'effectiveFrom', 'effectiveTo', 'lines']);
/** The server's line field → the form's. */
const RENAME = { scrapBp: 'scrapPct' };
const QTY = /^\d{1,12}(\.\d{1,3})?$/;

function toForm(b: Bom | null, copy = false): BomForm {
  return {
    itemId: b?.itemId ?? null,
    versionLabel: copy ? '' : (b?.versionLabel ?? 'V1'),
    effectiveFrom: copy ? '' : (b?.effectiveFrom ?? ''),
    effectiveTo: copy ? '' : (b?.effectiveTo ?? ''),
    lines:
      b?.lines.map((l) => ({
        componentItemId: l.componentItemId,
        qtyPer: l.qtyPer,
        scrapPct: l.scrapBp / 100,
        operationSeq: l.operationSeq,
      })) ?? [],
  };
}

function linesBody(lines: LineRow[]) {
  return (lines ?? []).map((l, i) => ({
    componentItemId: l.componentItemId ?? '',
    qtyPer: (l.qtyPer ?? '').trim(),
    position: (i + 1) * 10,
    ...(l.scrapPct ? { scrapBp: Math.round(l.scrapPct * 100) } : {}),
    ...(l.operationSeq ? { operationSeq: l.operationSeq } : {}),
  }));
}

/** The lines of the explosion, nested by level into a tree. */
interface TreeRow extends ExplosionLine {
  key: string;
  children?: TreeRow[];
}
function toTree(lines: ExplosionLine[]): TreeRow[] {
  const roots: TreeRow[] = [];
  const stack: TreeRow[] = [];
  lines.forEach((line, i) => {
    const node: TreeRow = { ...line, key: `${line.path.join('/')}#${i}` };
    stack.length = Math.max(0, line.level - 1);
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.children ??= [];
      parent.children.push(node);
    } else roots.push(node);
    stack.push(node);
  });
  return roots;
}

function ExplosionView({ bom }: { bom: Bom }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [qty, setQty] = useState('1');
  const [data, setData] = useState<Explosion | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!QTY.test(qty) || Number(qty) <= 0) return;
    const controller = new AbortController();
    explodeBom(bom.id, qty, controller.signal)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      });
    return () => controller.abort();
  }, [bom.id, qty]);
  const columns: TableColumnsType<TreeRow> = [
    {
      key: 'item',
      title: t('boms.component'),
      width: 320,
      render: (_, r) => (
        <span>
          <span className="takt-mono">{r.itemCode}</span> {r.itemName}
        </span>
      ),
    },
    { key: 'level', dataIndex: 'level', title: t('boms.level'), width: 70, align: 'right' },
    {
      key: 'qtyPer',
      title: t('boms.qtyPer'),
      width: 100,
      align: 'right',
      render: (_, r) => <span className="takt-num">{format.decimal(r.qtyPer)}</span>,
    },
    {
      key: 'scrap',
      title: t('boms.scrapPct'),
      width: 80,
      align: 'right',
      render: (_, r) => (r.scrapBp ? `${r.scrapBp / 100} %` : '—'),
    },
    {
      key: 'required',
      title: t('boms.required'),
      width: 130,
      align: 'right',
      render: (_, r) => (
        <span className="takt-num">
          {format.decimal(r.requiredQty)} {r.uom}
        </span>
      ),
    },
    {
      key: 'op',
      dataIndex: 'operationSeq',
      title: t('boms.operationSeq'),
      width: 90,
      render: (v: number | null) => v ?? '—',
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Space>
        <span>{t('boms.explodeFor')}</span>
        <Input
          value={qty}
          onChange={(e) => setQty(e.target.value.trim())}
          style={{ width: 120 }}
          inputMode="decimal"
          aria-label={t('boms.explodeFor')}
          status={QTY.test(qty) && Number(qty) > 0 ? undefined : 'error'}
        />
        <span className="takt-mono">{bom.itemCode}</span>
      </Space>
      {error ? <ProblemAlert error={error} title={t('errors.loadFailed')} /> : null}
      {data ? (
        <Table<TreeRow>
          size="small"
          rowKey="key"
          pagination={false}
          columns={columns}
          dataSource={toTree(data.lines)}
          expandable={{ defaultExpandAllRows: true }}
          scroll={{ x: 790 }}
        />
      ) : null}
    </Flex>
  );
}

function WhereUsedView({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [data, setData] = useState<WhereUsed | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    whereUsed(itemId, controller.signal)
      .then(setData)
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      });
    return () => controller.abort();
  }, [itemId]);
  if (error) return <ProblemAlert error={error} title={t('errors.loadFailed')} />;
  if (!data) return null;
  if (!data.usages.length) return <Empty description={t('boms.notUsed', { code: data.itemCode })} />;
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.bomId}-${r.path.join('/')}`}
      pagination={false}
      dataSource={data.usages}
      scroll={{ x: 700 }}
      columns={[
        { key: 'level', dataIndex: 'level', title: t('boms.level'), width: 70 },
        {
          key: 'parent',
          title: t('boms.parent'),
          width: 260,
          render: (_, r) => (
            <span>
              <span className="takt-mono">{r.parentCode}</span> {r.parentName}
            </span>
          ),
        },
        { key: 'version', dataIndex: 'bomVersionLabel', title: t('boms.versionLabel'), width: 90 },
        {
          key: 'qty',
          title: t('boms.qtyPer'),
          width: 90,
          align: 'right',
          render: (_, r) => `${format.decimal(r.qtyPer)}`,
        },
        {
          key: 'path',
          title: t('boms.path'),
          render: (_, r) => <span className="takt-mono takt-small">{r.path.join(' → ')}</span>,
        },
      ]}
    />
  );
}

type Mode = { kind: 'create'; copyOf?: Bom } | { kind: 'edit'; bom: Bom };

function BomDrawer({
  mode,
  onClose,
  onChanged,
}: {
  mode: Mode | null;
  onClose(): void;
  onChanged(bom: Bom | null): void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [form] = Form.useForm<BomForm>();
  const narrow = !useMediaQuery('(min-width: 992px)');
  const [bom, setBom] = useState<Bom | null>(null);
  const { saving: busy, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS, rename: RENAME });
  const [versions, setVersions] = useState<Bom[]>([]);
  const canEdit = can('masterdata:update');

  // biome-ignore lint/correctness/useExhaustiveDependencies: when another BOM (or mode) is opened
  useEffect(() => {
    if (!mode) return;
    const b = mode.kind === 'edit' ? mode.bom : null;
    setBom(b);
    clear();
    form.resetFields();
    form.setFieldsValue(mode.kind === 'edit' ? toForm(mode.bom) : toForm(mode.copyOf ?? null, true));
  }, [mode]);

  const itemId = bom?.itemId;
  const bomVersion = bom?.version;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version of this BOM reloads the list
  useEffect(() => {
    if (!itemId) return;
    const controller = new AbortController();
    bomsApi
      .list({ itemId, limit: 50, sort: '-updatedAt' }, controller.signal)
      .then((p) => setVersions(p.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [itemId, bomVersion]);

  const draft = !bom || bom.status === 'draft';
  const editable = draft && (bom ? canEdit : can('masterdata:create'));

  const act = async (fn: () => Promise<Bom | null>, done: string) => {
    await run(async () => {
      const saved = await fn();
      if (saved) {
        setBom(saved);
        form.setFieldsValue(toForm(saved));
        message.success(t(done as 'boms.saved', { label: saved.versionLabel, code: saved.itemCode }));
      }
      onChanged(saved);
    });
  };

  const save = (v: BomForm) =>
    act(
      async () => {
        if (!bom) {
          return createBom({
            itemId: v.itemId ?? '',
            versionLabel: v.versionLabel.trim(),
            ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}),
            ...(v.effectiveTo ? { effectiveTo: v.effectiveTo } : {}),
            lines: linesBody(v.lines),
          });
        }
        return updateBom(bom.id, {
          version: bom.version,
          versionLabel: v.versionLabel.trim(),
          effectiveFrom: v.effectiveFrom || null,
          effectiveTo: v.effectiveTo || null,
          lines: linesBody(v.lines),
        });
      },
      bom ? 'boms.saved' : 'boms.created',
    );

  const linesEditor = (
    <Form.List name="lines">
      {(rows, { add, remove }) => (
        <Flex vertical gap={8}>
          <Table
            className="takt-ops-table"
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            scroll={{ x: 700 }}
            locale={{ emptyText: t('boms.noLines') }}
            columns={[
              { key: 'pos', title: '#', width: 48, render: (_, __, i) => (i + 1) * 10 },
              {
                key: 'component',
                title: t('boms.component'),
                width: 300,
                render: (_, row) => (
                  <Form.Item
                    name={[row.name, 'componentItemId']}
                    rules={[{ required: true, message: t('items.form.required') }]}
                  >
                    <RefSelect api={itemRef} aria-label={t('boms.component')} disabled={!editable} />
                  </Form.Item>
                ),
              },
              {
                key: 'qtyPer',
                title: t('boms.qtyPer'),
                width: 120,
                render: (_, row) => (
                  <Form.Item
                    name={[row.name, 'qtyPer']}
                    rules={[
                      { required: true, message: t('items.form.required') },
                      { pattern: QTY, message: t('items.form.qtyPattern') },
                    ]}
                  >
                    <Input className="takt-num-input" inputMode="decimal" aria-label={t('boms.qtyPer')} />
                  </Form.Item>
                ),
              },
              {
                key: 'scrap',
                title: t('boms.scrapPct'),
                width: 100,
                render: (_, row) => (
                  <Form.Item name={[row.name, 'scrapPct']}>
                    <InputNumber min={0} max={100} step={0.5} precision={2} aria-label={t('boms.scrapPct')} />
                  </Form.Item>
                ),
              },
              {
                key: 'op',
                title: t('boms.operationSeq'),
                width: 100,
                render: (_, row) => (
                  <Form.Item name={[row.name, 'operationSeq']}>
                    <InputNumber min={1} max={9999} precision={0} aria-label={t('boms.operationSeq')} />
                  </Form.Item>
                ),
              },
              ...(editable
                ? [
                    {
                      key: 'x',
                      width: 48,
                      render: (_: unknown, row: { name: number }) => (
                        <Button type="text" aria-label={t('md.removeRow')} onClick={() => remove(row.name)}>
                          ×
                        </Button>
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
              onClick={() => add({ componentItemId: null, qtyPer: '1', scrapPct: null, operationSeq: null })}
            >
              {t('boms.addLine')}
            </Button>
          ) : null}
        </Flex>
      )}
    </Form.List>
  );

  const header = (
    <Form<BomForm> form={form} layout="vertical" onFinish={(v) => void save(v)} disabled={!editable || busy}>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item
            name="itemId"
            label={t('boms.item')}
            rules={[{ required: true, message: t('items.form.required') }]}
          >
            <RefSelect api={itemRef} disabled={Boolean(bom)} aria-label={t('boms.item')} />
          </Form.Item>
        </Col>
        <Col xs={8} md={4}>
          <Form.Item
            name="versionLabel"
            label={t('boms.versionLabel')}
            rules={[{ required: true, whitespace: true, message: t('items.form.required') }]}
          >
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
      {linesEditor}
    </Form>
  );

  return (
    <Drawer
      open={mode !== null}
      onClose={onClose}
      size={narrow ? '100%' : 980}
      destroyOnHidden
      title={
        <Flex gap={8} align="center" wrap>
          <span>
            {bom ? t('boms.editTitle', { code: bom.itemCode, label: bom.versionLabel }) : t('boms.new')}
          </span>
          {bom ? <StatusTag status={bom.status as VersionStatusValue} /> : null}
          {bom ? (
            <Typography.Text type="secondary" className="takt-small">
              {t('items.form.version', { version: bom.version, time: format.dateTime(bom.updatedAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      footer={
        <Flex justify="space-between" gap={8} wrap>
          <Space wrap>
            {bom && bom.status === 'draft' && can('masterdata:delete') ? (
              <Button
                danger
                disabled={busy}
                onClick={() =>
                  modal.confirm({
                    title: t('boms.deleteTitle', { code: bom.itemCode, label: bom.versionLabel }),
                    okText: t('md.delete'),
                    okButtonProps: { danger: true },
                    cancelText: t('common.cancel'),
                    onOk: () =>
                      act(async () => {
                        await bomsApi.remove(bom.id);
                        return null;
                      }, 'boms.deleted'),
                  })
                }
              >
                {t('md.delete')}
              </Button>
            ) : null}
          </Space>
          <Space wrap>
            {bom?.status === 'active' && canEdit ? (
              <Button
                loading={busy}
                onClick={() => void act(() => archiveBom(bom.id, bom.version), 'boms.archived')}
              >
                {t('boms.archive')}
              </Button>
            ) : null}
            {editable ? (
              <Button loading={busy} onClick={() => form.submit()}>
                {bom ? t('common.save') : t('common.create')}
              </Button>
            ) : null}
            {bom?.status === 'draft' && canEdit ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  modal.confirm({
                    title: t('boms.activateTitle', { code: bom.itemCode, label: bom.versionLabel }),
                    content: t('boms.activateText'),
                    okText: t('boms.activate'),
                    cancelText: t('common.cancel'),
                    onOk: () => act(() => activateBom(bom.id, bom.version), 'boms.activated'),
                  })
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
        {error?.code === 'BOM_CYCLE' ? (
          <CycleAlert error={error} />
        ) : error ? (
          <Alert
            type="error"
            showIcon
            title={error.code === 'STALE_VERSION' ? t('md.conflictTitle') : t('errors.saveFailed')}
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
        {bom && !draft ? <Alert type="info" showIcon title={t('boms.readOnly')} /> : null}
        {bom ? (
          <Tabs
            items={[
              { key: 'lines', label: t('boms.lines'), children: header },
              {
                key: 'explosion',
                label: t('boms.explosion'),
                children: <ExplosionView bom={bom} />,
              },
              {
                key: 'whereUsed',
                label: t('boms.whereUsed'),
                children: <WhereUsedView itemId={bom.itemId} />,
              },
              {
                key: 'versions',
                label: t('boms.versions'),
                children: (
                  <Table<Bom>
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={versions}
                    columns={[
                      { key: 'label', dataIndex: 'versionLabel', title: t('boms.versionLabel') },
                      {
                        key: 'status',
                        title: t('boms.status'),
                        render: (_, b) => <StatusTag status={b.status as VersionStatusValue} />,
                      },
                      { key: 'lines', title: t('boms.lines'), render: (_, b) => b.lines.length },
                      {
                        key: 'from',
                        title: t('boms.effectiveFrom'),
                        render: (_, b) => b.effectiveFrom ?? '—',
                      },
                      {
                        key: 'updated',
                        title: t('md.columns.updatedAt'),
                        render: (_, b) => format.dateTime(b.updatedAt),
                      },
                    ]}
                  />
                ),
              },
            ]}
          />
        ) : (
          header
        )}
      </Flex>
    </Drawer>
  );
}

export function BomsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const { list, filters } = useVersionList(bomsApi, 'bom');
  const [mode, setMode] = useState<Mode | null>(null);
  const onChanged = useCallback(
    (b: Bom | null) => {
      if (!b) setMode(null);
      list.reload();
    },
    [list.reload],
  );

  const columns: TableColumnsType<Bom> = [
    {
      key: 'item',
      title: t('boms.item'),
      width: 160,
      render: (_, b) => (
        <Typography.Link className="takt-mono" onClick={() => setMode({ kind: 'edit', bom: b })}>
          {b.itemCode}
        </Typography.Link>
      ),
    },
    { key: 'label', dataIndex: 'versionLabel', title: t('boms.versionLabel'), width: 100 },
    {
      key: 'status',
      title: t('boms.status'),
      width: 100,
      render: (_, b) => <StatusTag status={b.status as VersionStatusValue} />,
    },
    { key: 'lines', title: t('boms.lineCount'), width: 90, align: 'right', render: (_, b) => b.lines.length },
    {
      key: 'components',
      title: t('boms.components'),
      render: (_, b) => (
        <Typography.Text type="secondary" ellipsis className="takt-mono takt-small">
          {b.lines.map((l) => l.componentCode).join(', ')}
        </Typography.Text>
      ),
    },
    {
      key: 'effective',
      title: t('boms.effective'),
      width: 200,
      render: (_, b) =>
        b.effectiveFrom || b.effectiveTo ? `${b.effectiveFrom ?? '…'} – ${b.effectiveTo ?? '…'}` : '—',
    },
    {
      key: 'updated',
      title: t('md.columns.updatedAt'),
      width: 170,
      render: (_, b) => <span className="takt-nowrap">{format.dateTime(b.updatedAt)}</span>,
    },
    {
      key: 'copy',
      width: 120,
      render: (_, b) =>
        can('masterdata:create') ? (
          <Button size="small" onClick={() => setMode({ kind: 'create', copyOf: b })}>
            {t('boms.newVersion')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('boms.title')}
        subtitle={t('boms.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            <SheetTransfer entity="boms" noun={t('boms.title')} onImported={list.reload} />
            {can('masterdata:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode({ kind: 'create' })}>
                {t('boms.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <VersionFilters {...filters} />
          {list.error ? <ProblemAlert error={list.error} title={t('errors.loadFailed')} /> : null}
          <Table<Bom>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1150 }}
            locale={{ emptyText: list.loading ? ' ' : <Empty description={t('boms.empty')} /> }}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <BomDrawer mode={mode} onClose={() => setMode(null)} onChanged={onChanged} />
    </div>
  );
}
