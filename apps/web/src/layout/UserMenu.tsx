import { LogoutOutlined, ProfileOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext.tsx';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  if (!user) return null;
  const initial = (user.displayName || user.login).trim().charAt(0).toUpperCase();
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: 'who',
            type: 'group',
            label: (
              <div className="takt-user-card">
                <div className="takt-user-name">{user.displayName}</div>
                <div>{t('header.signedInAs', { login: user.login })}</div>
                <div>
                  {user.roles.length
                    ? t('header.roles', { roles: user.roles.join(', ') })
                    : t('header.noRoles')}
                </div>
              </div>
            ),
          },
          { type: 'divider' },
          { key: 'profile', icon: <ProfileOutlined />, label: t('header.profile') },
          { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'logout') void logout();
          if (key === 'profile') navigate('/profile');
        },
      }}
    >
      <Button type="text" className="takt-header-button takt-user-button" aria-label={t('header.userMenu')}>
        <Avatar size="small" className="takt-avatar" icon={initial ? undefined : <UserOutlined />}>
          {initial}
        </Avatar>
        {compact ? null : <span className="takt-user-button-name">{user.displayName}</span>}
      </Button>
    </Dropdown>
  );
}
