import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import type {
  AlertChannel,
  AlertChannelCreate,
  AlertNotification,
  AlertNotificationQuery,
  AlertRule,
  EmailSettings,
} from '@takt/contracts';
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client.ts';
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
  createChannel,
  createRule,
  deleteChannel,
  deleteRule,
  listChannels,
  listNotifications,
  listRules,
  testChannel,
  updateChannel,
  updateRule,
} from './api.ts';
import { SeverityTag } from './common.tsx';

type Kind = AlertChannel['kind'];
const CHANNEL_FIELDS = new Set(['name', 'url', 'secret', 'ratePerMinute', 'kind']);
const RULE_FIELDS = new Set(['pattern', 'minSeverity', 'channelId']);
const KINDS: Kind[] = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email', 'in_app'];
const SEVERITIES = ['info', 'warning', 'critical'] as const;
const NOTE_STATUSES = ['pending', 'sent', 'suppressed', 'summarised', 'failed'] as const;
const NOTE_BADGE = {
  pending: 'processing',
  sent: 'success',
  suppressed: 'warning',
  summarised: 'default',
  failed: 'error',
} as const;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFAULT_PORT = { tls: 465, starttls: 587, none: 25 } as const;

interface ChannelForm {
  name: string;
  kind: Kind;
  url: string;
  secret: string;
  clearSecret: boolean;
  ratePerMinute: number;
  active: boolean;
  host: string;
  port: number;
  security: EmailSettings['security'];
  user: string;
  from: string;
  to: string[];
}

