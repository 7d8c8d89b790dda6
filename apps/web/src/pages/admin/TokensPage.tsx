import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ApiToken, ApiTokenCreated, PermissionCatalog } from '@takt/contracts';
import {
  Alert,
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
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import { createToken, getPermissionCatalog, listTokens, revokeToken } from '../../api/identity.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { SubmitErrorAlert } from '../../components/SubmitErrorAlert.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useFormat } from '../../i18n/format.ts';
import { PermissionMatrix } from './RolesPage.tsx';

const STATUS = ['active', 'expired', 'revoked', 'all'] as const;
type StatusFilter = (typeof STATUS)[number];
const STATUS_BADGE = { active: 'success', expired: 'warning', revoked: 'default' } as const;

function dateInDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

function CreateTokenModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(created: ApiTokenCreated): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; expires: string; rateLimitPerMinute: number | null }>();
  const [catalog, setCatalog] = useState<PermissionCatalog | null>(null);
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const { saving, error, other, run, clear, setError } = useFormSubmit(form, {
    fields: (n) => n === 'name' || n === 'rateLimitPerMinute',
    rename: { expiresAt: 'expires' },
  });
  const [scopeMissing, setScopeMissing] = useState(false);
  useEffect(() => {
    if (!open || catalog) return;
    getPermissionCatalog()
      .then(setCatalog)
      .catch((e: unknown) => setError(asApiError(e)));
  }, [open, catalog, setError]);

  return (
    <Modal
      open={open}
      width={820}
      title={t('tokens.new')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
      afterOpenChange={(o) => {
        if (o) {
          setScopes(new Set());
          clear();
          setScopeMissing(false);
        }
      }}
    >
      <Flex vertical gap={12}>
        <SubmitErrorAlert error={error} other={other} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ name: '', expires: dateInDays(90), rateLimitPerMinute: 600 }}
          onFinish={async (v) => {
            clear();
            setScopeMissing(scopes.size === 0);
            if (scopes.size === 0) return;
            await run(async () => {
              // the end of the chosen day, local time
              const expiresAt = new Date(`${v.expires}T23:59:59`).toISOString();
              onCreated(
                await createToken({
                  name: v.name.trim(),
                  scopes: [...scopes].sort(),
                  expiresAt,
                  ...(v.rateLimitPerMinute ? { rateLimitPerMinute: v.rateLimitPerMinute } : {}),
                }),
              );
            });
          }}
        >
          <Row gutter={16}>
            <Col xs={24} sm={10}>
              <Form.Item
                name="name"
                label={t('tokens.name')}
                extra={t('tokens.nameHelp')}
                rules={[{ required: true, whitespace: true, message: t('items.form.required') }]}
              >
                <Input maxLength={100} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={7}>
              <Form.Item
                name="expires"
                label={t('tokens.expires')}
                extra={t('tokens.expiresHelp')}
                rules={[{ required: true, message: t('items.form.required') }]}
              >
                <Input type="date" min={dateInDays(1)} max={dateInDays(730)} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={7}>
              <Form.Item name="rateLimitPerMinute" label={t('tokens.rateLimit')}>
                <InputNumber className="takt-block" min={1} max={100000} precision={0} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Typography.Text type="secondary">{t('tokens.scopeHint')}</Typography.Text>
        {scopeMissing && scopes.size === 0 ? (
          <Alert type="error" showIcon title={t('tokens.scopeRequired')} />
        ) : null}
        {catalog ? <PermissionMatrix catalog={catalog} value={scopes} onChange={setScopes} /> : null}
      </Flex>
    </Modal>
  );
}

