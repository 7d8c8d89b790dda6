import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, isLanguage, LANGUAGES } from '../i18n/index.ts';

const SHORT: Record<(typeof LANGUAGES)[number], string> = { 'zh-CN': '中文', en: 'EN' };

/** Switches between 简体中文 and English; the choice is remembered on this device. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const language = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : currentLanguage();
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        selectable: true,
        selectedKeys: [language],
        items: LANGUAGES.map((lng) => ({ key: lng, label: t(`languages.${lng}`), lang: lng })),
        onClick: ({ key }) => {
          if (isLanguage(key)) void changeLanguage(key);
        },
      }}
    >
      <Button
        type="text"
        className="takt-header-button"
        icon={<GlobalOutlined />}
        aria-label={t('header.language')}
      >
        {compact ? null : SHORT[language]}
      </Button>
    </Dropdown>
  );
}
