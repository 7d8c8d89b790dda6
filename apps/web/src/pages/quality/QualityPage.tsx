import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Inspection, InspectionResult } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { type InspectionStateName, listInspections, recordInspectionResult } from '../../api/quality.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { applyFieldErrors } from '../../components/formErrors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { useThrottledCallback } from '../../hooks/useThrottledCallback.ts';
import { useFormat } from '../../i18n/format.ts';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { LiveNote } from '../../live/LiveNote.tsx';
import './quality.css';

type Filter = 'open' | 'passed' | 'failed' | 'all';
const FILTER_STATE: Record<Filter, InspectionStateName | undefined> = {
  open: 'requested',
  passed: 'passed',
  failed: 'failed',
  all: undefined,
};
const STATE_COLORS: Record<InspectionStateName, string> = {
  requested: 'processing',
  passed: 'success',
  failed: 'error',
};

export function StateTag({ state }: { state: InspectionStateName }) {
  const { t } = useTranslation('quality');
  return (
    <Tag color={STATE_COLORS[state]} data-state={state}>
      {t(`state.${state}`)}
    </Tag>
  );
}

/** First-article inspections: what waits for quality, what was found, and recording a result. */
export function QualityPage() {
  const { t } = useTranslation('quality');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const [filter, setFilter] = useState<Filter>('open');
  const [woText, setWoText] = useState('');
  const [rows, setRows] = useState<Inspection[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const [recording, setRecording] = useState<Inspection | null>(null);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` triggers a reload
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listInspections({ state: FILTER_STATE[filter], limit: 500 }, controller.signal)
      .then((list) => {
        setRows(list);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setError(asApiError(e));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [filter, tick]);

  const liveReload = useThrottledCallback(reload, 1000);
  useLiveEvents(['quality'], () => liveReload(), { onResync: reload });

  const shown = useMemo(() => {
    const q = woText.trim().toUpperCase();
    return q ? rows.filter((r) => r.workOrderCode.toUpperCase().includes(q)) : rows;
  }, [rows, woText]);

  const mayRecord = can('quality:approve');
  const columns = useMemo<TableColumnsType<Inspection>>(
    () => [
      { key: 'code', dataIndex: 'code', title: t('col.code'), width: 130, fixed: 'left' },
      { key: 'state', title: t('col.state'), width: 80, render: (_, r) => <StateTag state={r.state} /> },
      {
        key: 'wo',
        title: t('col.workOrder'),
        width: 150,
        render: (_, r) => (
          <>
            {r.workOrderCode}
            <Typography.Text type="secondary" className="qa-line">
              {r.itemCode}
            </Typography.Text>
          </>
        ),
      },
      {
        key: 'op',
        title: t('col.operation'),
        width: 120,
        render: (_, r) => `${r.operationSeq} ${r.operationName}`,
      },
      {
        key: 'requested',
        title: t('col.requested'),
        width: 150,
        render: (_, r) => (
          <>
            {format.dateTime(r.requestedAt)}
            {r.requestedBy ? (
              <Typography.Text type="secondary" className="qa-line">
                {t('by', { name: r.requestedBy })}
              </Typography.Text>
            ) : null}
            {r.requestNote ? (
              <Typography.Text type="secondary" className="qa-line">
                {r.requestNote}
              </Typography.Text>
            ) : null}
          </>
        ),
      },
      {
        key: 'inspected',
        title: t('col.inspected'),
        width: 150,
        render: (_, r) =>
          r.inspectedAt ? (
            <>
              {format.dateTime(r.inspectedAt)}
              {r.inspector ? (
                <Typography.Text type="secondary" className="qa-line">
                  {t('by', { name: r.inspector })}
                </Typography.Text>
              ) : null}
            </>
          ) : (
            <Typography.Text type="secondary">
              {t('waitingFor', { time: format.relative(r.requestedAt) })}
            </Typography.Text>
          ),
      },
      {
        key: 'sample',
        title: t('col.sample'),
        width: 90,
        align: 'right',
        render: (_, r) => (r.sampleQty === null ? '—' : format.decimal(r.sampleQty)),
      },
      {
        key: 'notes',
        title: t('col.notes'),
        width: 190,
        render: (_, r) => (
          <>
            {r.notes || (r.characteristics.length ? '' : '—')}
            {r.characteristics.map((c) => (
              <div key={c.name}>
                {c.name}: {c.measured}
                {c.unit ? ` ${c.unit}` : ''}
                {c.nominal !== null ? ` (${c.nominal} −${c.lowerTol ?? '∞'}/+${c.upperTol ?? '∞'})` : ''}
                {c.conforming ? null : (
                  <Tag color="error" className="qa-tag">
                    {t('outOfTolerance')}
                  </Tag>
                )}
              </div>
            ))}
          </>
        ),
      },
      {
        key: 'actions',
        title: '',
        width: 110,
        fixed: 'right',
        render: (_, r) =>
          r.state === 'requested' && mayRecord ? (
            <Button
              type="primary"
              size="small"
              data-testid={`record-${r.code}`}
              onClick={() => setRecording(r)}
            >
              {t('record')}
            </Button>
          ) : null,
      },
    ],
    [t, format, mayRecord],
  );

  return (
    <div className="takt-page">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <>
            <LiveNote />
            <Button icon={<ReloadOutlined />} loading={loading} onClick={reload}>
              {tc('common.refresh')}
            </Button>
          </>
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          aria-label={t('col.state')}
          options={(['open', 'passed', 'failed', 'all'] as const).map((f) => ({
            value: f,
            label: t(`filter.${f}`),
          }))}
        />
        <Input.Search
          allowClear
          placeholder={t('searchWo')}
          aria-label={t('searchWo')}
          value={woText}
          onChange={(e) => setWoText(e.target.value)}
          style={{ width: 220 }}
        />
      </Space>
      {error ? <ProblemAlert error={error} /> : null}
      <Table<Inspection>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={shown}
        pagination={false}
        scroll={{ x: 1170 }}
        locale={{ emptyText: t('empty') }}
      />
      {recording ? (
        <RecordDialog
          inspection={recording}
          onClose={() => setRecording(null)}
          onSaved={(next) => {
            setRecording(null);
            setRows((list) => list.map((r) => (r.id === next.id ? next : r)));
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

interface RecordForm {
  result: 'pass' | 'fail';
  sampleQty: string;
  notes?: string;
  characteristics?: {
    name: string;
    nominal?: string;
    lowerTol?: string;
    upperTol?: string;
    measured: string;
    unit?: string;
  }[];
}

const FORM_FIELDS = new Set(['result', 'sampleQty', 'notes', 'characteristics']);

/** Pass or fail with the sample size and the measured characteristics (nominal ± tolerance). */
function RecordDialog({
  inspection,
  onClose,
  onSaved,
}: {
  inspection: Inspection;
  onClose: () => void;
  onSaved: (next: Inspection) => void;
}) {
  const { t } = useTranslation('quality');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordForm>();
  const [busy, setBusy] = useState(false);
  const [rest, setRest] = useState<string[]>([]);
  const result = Form.useWatch('result', form);

  const submit = async (values: RecordForm) => {
    setBusy(true);
    setRest([]);
    const blank = (v?: string) => (v?.trim() ? v.trim() : null);
    const body: InspectionResult = {
      version: inspection.version,
      result: values.result,
      sampleQty: values.sampleQty.trim(),
      ...(values.notes?.trim() ? { notes: values.notes.trim() } : {}),
      characteristics: (values.characteristics ?? []).map((c) => ({
        name: c.name.trim(),
        nominal: blank(c.nominal),
        lowerTol: blank(c.lowerTol),
        upperTol: blank(c.upperTol),
        measured: c.measured.trim(),
        ...(c.unit?.trim() ? { unit: c.unit.trim() } : {}),
      })),
    };
    try {
      const next = await recordInspectionResult(inspection.id, body);
      message.success(t('saved', { code: next.code, state: t(`state.${next.state}`) }));
      onSaved(next);
    } catch (e) {
      const err = asApiError(e);
      if (err.status === 409 && err.code === 'STALE_VERSION') {
        message.warning(t('stale', { code: inspection.code }));
        onClose();
        return;
      }
      const left = applyFieldErrors(tc, form, err, (name) => FORM_FIELDS.has(name));
      setRest(left.length ? left : err.fieldErrors.length ? [] : [problemText(tc, err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={860}
      title={t('recordTitle', {
        code: inspection.code,
        wo: inspection.workOrderCode,
        seq: inspection.operationSeq,
        name: inspection.operationName,
      })}
      okText={t('record')}
      cancelText={tc('common.cancel')}
      okButtonProps={{ loading: busy, id: 'quality-record-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {inspection.requestNote ? (
        <p>
          {t('requestNote')}: {inspection.requestNote}
        </p>
      ) : null}
      <Form<RecordForm>
        form={form}
        layout="vertical"
        initialValues={{ result: 'pass', sampleQty: '1', characteristics: [] }}
        onFinish={(v) => void submit(v)}
      >
        <Space size="large" align="start" wrap>
          <Form.Item name="result" label={t('result')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="record-result">
              <Radio.Button value="pass" data-testid="result-pass">
                {t('pass')}
              </Radio.Button>
              <Radio.Button value="fail" data-testid="result-fail">
                {t('fail')}
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="sampleQty"
            label={t('sampleQty')}
            rules={[{ required: true, pattern: /^\d+(\.\d{1,3})?$/, message: t('required') }]}
          >
            <Input inputMode="decimal" style={{ width: 120 }} data-testid="record-sample" />
          </Form.Item>
        </Space>
        {result === 'fail' ? (
          <Alert type="warning" showIcon title={t('failAlert')} style={{ marginBottom: 12 }} />
        ) : null}
        <div className="ant-form-item-label">
          <span>{t('characteristics')}</span>
        </div>
        <Form.List name="characteristics">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} align="start" wrap gap={6}>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, message: t('required') }]}>
                    <Input placeholder={t('charName')} aria-label={t('charName')} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'nominal']}>
                    <Input placeholder={t('nominal')} aria-label={t('nominal')} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'lowerTol']}>
                    <Input placeholder={t('lowerTol')} aria-label={t('lowerTol')} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'upperTol']}>
                    <Input placeholder={t('upperTol')} aria-label={t('upperTol')} style={{ width: 80 }} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'measured']}
                    rules={[{ required: true, message: t('required') }]}
                  >
                    <Input placeholder={t('measured')} aria-label={t('measured')} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'unit']}>
                    <Input placeholder={t('unit')} aria-label={t('unit')} style={{ width: 70 }} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={tc('md.removeRow')}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ name: '', measured: '' })}
                data-testid="add-characteristic"
              >
                {t('addCharacteristic')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="notes" label={t('notesLabel')} style={{ marginTop: 16 }}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="record-notes" />
        </Form.Item>
      </Form>
      {rest.length ? <Alert type="error" showIcon title={rest.join('; ')} /> : null}
    </Modal>
  );
}
