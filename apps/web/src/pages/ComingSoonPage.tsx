import { CheckOutlined, HourglassOutlined } from '@ant-design/icons';
import { Card, Flex, Result, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../hooks/usePageTitle.ts';
import type { NavLabel, PlannedModule } from '../layout/navigation.tsx';
import { HomeButton } from '../components/HomeButton.tsx';

/** The page of a module that is not built yet: what it will do, instead of a dead link. */
export function ComingSoonPage({ module, label }: { module: PlannedModule; label: NavLabel }) {
  const { t } = useTranslation();
  const name = t(`nav.${label}`);
  usePageTitle(name);
  const features = t(`modules.${module}.features`, { returnObjects: true }) as readonly string[];
  return (
    <div className="takt-page">
      <Card className="takt-card takt-coming-soon">
        <Result
          icon={<HourglassOutlined />}
          title={name}
          subTitle={
            <Flex vertical align="center" gap={8}>
              <Tag color="gold">{t('comingSoon.tag')}</Tag>
              <span>{t(`modules.${module}.summary`)}</span>
            </Flex>
          }
          extra={<HomeButton />}
        >
          <div className="takt-coming-soon-features">
            <Typography.Title level={5}>{t('comingSoon.planned')}</Typography.Title>
            <ul>
              {features.map((f) => (
                <li key={f}>
                  <CheckOutlined className="takt-feature-icon" aria-hidden />
                  <span>{f}</span>
                </li>
              ))}
            </ul>
          </div>
        </Result>
      </Card>
    </div>
  );
}

export default ComingSoonPage;
