import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <Flex className="takt-full-page" align="center" justify="center">
      <Spin size="large" description={t('app.loading')} />
    </Flex>
  );
}

/** Shown in the content area while a lazily loaded page arrives. */
export function PageSpin() {
  return (
    <Flex className="takt-page-spin" align="center" justify="center">
      <Spin size="large" />
    </Flex>
  );
}