function ChannelModal({
  open,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: AlertChannel | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<ChannelForm>();
  const kind = Form.useWatch('kind', form);
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: CHANNEL_FIELDS });
  const signs = kind === 'dingtalk' || kind === 'feishu';
  const email = kind === 'email';
  const needsUrl = kind !== 'in_app' && kind !== 'email';

  return (
    <Modal
      open={open}
      width={680}
      title={editing ? t('alerts.editChannel') : t('alerts.newChannel')}
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
        <Form<ChannelForm>
          form={form}
          layout="vertical"
          preserve={false}
          clearOnDestroy
          initialValues={{
            name: editing?.name ?? '',
            kind: editing?.kind ?? 'wecom',
            url: editing?.url || 'https://',
            secret: '',
            clearSecret: false,
            ratePerMinute: editing?.ratePerMinute ?? 20,
            active: editing?.active ?? true,
            host: editing?.email?.host ?? '',
            port: editing?.email?.port ?? 465,
            security: editing?.email?.security ?? 'tls',
            user: editing?.email?.user ?? '',
            from: editing?.email?.from ?? '',
            to: editing?.email?.to ?? [],
          }}
          onFinish={async (v) => {
            const settings: EmailSettings | undefined =
              v.kind === 'email'
                ? {
                    host: v.host.trim(),
                    port: v.port,
                    security: v.security,
                    ...(v.user?.trim() ? { user: v.user.trim() } : {}),
                    from: v.from.trim(),
                    to: v.to.map((x) => x.trim()).filter(Boolean),
                  }
                : undefined;
            const secret = v.secret?.trim();
            await run(async () => {
              if (editing) {
                await updateChannel(editing.id, {
                  version: editing.version,
                  name: v.name.trim(),
                  ...(needsUrl ? { url: v.url.trim() } : {}),
                  ...(settings ? { email: settings } : {}),
                  ...(v.clearSecret ? { secret: null } : secret ? { secret } : {}),
                  ratePerMinute: v.ratePerMinute,
                  active: v.active,
                });
              } else {
                const body: AlertChannelCreate = {
                  name: v.name.trim(),
                  kind: v.kind,
                  ...(needsUrl ? { url: v.url.trim() } : {}),
                  ...(settings ? { email: settings } : {}),
                  ...(secret ? { secret } : {}),
                  ratePerMinute: v.ratePerMinute,
                  active: v.active,
                };
                await createChannel(body);
              }
              onSaved();
            });
          }}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="name"
                label={t('alerts.name')}
                rules={[{ required: true, whitespace: true, message: t('alerts.required') }]}
              >
                <Input maxLength={100} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="kind" label={t('alerts.kind')}>
                <Select
                  disabled={editing !== null}
                  aria-label={t('alerts.kind')}
                  options={KINDS.map((k) => ({ value: k, label: t(`alerts.kinds.${k}`) }))}
                />
              </Form.Item>
            </Col>
          </Row>
          {needsUrl ? (
            <Form.Item
              name="url"
              label={t('alerts.url')}
              rules={[{ required: true, pattern: /^https?:\/\/.{3,}/, message: t('alerts.required') }]}
            >
              <Input maxLength={2000} className="takt-mono" autoComplete="off" />
            </Form.Item>
          ) : null}
          {email ? (
            <>
              <Row gutter={16}>
                <Col xs={24} sm={10}>
                  <Form.Item
                    name="host"
                    label={t('alerts.smtpHost')}
                    rules={[{ required: true, whitespace: true, message: t('alerts.required') }]}
                  >
                    <Input maxLength={253} className="takt-mono" placeholder="smtp.example.com" />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={7}>
                  <Form.Item name="security" label={t('alerts.security')}>
                    <Select
                      aria-label={t('alerts.security')}
                      onChange={(s: EmailSettings['security']) => form.setFieldValue('port', DEFAULT_PORT[s])}
                      options={(['tls', 'starttls', 'none'] as const).map((s) => ({
                        value: s,
                        label: t(`alerts.securities.${s}`),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={7}>
                  <Form.Item name="port" label={t('alerts.smtpPort')} rules={[{ required: true }]}>
                    <InputNumber min={1} max={65535} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <Form.Item name="user" label={t('alerts.smtpUser')}>
                    <Input maxLength={200} autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="secret"
                    label={t('alerts.smtpPassword')}
                    extra={editing?.signed ? t('alerts.secretKeep') : undefined}
                  >
                    <Input.Password maxLength={200} autoComplete="new-password" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name="from"
                label={t('alerts.from')}
                rules={[{ required: true, pattern: EMAIL_RE, message: t('alerts.badEmail') }]}
              >
                <Input maxLength={254} placeholder="takt@example.com" />
              </Form.Item>
              <Form.Item
                name="to"
                label={t('alerts.to')}
                extra={t('alerts.toHelp')}
                rules={[
                  { required: true, type: 'array', min: 1, message: t('alerts.required') },
                  {
                    validator: (_, value: string[] | undefined) =>
                      (value ?? []).every((x) => EMAIL_RE.test(x.trim()))
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('alerts.badEmail'))),
                  },
                ]}
              >
                <Select
                  mode="tags"
                  open={false}
                  suffixIcon={null}
                  tokenSeparators={[',', ';', ' ']}
                  aria-label={t('alerts.to')}
                />
              </Form.Item>
            </>
          ) : null}
          {signs ? (
            <Form.Item
              name="secret"
              label={t('alerts.secret')}
              extra={editing?.signed ? t('alerts.secretKeep') : t('alerts.secretHelp')}
            >
              <Input.Password maxLength={200} autoComplete="new-password" />
            </Form.Item>
          ) : null}
          {editing?.signed && (signs || email) ? (
            <Form.Item name="clearSecret" valuePropName="checked">
              <Checkbox>{t('alerts.secretClear')}</Checkbox>
            </Form.Item>
          ) : null}
          <Row gutter={16}>
            <Col xs={12}>
              <Form.Item name="ratePerMinute" label={t('alerts.ratePerMinute')} extra={t('alerts.rateHelp')}>
                <InputNumber min={1} max={600} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12}>
              <Form.Item name="active" label={t('alerts.active')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Flex>
    </Modal>
  );
}

interface RuleForm {
  pattern: string;
  minSeverity: (typeof SEVERITIES)[number];
  channelId: string;
  active: boolean;
}

function RuleModal({
  open,
  editing,
  channels,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: AlertRule | null;
  channels: AlertChannel[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<RuleForm>();
  const { saving, error, run, clear } = useFormSubmit(form, { fields: RULE_FIELDS });
  return (
    <Modal
      open={open}
      title={editing ? t('alerts.editRule') : t('alerts.newRule')}
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
        <SubmitErrorAlert error={error} />
        <Form<RuleForm>
          form={form}
          layout="vertical"
          preserve={false}
          clearOnDestroy
          initialValues={{
            pattern: editing?.pattern ?? '',
            minSeverity: editing?.minSeverity ?? 'warning',
            channelId: editing?.channelId ?? channels[0]?.id ?? '',
            active: editing?.active ?? true,
          }}
          onFinish={(v) =>
            run(async () => {
              const body = {
                pattern: v.pattern.trim(),
                minSeverity: v.minSeverity,
                channelId: v.channelId,
                active: v.active,
              };
              if (editing) await updateRule(editing.id, { version: editing.version, ...body });
              else await createRule(body);
              onSaved();
            })
          }
        >
          <Form.Item
            name="pattern"
            label={t('alerts.pattern')}
            extra={t('alerts.patternHelp')}
            rules={[{ required: true, whitespace: true, message: t('alerts.required') }]}
          >
            <Input maxLength={120} className="takt-mono" autoComplete="off" />
          </Form.Item>
          <Form.Item name="minSeverity" label={t('alerts.minSeverity')}>
            <Select
              aria-label={t('alerts.minSeverity')}
              options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="channelId"
            label={t('alerts.channel')}
            rules={[{ required: true, message: t('alerts.required') }]}
          >
            <Select
              aria-label={t('alerts.channel')}
              options={channels.map((c) => ({
                value: c.id,
                label: `${c.name} · ${t(`alerts.kinds.${c.kind}`)}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="active" label={t('alerts.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

/** Where a channel sends: the robot URL without its key, or the mail recipients. */
function targetOf(c: AlertChannel): string {
  if (c.email) return `${c.email.to.join(', ')} · ${c.email.host}:${c.email.port}`;
  if (!c.url) return '—';
  try {
    const u = new URL(c.url);
    return `${u.host}${u.pathname}`;
  } catch {
    return c.url;
  }
}

export function AlertsPage() {
  const { t } = useTranslation('integration');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [channels, setChannels] = useState<AlertChannel[]>([]);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [channelModal, setChannelModal] = useState<{ editing: AlertChannel | null } | null>(null);
  const [ruleModal, setRuleModal] = useState<{ editing: AlertRule | null } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [params, update] = useUrlState();
  const logChannel = params.get('channelId') ?? undefined;
  const logStatus = (params.get('status') ?? undefined) as AlertNotificationQuery['status'];

  const load = useCallback(() => {
    setLoading(true);
    Promise.all([listChannels(), listRules()])
      .then(([c, r]) => {
        setChannels(c.items);
        setRules(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(asApiError(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  const logFilters = {
    ...(logChannel ? { channelId: logChannel } : {}),
    ...(logStatus ? { status: logStatus } : {}),
  };
  const log = useCursorList<AlertNotification>(
    (cursor, limit, signal) =>
      listNotifications({ ...logFilters, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(logFilters),
    50,
  );
  const byId = new Map(channels.map((c) => [c.id, c]));
  const mayEdit = can('integration:update');

  const confirmDelete = (title: string, content: string, run: () => Promise<void>) =>
    modal.confirm({
      title,
      content,
      okText: title,
      okButtonProps: { danger: true },
      cancelText: tc('common.cancel'),
      onOk: async () => {
        try {
          await run();
          message.success(t('alerts.deleted'));
          load();
        } catch (e) {
          message.error(problemText(tc, asApiError(e)));
        }
      },
    });

  const channelColumns: TableColumnsType<AlertChannel> = [
    {
      key: 'name',
      title: t('alerts.name'),
      width: 200,
      render: (_, c) => (
        <Flex gap={8} align="center">
          <Badge status={c.active ? 'success' : 'default'} />
          {c.name}
        </Flex>
      ),
    },
    {
      key: 'kind',
      title: t('alerts.kind'),
      width: 150,
      render: (_, c) => <Tag>{t(`alerts.kinds.${c.kind}`)}</Tag>,
    },
    {
      key: 'target',
      title: t('alerts.target'),
      render: (_, c) => (
        <Flex gap={4} align="center" wrap>
          <Typography.Text
            className="takt-small"
            ellipsis={{ tooltip: targetOf(c) }}
            style={{ maxWidth: 360 }}
          >
            {targetOf(c)}
          </Typography.Text>
          {c.signed ? (
            <Tag color="gold">{c.kind === 'email' ? t('alerts.passwordSet') : t('alerts.signed')}</Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'rate',
      title: t('alerts.rate'),
      width: 130,
      align: 'right',
      render: (_, c) => t('alerts.perMinute', { n: format.integer(c.ratePerMinute) }),
    },
    {
      key: 'actions',
      title: '',
      width: 250,
      render: (_, c) => (
        <Space size={0}>
          {can('integration:execute') && c.kind !== 'in_app' ? (
            <Button
              type="link"
              icon={<SendOutlined />}
              loading={testing === c.id}
              onClick={async () => {
                setTesting(c.id);
                try {
                  const n = await testChannel(c.id);
                  if (n.status === 'sent') message.success(t('alerts.testSent'));
                  else message.error(t('alerts.testFailed', { error: n.lastError ?? n.status }));
                  log.reload();
                } catch (e) {
                  message.error(problemText(tc, asApiError(e)));
                } finally {
                  setTesting(null);
                }
              }}
            >
              {t('alerts.test')}
            </Button>
          ) : null}
          {mayEdit ? (
            <Button
              type="text"
              icon={<EditOutlined />}
              aria-label={t('alerts.editChannel')}
              title={t('alerts.editChannel')}
              onClick={() => setChannelModal({ editing: c })}
            />
          ) : null}
          {can('integration:delete') ? (
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('alerts.deleteChannel')}
              title={t('alerts.deleteChannel')}
              onClick={() =>
                confirmDelete(
                  t('alerts.deleteChannel'),
                  t('alerts.deleteChannelConfirm', { name: c.name }),
                  () => deleteChannel(c.id),
                )
              }
            />
          ) : null}
        </Space>
      ),
    },
  ];

  const ruleColumns: TableColumnsType<AlertRule> = [
    {
      key: 'pattern',
      title: t('alerts.pattern'),
      render: (_, r) => (
        <Flex gap={8} align="center">
          <Badge status={r.active ? 'success' : 'default'} />
          <span className="takt-mono">{r.pattern}</span>
        </Flex>
      ),
    },
    {
      key: 'severity',
      title: t('alerts.minSeverity'),
      width: 140,
      render: (_, r) => <SeverityTag severity={r.minSeverity} />,
    },
    {
      key: 'channel',
      title: t('alerts.channel'),
      width: 220,
      render: (_, r) => byId.get(r.channelId)?.name ?? r.channelId,
    },
    {
      key: 'dedupe',
      title: t('alerts.dedupe'),
      width: 200,
      render: () => <Typography.Text type="secondary">{t('alerts.dedupeText')}</Typography.Text>,
    },
    {
      key: 'rate',
      title: t('alerts.rate'),
      width: 130,
      align: 'right',
      render: (_, r) => {
        const c = byId.get(r.channelId);
        return c ? t('alerts.perMinute', { n: format.integer(c.ratePerMinute) }) : '—';
      },
    },
    {
      key: 'actions',
      title: '',
      width: 100,
      render: (_, r) => (
        <Space size={0}>
          {mayEdit ? (
            <Button
              type="text"
              icon={<EditOutlined />}
              aria-label={t('alerts.editRule')}
              title={t('alerts.editRule')}
              onClick={() => setRuleModal({ editing: r })}
            />
          ) : null}
          {can('integration:delete') ? (
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('alerts.deleteRule')}
              title={t('alerts.deleteRule')}
              onClick={() =>
                confirmDelete(t('alerts.deleteRule'), t('alerts.deleteRuleConfirm'), () => deleteRule(r.id))
              }
            />
          ) : null}
        </Space>
      ),
    },
  ];

  const logColumns: TableColumnsType<AlertNotification> = [
    {
      key: 'created',
      title: t('alerts.created'),
      width: 170,
      render: (_, n) => <span className="takt-nowrap">{format.dateTime(n.createdAt)}</span>,
    },
    {
      key: 'channel',
      title: t('alerts.channel'),
      width: 170,
      render: (_, n) => byId.get(n.channelId)?.name ?? '—',
    },
    {
      key: 'severity',
      title: t('alerts.severityLabel'),
      width: 100,
      render: (_, n) => <SeverityTag severity={n.severity} />,
    },
    {
      key: 'title',
      title: t('alerts.alert'),
      render: (_, n) => (
        <Flex vertical>
          <span>{n.title}</span>
          <Typography.Text type="secondary" className="takt-small takt-mono">
            {n.alertKind}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('webhooks.status'),
      width: 120,
      render: (_, n) => <Badge status={NOTE_BADGE[n.status]} text={t(`alerts.statuses.${n.status}`)} />,
    },
    { key: 'attempts', dataIndex: 'attempts', title: t('alerts.attempts'), width: 90, align: 'right' },
    {
      key: 'error',
      title: t('alerts.lastError'),
      width: 260,
      render: (_, n) =>
        n.lastError ? (
          <Typography.Text type="danger" className="takt-small" ellipsis={{ tooltip: n.lastError }}>
            {n.lastError}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('alerts.title')}
        subtitle={t('alerts.subtitle')}
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              load();
              log.reload();
            }}
          >
            {tc('common.refresh')}
          </Button>
        }
      />
      {error ? <ProblemAlert error={error} title={tc('errors.loadFailed')} /> : null}
      <Flex vertical gap={16}>
        <Card
          className="takt-card"
          title={t('alerts.channels')}
          extra={
            can('integration:create') ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setChannelModal({ editing: null })}
              >
                {t('alerts.newChannel')}
              </Button>
            ) : null
          }
        >
          <Table<AlertChannel>
            rowKey="id"
            size="middle"
            columns={channelColumns}
            dataSource={channels}
            loading={loading}
            pagination={false}
            scroll={{ x: 1000 }}
          />
        </Card>
        <Card
          className="takt-card"
          title={t('alerts.rules')}
          extra={
            can('integration:create') ? (
              <Button
                icon={<PlusOutlined />}
                disabled={channels.length === 0}
                onClick={() => setRuleModal({ editing: null })}
              >
                {t('alerts.newRule')}
              </Button>
            ) : null
          }
        >
          <Table<AlertRule>
            rowKey="id"
            size="middle"
            columns={ruleColumns}
            dataSource={rules}
            loading={loading}
            pagination={false}
            scroll={{ x: 900 }}
          />
        </Card>
        <Card className="takt-card" title={t('alerts.log')}>
          <Flex vertical gap={12}>
            <Flex gap={12} wrap>
              <Select
                allowClear
                style={{ width: 220 }}
                placeholder={t('alerts.allChannels')}
                aria-label={t('alerts.allChannels')}
                value={logChannel}
                onChange={(v?: string) => update({ channelId: v })}
                options={channels.map((c) => ({ value: c.id, label: c.name }))}
              />
              <Select
                allowClear
                style={{ width: 160 }}
                placeholder={t('alerts.allStatuses')}
                aria-label={t('alerts.allStatuses')}
                value={logStatus}
                onChange={(v?: string) => update({ status: v })}
                options={NOTE_STATUSES.map((s) => ({ value: s, label: t(`alerts.statuses.${s}`) }))}
              />
            </Flex>
            {log.error ? <ProblemAlert error={log.error} title={tc('errors.loadFailed')} /> : null}
            <Table<AlertNotification>
              rowKey="id"
              size="middle"
              columns={logColumns}
              dataSource={log.items}
              loading={log.loading}
              pagination={false}
              scroll={{ x: 1100 }}
            />
            <LoadMoreFooter list={log} />
          </Flex>
        </Card>
      </Flex>
      <ChannelModal
        open={channelModal !== null}
        editing={channelModal?.editing ?? null}
        onClose={() => setChannelModal(null)}
        onSaved={() => {
          setChannelModal(null);
          message.success(t('alerts.saved'));
          load();
        }}
      />
      <RuleModal
        open={ruleModal !== null}
        editing={ruleModal?.editing ?? null}
        channels={channels}
        onClose={() => setRuleModal(null)}
        onSaved={() => {
          setRuleModal(null);
          message.success(t('alerts.saved'));
          load();
        }}
      />
    </div>
  );
}
