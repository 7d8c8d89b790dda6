import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router/dom';
import { AuthProvider } from '../auth/AuthContext.tsx';
import { useCoarsePointer } from '../hooks/useMediaQuery.ts';
import { createRouter } from './router.tsx';

const FONT_FAMILY = [
  '-apple-system',
  'BlinkMacSystemFont',
  "'Segoe UI'",
  'Roboto',
  "'Helvetica Neue'",
  'Arial',
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Noto Sans SC'",
  'sans-serif',
].join(', ');

function useTheme(): ThemeConfig {
  const touch = useCoarsePointer();
  return useMemo<ThemeConfig>(
    () => ({
      token: {
        colorPrimary: '#1d5fd1',
        colorInfo: '#1d5fd1',
        borderRadius: 6,
        fontFamily: FONT_FAMILY,
        // On touch screens every control is a comfortable target (at least 44 px).
        ...(touch ? { controlHeight: 44, controlHeightSM: 36, controlHeightLG: 48 } : {}),
      },
      components: {
        Layout: {
          headerBg: '#ffffff',
          headerHeight: 56,
          headerPadding: '0 12px',
          siderBg: '#101c2e',
          bodyBg: '#f3f5f8',
        },
        Menu: {
          darkItemBg: '#101c2e',
          darkSubMenuItemBg: '#0b1523',
          darkItemSelectedBg: '#1d5fd1',
          itemHeight: touch ? 48 : 40,
          collapsedWidth: 72,
        },
        Table: touch ? { cellPaddingBlockMD: 14 } : {},
      },
    }),
    [touch],
  );
}

export function App() {
  const { i18n } = useTranslation();
  const [router] = useState(createRouter);
  const theme = useTheme();
  const locale = i18n.resolvedLanguage === 'zh-CN' ? zhCN : enUS;
  return (
    <ConfigProvider locale={locale} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp className="takt-app">
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
