import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import { HomeButton } from '../components/HomeButton.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  usePageTitle(t('errors.notFoundTitle'));
  return (
    <Result
      status="404"
      title={t('errors.notFoundTitle')}
      subTitle={t('errors.notFoundText', { path: pathname })}
      extra={<HomeButton primary />}
    />
  );
}

export default NotFoundPage;
