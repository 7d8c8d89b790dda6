import {
  DeleteOutlined,
  EditOutlined,
  KeyOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  ReloadOutlined,
  SendOutlined,
} from '@ant-design/icons';
import type {
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookSubscription,
  WebhookSubscriptionWithSecret,
} from '@takt/contracts';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { SubmitErrorAlert } from '../../components/SubmitErrorAlert.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useFormat } from '../../i18n/format.ts';
import {
  createSubscription,
  deleteSubscription,
  getDelivery,
  listDeliveries,
  listSubscriptions,
  replayDelivery,
  rotateSecret,
  updateSubscription,
} from './api.ts';
import { BodyBlock, HttpStatusTag } from './common.tsx';

interface FormValues {
  name: string;
  url: string;
  eventTypes: string[];
  filter: { field: string; value: string }[];
  active: boolean;
}

const FIELDS = new Set(['name', 'url', 'eventTypes']);
const DELIVERY_COLOR = { pending: 'processing', succeeded: 'success', dead: 'error' } as const;

/** A filter value as typed: numbers, true/false and null keep their JSON type. */
function parseValue(v: string): string | number | boolean | null {
  const s = v.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s !== '' && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

function SubscriptionModal({
  editing,
  open,
  onClose,
  onSaved,
}: {
  editing: WebhookSubscription | null;
  open: boolean;
  onClose(): void;
  onSaved(saved: WebhookSubscription | WebhookSubscriptionWithSecret): void;
}) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS });
  return (
    <Modal
      open={open}
      width={640}
      title={editing ? t('webhooks.edit') : t('webhooks.new')}
      okText={editing ? tc('common.save') : tc('common.create')}
      cancelText={tc('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
      afterOpenChange={(o) => {
        if (o) clear();
      }}
    >
      <Flex vertical gap={12}>
        <SubmitErrorAlert error={error} other={other} />
        <Form<FormValues>
          form={form}
          layout="vertical"
          preserve={false}
          clearOnDestroy
          initialValues={{
            name: editing?.name ?? '',
            url: editing?.url ?? 'https://',
            eventTypes: editing?.eventTypes ?? [],
            filter: Object.entries(editing?.filter ?? {}).map(([field, value]) => ({
              field,
              value: value === null ? 'null' : String(value),
            })),
            active: editing?.active ?? true,
          }}
          onFinish={async (v) => {
            const rows = (v.filter ?? []).filter((f) => f?.field?.trim());
            const filter = rows.length
              ? Object.fromEntries(rows.map((f) => [f.field.trim(), parseValue(f.value ?? '')]))
              : null;
            await run(async () => {
              const body = {
                name: v.name.trim(),
                url: v.url.trim(),
                eventTypes: v.eventTypes.map((e) => e.trim()).filter(Boolean),
                filter,
                active: v.active,
              };
              onSaved(
                editing
                  ? await updateSubscription(editing.id, { version: editing.version, ...body })
                  : await createSubscription(body),
              );
            });
          }}
        >
          <Form.Item
            name="name"
            label={t('webhooks.name')}
            rules={[{ required: true, whitespace: true, message: t('alerts.required') }]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="url"
            label={t('webhooks.url')}
            extra={t('webhooks.urlHelp')}
            rules={[{ required: true, pattern: /^https?:\/\/.{3,}/, message: t('webhooks.urlHelp') }]}
          >
            <Input maxLength={2000} className="takt-mono" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="eventTypes"
            label={t('webhooks.eventTypes')}
            extra={t('webhooks.eventTypesHelp')}
            rules={[{ required: true, type: 'array', min: 1, message: t('alerts.required') }]}
          >
            <Select
              mode="tags"
              tokenSeparators={[',', ' ']}
              open={false}
              suffixIcon={null}
              aria-label={t('webhooks.eventTypes')}
            />
          </Form.Item>
          <Form.Item label={t('webhooks.filter')} extra={t('webhooks.filterHelp')}>
            <Form.List name="filter">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'field']} noStyle>
                        <Input
                          placeholder={t('webhooks.filterField')}
                          className="takt-mono"
                          style={{ width: 220 }}
                        />
                      </Form.Item>
                      <span>=</span>
                      <Form.Item name={[f.name, 'value']} noStyle>
                        <Input placeholder={t('webhooks.filterValue')} style={{ width: 220 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('webhooks.delete')} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ field: '', value: '' })}>
                    {t('webhooks.addFilter')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="active" label={t('webhooks.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

function SecretModal({ shown, onClose }: { shown: WebhookSubscriptionWithSecret | null; onClose(): void }) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  return (
    <Modal
      open={shown !== null}
      title={t('webhooks.secretTitle')}
      destroyOnHidden
      onCancel={onClose}
      footer={<Button onClick={onClose}>{tc('common.close')}</Button>}
    >
      {shown ? (
        <Flex vertical gap={12}>
          <Alert type="warning" showIcon title={t('webhooks.secretOnce')} />
          <Typography.Text code copyable className="takt-mono" data-testid="webhook-secret">
            {shown.secret}
          </Typography.Text>
          {shown.previousSecretValidUntil ? (
            <Typography.Text type="secondary">
              {t('webhooks.secretPrevious', { time: format.dateTime(shown.previousSecretValidUntil) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ) : null}
    </Modal>
  );
}

function DeliveryDrawer({
  id,
  onClose,
  onReplayed,
}: {
  id: string | null;
  onClose(): void;
  onReplayed(d: WebhookDelivery): void;
}) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const [detail, setDetail] = useState<WebhookDeliveryDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [replaying, setReplaying] = useState(false);
  const { can } = useAuth();
  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!id) return;
    const controller = new AbortController();
    getDelivery(id, controller.signal)
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
      title={t('webhooks.delivery', { id: id ?? '' })}
      loading={id !== null && !detail && !error}
      extra={
        detail && detail.status !== 'pending' && can('integration:execute') ? (
          <Button
            icon={<SendOutlined />}
            loading={replaying}
            onClick={async () => {
              setReplaying(true);
              try {
                const d = await replayDelivery(detail.id);
                message.success(t('webhooks.replayed'));
                setDetail({ ...detail, ...d });
                onReplayed(d);
              } catch (e) {
                message.error(problemText(tc, asApiError(e)));
              } finally {
                setReplaying(false);
              }
            }}
          >
            {t('webhooks.replay')}
          </Button>
        ) : null
      }
    >
      {error ? <ProblemAlert error={error} title={tc('errors.loadFailed')} /> : null}
      {detail ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('webhooks.event')}>
              <span className="takt-mono">{detail.eventType}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('webhooks.seq')}>{detail.eventSeq}</Descriptions.Item>
            <Descriptions.Item label={t('webhooks.status')}>
              <Badge
                status={DELIVERY_COLOR[detail.status]}
                text={t(`webhooks.deliveryStatus.${detail.status}`)}
              />
            </Descriptions.Item>
            <Descriptions.Item label={t('webhooks.attempts')}>{detail.attempts}</Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('webhooks.payload')}</Typography.Title>
            <BodyBlock body={detail.payload} empty={t('requests.noBody')} />
          </div>
          {detail.log.length === 0 ? (
            <Typography.Text type="secondary">{t('webhooks.noAttempts')}</Typography.Text>
          ) : null}
          {detail.log.map((a) => (
            <Card
              key={a.attempt}
              size="small"
              title={
                <Flex gap={8} align="center">
                  {t('webhooks.attempt', { n: a.attempt })}
                  <HttpStatusTag status={a.responseStatus} />
                  <Typography.Text type="secondary" className="takt-small">
                    {format.dateTime(a.at)} · {t('webhooks.duration', { ms: a.durationMs })}
                  </Typography.Text>
                </Flex>
              }
            >
              <Flex vertical gap={8}>
                <Typography.Text strong>{t('webhooks.request')}</Typography.Text>
                <Typography.Text className="takt-mono takt-small">POST {a.requestUrl}</Typography.Text>
                <BodyBlock body={a.requestHeaders} empty="—" />
                <Typography.Text strong>{t('webhooks.response')}</Typography.Text>
                {a.error ? <Typography.Text type="danger">{a.error}</Typography.Text> : null}
                <BodyBlock body={a.responseBody} empty={t('webhooks.noResponse')} />
              </Flex>
            </Card>
          ))}
        </Flex>
      ) : null}
    </Drawer>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [subs, setSubs] = useState<WebhookSubscription[]>([]);
  const [subsError, setSubsError] = useState<ApiError | null>(null);
  const [subsLoading, setSubsLoading] = useState(true);
  const [editing, setEditing] = useState<WebhookSubscription | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const [secret, setSecret] = useState<WebhookSubscriptionWithSecret | null>(null);
  const [params, update] = useUrlState();
  const subscriptionId = params.get('subscriptionId') ?? undefined;
  const status = (params.get('status') ?? undefined) as WebhookDelivery['status'] | undefined;
  const [openDelivery, setOpenDelivery] = useState<string | null>(null);

  const loadSubs = useCallback(() => {
    setSubsLoading(true);
    listSubscriptions()
      .then((r) => {
        setSubs(r.items);
        setSubsError(null);
      })
      .catch((e: unknown) => setSubsError(asApiError(e)))
      .finally(() => setSubsLoading(false));
  }, []);
  useEffect(loadSubs, [loadSubs]);

  const filters = { ...(subscriptionId ? { subscriptionId } : {}), ...(status ? { status } : {}) };
  const deliveries = useCursorList<WebhookDelivery>(
    (cursor, limit, signal) => listDeliveries({ ...filters, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(filters),
    50,
  );
  const subName = new Map(subs.map((s) => [s.id, s.name]));
  // While deliveries are on their way, look again every three seconds.
  const pending = deliveries.items.some((d) => d.status === 'pending');
  const reloadDeliveries = useRef(deliveries.reload);
  reloadDeliveries.current = deliveries.reload;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => reloadDeliveries.current(), 3000);
    return () => clearInterval(timer);
  }, [pending]);

  const subColumns: TableColumnsType<WebhookSubscription> = [
    { key: 'name', dataIndex: 'name', title: t('webhooks.name'), width: 180 },
    {
      key: 'url',
      dataIndex: 'url',
      title: t('webhooks.url'),
      render: (v: string) => (
        <Typography.Text className="takt-mono takt-small" ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      key: 'events',
      title: t('webhooks.eventTypes'),
      render: (_, r) => (
        <Flex gap={4} wrap>
          {r.eventTypes.map((e) => (
            <Tag key={e} className="takt-mono">
              {e}
            </Tag>
          ))}
          {r.filter
            ? Object.entries(r.filter).map(([k, v]) => (
                <Tag key={k} color="purple" className="takt-mono">
                  {k}={String(v)}
                </Tag>
              ))
            : null}
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('webhooks.status'),
      width: 200,
      render: (_, r) => (
        <Flex vertical>
          <Badge
            status={r.active ? (r.consecutiveFailures > 0 ? 'warning' : 'success') : 'default'}
            text={r.active ? t('webhooks.active') : t('webhooks.disabled')}
          />
          {r.disabledReason ? (
            <Typography.Text type="danger" className="takt-small">
              {r.disabledReason}
            </Typography.Text>
          ) : null}
          {r.failingSince ? (
            <Typography.Text type="warning" className="takt-small">
              {t('webhooks.failing', { time: format.relative(r.failingSince) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: '',
      width: 130,
      render: (_, r) => (
        <Space size={0}>
          <Button
            type="text"
            icon={<EditOutlined />}
            disabled={!can('integration:update')}
            aria-label={t('webhooks.edit')}
            title={t('webhooks.edit')}
            onClick={() => {
              setEditing(r);
              setModalOpen(true);
            }}
          />
          <Button
            type="text"
            icon={<KeyOutlined />}
            disabled={!can('integration:update')}
            aria-label={t('webhooks.rotate')}
            title={t('webhooks.rotate')}
            onClick={() =>
              modal.confirm({
                title: t('webhooks.rotate'),
                content: t('webhooks.rotateConfirm'),
                okText: t('webhooks.rotate'),
                cancelText: tc('common.cancel'),
                onOk: async () => {
                  try {
                    setSecret(await rotateSecret(r.id));
                    loadSubs();
                  } catch (e) {
                    message.error(problemText(tc, asApiError(e)));
                  }
                },
              })
            }
          />
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            disabled={!can('integration:delete')}
            aria-label={t('webhooks.delete')}
            title={t('webhooks.delete')}
            onClick={() =>
              modal.confirm({
                title: t('webhooks.delete'),
                content: t('webhooks.deleteConfirm', { name: r.name }),
                okText: t('webhooks.delete'),
                okButtonProps: { danger: true },
                cancelText: tc('common.cancel'),
                onOk: async () => {
                  try {
                    await deleteSubscription(r.id);
                    message.success(t('webhooks.deleted'));
                    loadSubs();
                  } catch (e) {
                    message.error(problemText(tc, asApiError(e)));
                  }
                },
              })
            }
          />
        </Space>
      ),
    },
  ];

  const deliveryColumns: TableColumnsType<WebhookDelivery> = [
    {
      key: 'at',
      title: t('webhooks.created'),
      width: 170,
      render: (_, r) => <span className="takt-nowrap">{format.dateTime(r.createdAt)}</span>,
    },
    {
      key: 'sub',
      title: t('webhooks.name'),
      width: 160,
      render: (_, r) => subName.get(r.subscriptionId) ?? r.subscriptionId,
    },
    {
      key: 'event',
      title: t('webhooks.event'),
      render: (_, r) => (
        <span className="takt-mono">
          #{r.eventSeq} {r.eventType}
        </span>
      ),
    },
    {
      key: 'status',
      title: t('webhooks.status'),
      width: 120,
      render: (_, r) => (
        <Badge status={DELIVERY_COLOR[r.status]} text={t(`webhooks.deliveryStatus.${r.status}`)} />
      ),
    },
    { key: 'attempts', dataIndex: 'attempts', title: t('webhooks.attempts'), width: 100, align: 'right' },
    {
      key: 'last',
      title: t('webhooks.lastStatus'),
      render: (_, r) => (
        <Flex gap={4} align="center">
          <HttpStatusTag status={r.lastStatus} />
          {r.lastError ? (
            <Typography.Text type="danger" className="takt-small" ellipsis={{ tooltip: r.lastError }}>
              {r.lastError}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: '',
      width: 150,
      render: (_, r) => (
        <Space size={0}>
          <Button type="link" onClick={() => setOpenDelivery(r.id)}>
            {tc('common.details')}
          </Button>
          {r.status !== 'pending' && can('integration:execute') ? (
            <Button
              type="link"
              onClick={async () => {
                try {
                  const d = await replayDelivery(r.id);
                  message.success(t('webhooks.replayed'));
                  deliveries.setItems((items) => items.map((x) => (x.id === d.id ? d : x)));
                } catch (e) {
                  message.error(problemText(tc, asApiError(e)));
                }
              }}
            >
              {t('webhooks.replay')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('webhooks.title')}
        subtitle={t('webhooks.subtitle')}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              loading={subsLoading || deliveries.loading}
              onClick={() => {
                loadSubs();
                deliveries.reload();
              }}
            >
              {tc('common.refresh')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              disabled={!can('integration:create')}
              onClick={() => {
                setEditing(null);
                setModalOpen(true);
              }}
            >
              {t('webhooks.new')}
            </Button>
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card className="takt-card">
          {subsError ? <ProblemAlert error={subsError} title={tc('errors.loadFailed')} /> : null}
          <Table<WebhookSubscription>
            rowKey="id"
            size="middle"
            columns={subColumns}
            dataSource={subs}
            loading={subsLoading}
            pagination={false}
            scroll={{ x: 1000 }}
            data-testid="webhook-subscriptions"
          />
        </Card>
        <Card className="takt-card" title={t('webhooks.deliveries')}>
          <Flex vertical gap={12}>
            <Flex gap={12} wrap>
              <Select
                allowClear
                style={{ width: 240 }}
                placeholder={t('webhooks.allSubscriptions')}
                aria-label={t('webhooks.allSubscriptions')}
                value={subscriptionId}
                onChange={(v?: string) => update({ subscriptionId: v })}
                options={subs.map((s) => ({ value: s.id, label: s.name }))}
              />
              <Select
                allowClear
                style={{ width: 180 }}
                placeholder={t('webhooks.allStatuses')}
                aria-label={t('webhooks.allStatuses')}
                value={status}
                onChange={(v?: string) => update({ status: v })}
                options={(['pending', 'succeeded', 'dead'] as const).map((s) => ({
                  value: s,
                  label: t(`webhooks.deliveryStatus.${s}`),
                }))}
              />
            </Flex>
            {deliveries.error ? (
              <ProblemAlert error={deliveries.error} title={tc('errors.loadFailed')} />
            ) : null}
            <Table<WebhookDelivery>
              rowKey="id"
              size="middle"
              columns={deliveryColumns}
              dataSource={deliveries.items}
              loading={deliveries.loading && deliveries.items.length === 0}
              pagination={false}
              scroll={{ x: 1000 }}
            />
            <LoadMoreFooter list={deliveries} />
          </Flex>
        </Card>
      </Flex>
      <SubscriptionModal
        open={modalOpen}
        editing={editing}
        onClose={() => setModalOpen(false)}
        onSaved={(saved) => {
          setModalOpen(false);
          message.success(t('webhooks.saved'));
          if ('secret' in saved) setSecret(saved);
          loadSubs();
        }}
      />
      <SecretModal shown={secret} onClose={() => setSecret(null)} />
      <DeliveryDrawer
        id={openDelivery}
        onClose={() => setOpenDelivery(null)}
        onReplayed={(d) => deliveries.setItems((items) => items.map((x) => (x.id === d.id ? d : x)))}
      />
    </div>
  );
}
