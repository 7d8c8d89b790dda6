import { LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { TotpSetup } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  QRCode,
  Row,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../api/client.ts';
import {
  changePassword,
  confirmTotp,
  disableTotp,
  getUser,
  logoutEverywhere,
  setupTotp,
} from '../api/identity.ts';
import { useAuth } from '../auth/AuthContext.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ProblemDescription, problemText } from '../components/ProblemAlert.tsx';
import { useFormSubmit } from '../hooks/useFormSubmit.ts';

function ErrorAlert({ error }: { error: ApiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={problemText(t, error)}
      description={<ProblemDescription error={error} />}
    />
  );
}

function PasswordCard({ onChanged }: { onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; repeat: string }>();
  const { saving, error, run } = useFormSubmit(form, {
    fields: (n) => n === 'currentPassword' || n === 'newPassword',
  });
  return (
    <Card className="takt-card" title={t('profile.passwordTitle')}>
      <Flex vertical gap={12}>
        <ErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          disabled={saving}
          onFinish={(v) =>
            run(async () => {
              await changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
              message.success(t('profile.passwordChanged'));
              form.resetFields();
              onChanged();
            })
          }
        >
          <Form.Item
            name="currentPassword"
            label={t('profile.currentPassword')}
            rules={[{ required: true, message: t('items.form.required') }]}
          >
            <Input.Password autoComplete="current-password" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('profile.newPassword')}
            extra={t('profile.passwordHelp')}
            rules={[
              { required: true, message: t('items.form.required') },
              { min: 8, message: t('profile.passwordMin') },
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('profile.repeatPassword')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('items.form.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('profile.passwordMismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('profile.changePassword')}
          </Button>
        </Form>
      </Flex>
    </Card>
  );
}

function TotpCard({ enabled, onChanged }: { enabled: boolean | null; onChanged(on: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      className="takt-card"
      title={t('profile.totpTitle')}
      extra={
        enabled === null ? null : enabled ? (
          <Tag color="green">{t('profile.totpOn')}</Tag>
        ) : (
          <Tag>{t('profile.totpOff')}</Tag>
        )
      }
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('profile.totpIntro')}</Typography.Text>
        <ErrorAlert error={error} />
        {setup ? (
          <Flex gap={16} wrap align="flex-start">
            <QRCode value={setup.otpauthUri} size={180} className="takt-qr" bordered />
            <Flex vertical gap={8} style={{ flex: '1 1 220px' }}>
              <Typography.Text>{t('profile.totpScan')}</Typography.Text>
              <Typography.Text type="secondary" className="takt-small">
                {t('profile.totpSecret')}
              </Typography.Text>
              <Typography.Text code copyable className="takt-mono">
                {setup.secret}
              </Typography.Text>
              <Input
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder="123456"
                aria-label={t('profile.totpCode')}
                style={{ width: 160 }}
              />
              <Flex gap={8}>
                <Button
                  type="primary"
                  disabled={code.length !== 6}
                  loading={busy}
                  onClick={() =>
                    void run(async () => {
                      await confirmTotp(code);
                      message.success(t('profile.totpEnabled'));
                      setSetup(null);
                      setCode('');
                      onChanged(true);
                    })
                  }
                >
                  {t('profile.totpConfirm')}
                </Button>
                <Button onClick={() => setSetup(null)}>{t('common.cancel')}</Button>
              </Flex>
            </Flex>
          </Flex>
        ) : enabled !== true ? (
          <Button
            icon={<SafetyCertificateOutlined />}
            loading={busy}
            onClick={() => void run(async () => setSetup(await setupTotp()))}
            className="takt-fit"
          >
            {t('profile.totpSetup')}
          </Button>
        ) : null}
        {enabled !== false && !setup ? (
          <Flex gap={8} wrap align="center">
            <Input.Password
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              placeholder={t('profile.currentPassword')}
              aria-label={t('profile.currentPassword')}
              autoComplete="current-password"
              style={{ width: 240 }}
            />
            <Button
              danger
              disabled={!password}
              loading={busy}
              onClick={() =>
                void run(async () => {
                  await disableTotp(password);
                  setPassword('');
                  message.success(t('profile.totpDisabled'));
                  onChanged(false);
                })
              }
            >
              {t('profile.totpDisable')}
            </Button>
          </Flex>
        ) : null}
      </Flex>
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { user, can, pending, recheck, logout } = useAuth();
  const { modal } = App.useApp();
  // Only administrators can read user records; others see both TOTP actions and the server decides.
  const [totpEnabled, setTotpEnabled] = useState<boolean | null>(null);
  const canReadUsers = can('admin:read') && !pending;
  useEffect(() => {
    if (!user || !canReadUsers) return;
    const controller = new AbortController();
    getUser(user.id, controller.signal)
      .then((u) => setTotpEnabled(u.totpEnabled))
      .catch(() => undefined);
    return () => controller.abort();
  }, [user, canReadUsers]);

  if (!user) return null;
  return (
    <div className="takt-page">
      <PageHeader
        title={t('profile.title')}
        subtitle={t('profile.subtitle')}
        extra={
          <Button
            danger
            icon={<LogoutOutlined />}
            onClick={() =>
              modal.confirm({
                title: t('profile.logoutAllTitle'),
                content: t('profile.logoutAllText'),
                okText: t('profile.logoutAll'),
                okButtonProps: { danger: true },
                cancelText: t('common.cancel'),
                onOk: async () => {
                  await logoutEverywhere().catch(() => undefined);
                  await logout();
                },
              })
            }
          >
            {t('profile.logoutAll')}
          </Button>
        }
      />
      <Flex vertical gap={16}>
        {pending === 'password_change' ? (
          <Alert type="warning" showIcon title={t('profile.pendingPassword')} />
        ) : pending === 'totp_enrolment' ? (
          <Alert type="warning" showIcon title={t('profile.pendingTotp')} />
        ) : null}
        <Card className="takt-card">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              {
                key: 'login',
                label: t('users.login'),
                children: <span className="takt-mono">{user.login}</span>,
              },
              { key: 'name', label: t('users.displayName'), children: user.displayName },
              {
                key: 'roles',
                label: t('users.roles'),
                children: user.roles.length
                  ? user.roles.map((r) => <Tag key={r}>{r}</Tag>)
                  : t('header.noRoles'),
              },
            ]}
          />
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <PasswordCard onChanged={() => (pending ? recheck() : undefined)} />
          </Col>
          <Col xs={24} lg={12}>
            <TotpCard
              enabled={totpEnabled}
              onChanged={(on) => {
                setTotpEnabled(on);
                if (pending) recheck();
              }}
            />
          </Col>
        </Row>
      </Flex>
    </div>
  );
}
