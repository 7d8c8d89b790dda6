import { Button, Flex, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { isApiError } from '../api/client.ts';
import { ProblemMeta, problemText } from '../components/ProblemAlert.tsx';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { HomeButton } from '../components/HomeButton.tsx';

function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|Failed to fetch dynamically|error loading dynamically/i.test(
      error.message,
    )
  );
}

/** What the router shows when a page throws while loading or rendering. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  usePageTitle(t('errors.crashTitle'));

  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;

  const reload = (
    <Button type="primary" onClick={() => window.location.reload()}>
      {t('common.reload')}
    </Button>
  );
  const home = <HomeButton />;

  if (isChunkLoadError(error)) {
    return (
      <Result status="info" title={t('errors.chunkTitle')} subTitle={t('errors.chunkText')} extra={reload} />
    );
  }

  let detail: string;
  if (isApiError(error)) detail = problemText(t, error);
  else if (isRouteErrorResponse(error)) detail = `${error.status} ${error.statusText}`;
  else if (error instanceof Error) detail = error.message;
  else detail = String(error);

  return (
    <Result
      status="error"
      title={t('errors.crashTitle')}
      subTitle={t('errors.crashText')}
      extra={[<span key="reload">{reload}</span>, <span key="home">{home}</span>]}
    >
      <Flex vertical gap={8} className="takt-error-details">
        <Typography.Text strong>{t('common.details')}</Typography.Text>
        <Typography.Paragraph code className="takt-error-message">
          {detail}
        </Typography.Paragraph>
        {isApiError(error) ? <ProblemMeta error={error} always /> : null}
      </Flex>
    </Result>
  );
}

export default RouteErrorPage;
