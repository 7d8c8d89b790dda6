import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { type ApiError, asApiError } from '../api/client.ts';
import { useAuth } from '../auth/AuthContext.tsx';
import { safeNext } from '../auth/RequireAuth.tsx';
import { ProblemDescription, problemText } from '../components/ProblemAlert.tsx';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import { LanguageSwitch } from '../layout/LanguageSwitch.tsx';

interface LoginForm {
  login: string;
  password: string;
  totp?: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);
  usePageTitle(t('auth.submit'));

  const next = safeNext(params.get('next'));
  if (auth.status === 'authenticated' && !submitting) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await auth.login(values.login.trim(), values.password, values.totp);
      navigate(next, { replace: true });
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      if (apiError.code === 'TOTP_REQUIRED' || apiError.code === 'TOTP_INVALID') {
        // the password was right: keep it and ask for the code
        setNeedTotp(true);
        form.setFieldValue('totp', '');
        return;
      }
      form.setFieldValue('password', '');
      for (const fe of apiError.fieldErrors) {
        const name = fe.path[fe.path.length - 1];
        if (name === 'login' || name === 'password') form.setFields([{ name, errors: [fe.message] }]);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="takt-login">
      <div className="takt-login-lang">
        <LanguageSwitch />
      </div>
      <div className="takt-login-panel">
        <div className="takt-login-brand">
          <div className="takt-logo-mark takt-logo-mark-large" aria-hidden>
            T
          </div>
          <div>
            <div className="takt-login-brand-name">{t('app.name')}</div>
            <div className="takt-login-brand-tagline">{t('auth.subtitle')}</div>
          </div>
        </div>
        <Card className="takt-login-card">
          <Typography.Title level={3} className="takt-login-title">
            {t('auth.title')}
          </Typography.Title>
          {error ? (
            <Alert
              type="error"
              showIcon
              className="takt-login-alert"
              title={problemText(t, error)}
              description={<ProblemDescription error={error} />}
            />
          ) : auth.signedOutReason === 'expired' ? (
            <Alert type="warning" showIcon className="takt-login-alert" title={t('auth.sessionExpired')} />
          ) : auth.signedOutReason === 'signedOut' ? (
            <Alert type="info" showIcon className="takt-login-alert" title={t('auth.signedOut')} />
          ) : null}
          <Form<LoginForm>
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            onFinish={onFinish}
            disabled={submitting}
          >
            <Form.Item
              name="login"
              label={t('auth.login')}
              rules={[{ required: true, whitespace: true, message: t('auth.loginRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                placeholder={t('auth.loginPlaceholder')}
                autoComplete="username"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                autoFocus
                maxLength={100}
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={200} />
            </Form.Item>
            {needTotp ? (
              <Form.Item
                name="totp"
                label={t('auth.totp')}
                extra={t('auth.totpHelp')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('auth.totpRequired') }]}
              >
                <Input
                  prefix={<SafetyOutlined />}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  autoFocus
                />
              </Form.Item>
            ) : null}
            <Button type="primary" htmlType="submit" block loading={submitting} className="takt-login-submit">
              {t('auth.submit')}
            </Button>
          </Form>
        </Card>
      </div>
    </div>
  );
}