/** The secret, once: copy it now, it cannot be shown again. */
function SecretModal({ created, onClose }: { created: ApiTokenCreated | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={created !== null}
      title={t('tokens.createdTitle', { name: created?.token.name ?? '' })}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('tokens.copiedDone')}
        </Button>
      }
    >
      {created ? (
        <Flex vertical gap={12}>
          <Alert type="warning" showIcon title={t('tokens.onceTitle')} description={t('tokens.onceText')} />
          <Typography.Paragraph
            className="takt-secret takt-mono"
            copyable={{ text: created.secret, tooltips: [t('common.copy'), t('tokens.copied')] }}
            data-testid="token-secret"
          >
            {created.secret}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            {t('tokens.usage')} <Typography.Text code>Authorization: Bearer …</Typography.Text>
          </Typography.Text>
        </Flex>
      ) : null}
    </Modal>
  );
}

export function TokensPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [status, setStatus] = useState<StatusFilter>('active');
  const query = status === 'all' ? {} : { status };
  const list = useCursorList<ApiToken>(
    (cursor, limit, signal) => listTokens({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    status,
    100,
  );
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);

  const revoke = (token: ApiToken) =>
    modal.confirm({
      title: t('tokens.revokeTitle', { name: token.name }),
      content: t('tokens.revokeText'),
      okText: t('tokens.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const saved = await revokeToken(token.id);
          list.setItems((rows) => rows.map((r) => (r.id === saved.id ? saved : r)));
          message.success(t('tokens.revoked', { name: token.name }));
        } catch (e) {
          message.error(problemText(t, asApiError(e)));
        }
      },
    });

  const columns: TableColumnsType<ApiToken> = [
    { key: 'name', dataIndex: 'name', title: t('tokens.name'), width: 180, ellipsis: true },
    {
      key: 'prefix',
      dataIndex: 'prefix',
      title: t('tokens.prefix'),
      width: 120,
      render: (v: string) => <span className="takt-mono">{v}…</span>,
    },
    {
      key: 'scopes',
      title: t('tokens.scopes'),
      width: 260,
      render: (_, tk) => (
        <Space size={[4, 4]} wrap>
          {tk.scopes.slice(0, 6).map((s) => (
            <Tag key={s} className="takt-mono">
              {s}
            </Tag>
          ))}
          {tk.scopes.length > 6 ? <Tag>+{tk.scopes.length - 6}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'status',
      title: t('tokens.status'),
      width: 100,
      render: (_, tk) => <Badge status={STATUS_BADGE[tk.status]} text={t(`tokens.statuses.${tk.status}`)} />,
    },
    {
      key: 'lastUsed',
      title: t('tokens.lastUsed'),
      width: 150,
      render: (_, tk) => (tk.lastUsedAt ? format.relative(tk.lastUsedAt) : t('tokens.never')),
    },
    {
      key: 'expires',
      title: t('tokens.expires'),
      width: 170,
      render: (_, tk) => <span className="takt-nowrap">{format.dateTime(tk.expiresAt)}</span>,
    },
    {
      key: 'created',
      title: t('tokens.created'),
      width: 170,
      render: (_, tk) => <span className="takt-nowrap">{format.dateTime(tk.createdAt)}</span>,
    },
    ...(can('admin:update')
      ? [
          {
            key: 'actions',
            title: t('items.columns.actions'),
            width: 100,
            render: (_: unknown, tk: ApiToken) =>
              tk.status === 'active' ? (
                <Button size="small" danger onClick={() => revoke(tk)}>
                  {t('tokens.revoke')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('tokens.title')}
        subtitle={t('tokens.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            {can('admin:create') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('tokens.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Segmented<StatusFilter>
            value={status}
            onChange={setStatus}
            options={STATUS.map((s) => ({
              value: s,
              label: s === 'all' ? t('common.all') : t(`tokens.statuses.${s}`),
            }))}
            className="takt-fit"
          />
          {list.error ? <ProblemAlert error={list.error} title={t('errors.loadFailed')} /> : null}
          <Table<ApiToken>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1250 }}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
          list.reload();
        }}
      />
      <SecretModal created={created} onClose={() => setCreated(null)} />
    </div>
  );
}
