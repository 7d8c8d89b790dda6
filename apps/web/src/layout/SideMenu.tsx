import { Menu, type MenuProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext.tsx';
import { isGroup, matchNavigation, visibleNavigation } from './navigation.tsx';

type MenuItem = Required<MenuProps>['items'][number];

/** The module navigation, filtered by the user's permissions. */
export function SideMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { pathname } = useLocation();
  const match = matchNavigation(pathname);
  const selectedKey = match?.leaf.path;
  const groupKey = match?.group?.key;
  const [openKeys, setOpenKeys] = useState<string[]>(groupKey ? [groupKey] : []);

  useEffect(() => {
    if (groupKey) setOpenKeys((keys) => (keys.includes(groupKey) ? keys : [...keys, groupKey]));
  }, [groupKey]);

  const items = useMemo<MenuItem[]>(
    () =>
      visibleNavigation(can).map((entry): MenuItem => {
        if (isGroup(entry)) {
          return {
            key: entry.key,
            icon: entry.icon,
            label: t(`nav.${entry.label}`),
            children: entry.children.map((leaf) => ({
              key: leaf.path,
              label: (
                <Link to={leaf.path} onClick={onNavigate}>
                  {t(`nav.${leaf.label}`)}
                </Link>
              ),
            })),
          };
        }
        return {
          key: entry.path,
          icon: entry.icon,
          label: (
            <Link to={entry.path} onClick={onNavigate}>
              {t(`nav.${entry.label}`)}
            </Link>
          ),
        };
      }),
    [can, t, onNavigate],
  );

  return (
    <Menu
      mode="inline"
      theme="dark"
      items={items}
      selectedKeys={selectedKey ? [selectedKey] : []}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      aria-label={t('nav.mainNavigation')}
      className="takt-side-menu"
    />
  );
}
