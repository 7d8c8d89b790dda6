import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useAuth } from '../auth/AuthContext.tsx';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { ProblemMeta, problemText } from '../components/ProblemAlert.tsx';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import { LanguageSwitch } from '../layout/LanguageSwitch.tsx';

function Unreachable() {
  const { t } = useTranslation();
  const { error, recheck } = useAuth();
  usePageTitle(t('auth.serverUnreachable'));
  return (
    <div className="takt-full-page takt-unreachable">
      <div className="takt-login-lang">
        <LanguageSwitch />
      </div>
      <Result
        status="warning"
        title={t('auth.serverUnreachable')}
        subTitle={
          <>
            <div>{t('auth.serverUnreachableHint')}</div>
            {error && !error.isNetworkError ? (
              <div>
                {problemText(t, error)} <ProblemMeta error={error} always />
              </div>
            ) : null}
          </>
        }
        extra={
          <Button type="primary" onClick={recheck}>
            {t('common.retry')}
          </Button>
        }
      />
    </div>
  );
}

/** Waits for the session check before any route renders; explains when the server cannot be reached. */
export function AuthGate() {
  const { status } = useAuth();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'unreachable') return <Unreachable />;
  return <Outlet />;
}
