import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { CustomFieldDef, CustomFieldEntity, CustomFieldKind } from '@takt/contracts';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { createCustomField, listCustomFields, updateCustomField } from '../../api/customFields.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { forgetCustomFieldDefs } from '../../components/customFields/CustomFields.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { SubmitErrorAlert } from '../../components/SubmitErrorAlert.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';

const ENTITIES: readonly CustomFieldEntity[] = ['items', 'customers', 'suppliers', 'machines', 'work_orders'];
const KINDS: readonly CustomFieldKind[] = ['text', 'number', 'date', 'choice'];
const FORM_FIELDS = new Set([
  'entity',
  'key',
  'kind',
  'labelZh',
  'labelEn',
  'required',
  'options',
  'position',
]);

interface DefForm {
  entity: CustomFieldEntity;
  key: string;
  kind: CustomFieldKind;
  labelZh: string;
  labelEn: string;
  required: boolean;
  options: string[];
  position: number | null;
}

function DefModal({
  open,
  def,
  entity,
  onClose,
  onSaved,
}: {
  open: boolean;
  def: CustomFieldDef | null;
  entity: CustomFieldEntity;
  onClose(): void;
  onSaved(def: CustomFieldDef): void;
}) {
  const { t } = useTranslation('customFields');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<DefForm>();
  const kind = Form.useWatch('kind', form);
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: FORM_FIELDS });

  useEffect(() => {
    if (!open) return;
    clear();
    form.setFieldsValue(
      def
        ? { ...def, position: def.position }
        : {
            entity,
            key: '',
            kind: 'text',
            labelZh: '',
            labelEn: '',
            required: false,
            options: [],
            position: 0,
          },
    );
  }, [open, def, entity, form, clear]);

  const submit = async (v: DefForm) => {
    const common = {
      labelZh: v.labelZh.trim(),
      labelEn: v.labelEn.trim(),
      required: v.required,
      position: v.position ?? 0,
      ...(v.kind === 'choice' ? { options: v.options ?? [] } : {}),
    };
    await run(async () => {
      const saved = def
        ? await updateCustomField(def.id, { version: def.version, ...common })
        : await createCustomField({ entity: v.entity, key: v.key.trim(), kind: v.kind, ...common });
      onSaved(saved);
    });
  };

  return (
    <Modal
      open={open}
      width={620}
      title={def ? t('editTitle', { key: def.key }) : t('newTitle')}
      okText={def ? tc('common.save') : tc('common.create')}
      cancelText={tc('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Flex vertical gap={12}>
        <SubmitErrorAlert error={error} other={other} />
        <Form<DefForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="entity" label={t('entity')} rules={[{ required: true }]}>
                <Select
                  disabled={!!def}
                  options={ENTITIES.map((e) => ({ value: e, label: t(`entities.${e}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label={t('kind')} rules={[{ required: true }]}>
                <Select disabled={!!def} options={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="key"
            label={t('key')}
            extra={t('keyHelp')}
            rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('keyHelp') }]}
          >
            <Input className="takt-mono" disabled={!!def} maxLength={40} autoComplete="off" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="labelZh" label={t('labelZh')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="labelEn" label={t('labelEn')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          {kind === 'choice' ? (
            <Form.Item
              name="options"
              label={t('options')}
              extra={t('optionsHelp')}
              rules={[{ required: true }]}
            >
              <Select mode="tags" open={false} tokenSeparators={[',', '，']} />
            </Form.Item>
          ) : null}
          <Row gutter={12}>
            <Col xs={12}>
              <Form.Item name="required" label={t('required')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={12}>
              <Form.Item name="position" label={t('position')}>
                <InputNumber min={0} max={1000} precision={0} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Flex>
    </Modal>
  );
}

/** Administrators add fields to master records and work orders, without a code change. */
export function CustomFieldsPage() {
  const { t, i18n } = useTranslation('customFields');
  const { t: tc } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [entity, setEntity] = useState<CustomFieldEntity | 'all'>('all');
  const [rows, setRows] = useState<CustomFieldDef[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<{ def: CustomFieldDef | null } | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) => {
      setLoading(true);
      listCustomFields(entity === 'all' ? {} : { entity }, signal)
        .then((r) => {
          setRows(r);
          setError(null);
        })
        .catch((e: unknown) => {
          if (!isAbortError(e)) setError(asApiError(e));
        })
        .finally(() => setLoading(false));
    },
    [entity],
  );
  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const saved = (def: CustomFieldDef) => {
    forgetCustomFieldDefs();
    setEditing(null);
    message.success(t('saved', { key: def.key }));
    load();
  };

  const toggle = (def: CustomFieldDef) => {
    const run = async () => {
      try {
        saved(await updateCustomField(def.id, { version: def.version, active: !def.active }));
      } catch (e) {
        message.error(problemText(tc, asApiError(e)));
      }
    };
    if (!def.active) return void run();
    modal.confirm({
      title: t('deactivate'),
      content: t('deactivateConfirm', { key: def.key }),
      okText: t('deactivate'),
      okButtonProps: { danger: true },
      cancelText: tc('common.cancel'),
      onOk: run,
    });
  };

  const manage = can('admin:update');
  const columns: TableColumnsType<CustomFieldDef> = [
    {
      key: 'entity',
      title: t('entity'),
      width: 110,
      render: (_, d) => t(`entities.${d.entity}`),
    },
    {
      key: 'key',
      dataIndex: 'key',
      title: t('key'),
      width: 160,
      render: (v: string) => <span className="takt-mono">{v}</span>,
    },
    {
      key: 'label',
      title: i18n.language.startsWith('zh') ? t('labelZh') : t('labelEn'),
      width: 180,
      render: (_, d) => (i18n.language.startsWith('zh') ? d.labelZh : d.labelEn),
    },
    { key: 'kind', title: t('kind'), width: 90, render: (_, d) => t(`kinds.${d.kind}`) },
    {
      key: 'required',
      title: t('required'),
      width: 80,
      render: (_, d) => (d.required ? tc('common.yes') : tc('common.no')),
    },
    {
      key: 'options',
      title: t('options'),
      width: 240,
      render: (_, d) => (
        <Space size={[4, 4]} wrap>
          {d.options.map((o) => (
            <Tag key={o}>{o}</Tag>
          ))}
        </Space>
      ),
    },
    { key: 'position', dataIndex: 'position', title: t('position'), width: 70 },
    {
      key: 'status',
      title: t('status'),
      width: 100,
      render: (_, d) => (
        <Badge status={d.active ? 'success' : 'default'} text={d.active ? t('active') : t('inactive')} />
      ),
    },
    ...(manage
      ? [
          {
            key: 'actions',
            title: tc('items.columns.actions'),
            width: 170,
            render: (_: unknown, d: CustomFieldDef) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ def: d })}>
                  {tc('common.edit')}
                </Button>
                <Button size="small" danger={d.active} onClick={() => toggle(d)}>
                  {d.active ? t('deactivate') : t('activate')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => load()}>
              {tc('common.refresh')}
            </Button>
            {can('admin:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ def: null })}>
                {t('add')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {error ? <ProblemAlert error={error} /> : null}
      <Card className="takt-card" size="small">
        <Flex vertical gap={12}>
          <Segmented
            value={entity}
            onChange={(v) => setEntity(v as CustomFieldEntity | 'all')}
            options={[
              { value: 'all', label: t('allEntities') },
              ...ENTITIES.map((e) => ({ value: e, label: t(`entities.${e}`) })),
            ]}
          />
          <Table<CustomFieldDef>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1200 }}
            locale={{ emptyText: t('none') }}
          />
        </Flex>
      </Card>
      <DefModal
        open={editing !== null}
        def={editing?.def ?? null}
        entity={entity === 'all' ? 'items' : entity}
        onClose={() => setEditing(null)}
        onSaved={saved}
      />
    </Flex>
  );
}
