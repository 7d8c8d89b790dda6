import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext.tsx';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import { HomeButton } from '../components/HomeButton.tsx';

export function ForbiddenPage({ permission }: { permission: string }) {
  const { t } = useTranslation();
  usePageTitle(t('errors.forbiddenTitle'));
  return (
    <Result
      status="403"
      title={t('errors.forbiddenTitle')}
      subTitle={t('errors.forbiddenText', { permission })}
      extra={<HomeButton primary />}
    />
  );
}

/** Shows the page only to users with `permission`; others get a 403 page, not a broken screen. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <ForbiddenPage permission={permission} />;
}
