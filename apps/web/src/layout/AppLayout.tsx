import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Layout } from 'antd';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext.tsx';
import { PageSpin } from '../components/FullPageSpin.tsx';
import { useMediaQuery } from '../hooks/useMediaQuery.ts';
import { LiveEventsProvider } from '../live/LiveEvents.tsx';
import { LiveIndicator } from '../live/LiveIndicator.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SideMenu } from './SideMenu.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" className="takt-logo" aria-label={t('app.name')}>
      <span className="takt-logo-mark" aria-hidden>
        T
      </span>
      {collapsed ? null : <span className="takt-logo-text">{t('app.name')}</span>}
    </Link>
  );
}

/**
 * The signed-in shell: side menu (full on wide screens, icons on tablets, a drawer on phones), a header
 * with live status, language and user menu, and the page in the middle.
 */
export function AppLayout() {
  const { t } = useTranslation();
  const { can } = useAuth();
  // Full menu on desktops; icons on tablets (1280 × 800 landscape, 800 × 1280 portrait); a drawer on phones.
  const wide = useMediaQuery('(min-width: 1360px)');
  const phone = !useMediaQuery('(min-width: 768px)');
  const [collapsed, setCollapsed] = useState(!wide);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();

  useEffect(() => setCollapsed(!wide), [wide]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the drawer on every navigation
  useEffect(() => setDrawerOpen(false), [location.pathname]);

  const closeDrawer = useCallback(() => setDrawerOpen(false), []);

  // The live stream carries the topics of the modules this user can read, so it stays open across pages.
  const canReadItems = can('masterdata:read');
  const canReadJobs = can('admin:read');
  const liveTopics = useMemo(
    () => [...(canReadItems ? ['item'] : []), ...(canReadJobs ? ['job'] : [])],
    [canReadItems, canReadJobs],
  );

  return (
    <LiveEventsProvider topics={liveTopics}>
      <Layout className="takt-shell">
        {phone ? (
          <Drawer
            open={drawerOpen}
            onClose={closeDrawer}
            placement="left"
            size={280}
            closable={false}
            className="takt-nav-drawer"
            styles={{ body: { padding: 0 } }}
          >
            <nav className="takt-nav-drawer-inner">
              <Logo collapsed={false} />
              <SideMenu collapsed={false} onNavigate={closeDrawer} />
            </nav>
          </Drawer>
        ) : (
          <Sider
            collapsible
            collapsed={collapsed}
            trigger={null}
            width={232}
            collapsedWidth={72}
            className="takt-sider"
          >
            <nav className="takt-sider-inner">
              <Logo collapsed={collapsed} />
              <SideMenu collapsed={collapsed} />
            </nav>
          </Sider>
        )}
        <Layout className="takt-main">
          <Header className="takt-header">
            <Flex align="center" gap={4} className="takt-header-left">
              {phone ? (
                <>
                  <Button
                    type="text"
                    className="takt-header-button"
                    icon={<MenuOutlined />}
                    aria-label={t('nav.openMenu')}
                    onClick={() => setDrawerOpen(true)}
                  />
                  <Logo collapsed={false} />
                </>
              ) : (
                <Button
                  type="text"
                  className="takt-header-button"
                  icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                  aria-label={collapsed ? t('nav.expandMenu') : t('nav.collapseMenu')}
                  aria-expanded={!collapsed}
                  onClick={() => setCollapsed((c) => !c)}
                />
              )}
            </Flex>
            <Flex align="center" gap={4} className="takt-header-right">
              <LiveIndicator compact={phone} />
              <LanguageSwitch compact={phone} />
              <UserMenu compact={phone} />
            </Flex>
          </Header>
          <Content className="takt-content">
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </Content>
        </Layout>
      </Layout>
    </LiveEventsProvider>
  );
}
