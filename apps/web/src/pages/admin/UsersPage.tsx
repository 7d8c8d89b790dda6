import { KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Role, Team, User, UserCreate, UserUpdate } from '@takt/contracts';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import {
  createUser,
  listRoles,
  listTeams,
  listUsers,
  removeUserTotp,
  resetPassword,
  updateUser,
} from '../../api/identity.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useUrlState } from '../../components/entity/EntityListPage.tsx';
import { FormDrawerFooter } from '../../components/FormDrawerFooter.tsx';
import { LoadMoreFooter } from '../../components/LoadMoreFooter.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, ProblemDescription, problemText } from '../../components/ProblemAlert.tsx';
import { SubmitErrorAlert } from '../../components/SubmitErrorAlert.tsx';
import { useUrlText } from '../../components/UrlFilters.tsx';
import { useCursorList } from '../../hooks/useCursorList.ts';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useFormat } from '../../i18n/format.ts';

const ACTIVE = ['active', 'inactive', 'all'] as const;
type Active = (typeof ACTIVE)[number];

interface UserForm {
  login: string;
  displayName: string;
  password: string;
  roles: string[];
  teamId: string | null;
  email: string;
  phone: string;
  badge: string;
  pin: string;
  mustChangePassword: boolean;
  active: boolean;
}

const FIELDS = new Set([
  'login',
  'displayName',
  'password',
  'roles',
  'teamId',
  'email',
  'phone',
  'badge',
  'pin',
  'mustChangePassword',
  'active',
]);

function toForm(u: User | null): UserForm {
  return {
    login: u?.login ?? '',
    displayName: u?.displayName ?? '',
    password: '',
    roles: u?.roles ?? [],
    teamId: u?.teamId ?? null,
    email: u?.email ?? '',
    phone: u?.phone ?? '',
    badge: u?.badge ?? '',
    pin: '',
    mustChangePassword: true,
    active: u?.active ?? true,
  };
}

function createBody(v: UserForm): UserCreate {
  return {
    login: v.login.trim(),
    displayName: v.displayName.trim(),
    password: v.password,
    roles: v.roles,
    mustChangePassword: v.mustChangePassword,
    ...(v.teamId ? { teamId: v.teamId } : {}),
    ...(v.email.trim() ? { email: v.email.trim() } : {}),
    ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
    ...(v.badge.trim() ? { badge: v.badge.trim() } : {}),
    ...(v.pin ? { pin: v.pin } : {}),
  };
}

function updateBody(base: User, v: UserForm): UserUpdate | null {
  const patch: UserUpdate = { version: base.version };
  let changed = false;
  const set = <K extends keyof UserUpdate>(key: K, value: UserUpdate[K], old: unknown) => {
    if (JSON.stringify(value) !== JSON.stringify(old)) {
      patch[key] = value;
      changed = true;
    }
  };
  set('displayName', v.displayName.trim(), base.displayName);
  set('roles', v.roles, base.roles);
  set('teamId', v.teamId ?? null, base.teamId);
  set('email', v.email.trim() || null, base.email);
  set('phone', v.phone.trim() || null, base.phone);
  set('badge', v.badge.trim() || null, base.badge);
  if (v.pin) set('pin', v.pin, null);
  set('active', v.active, base.active);
  return changed ? patch : null;
}

type Mode = { kind: 'create' } | { kind: 'edit'; user: User };

function UserDrawer({
  mode,
  roles,
  teams,
  onClose,
  onSaved,
}: {
  mode: Mode | null;
  roles: Role[];
  teams: Team[];
  onClose(): void;
  onSaved(user: User): void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<UserForm>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS });
  const editing = mode?.kind === 'edit';
  const base = mode?.kind === 'edit' ? mode.user : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: when another user is opened
  useEffect(() => {
    if (!mode) return;
    clear();
    form.resetFields();
    form.setFieldsValue(toForm(base));
  }, [mode?.kind, base?.id]);

  const submit = async (v: UserForm) => {
    if (!mode) return;
    clear();
    let patch: UserUpdate | null = null;
    if (base) {
      patch = updateBody(base, v);
      if (!patch) {
        message.info(t('items.noChanges'));
        onClose();
        return;
      }
    }
    await run(async () => {
      const saved = base ? await updateUser(base.id, patch!) : await createUser(createBody(v));
      message.success(t(base ? 'users.saved' : 'users.created', { login: saved.login }));
      onSaved(saved);
    });
  };

  const requestClose = () => {
    if (saving) return;
    if (!form.isFieldsTouched()) return onClose();
    modal.confirm({
      title: t('common.discardTitle'),
      content: t('common.discardContent'),
      okText: t('common.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.keepEditing'),
      onOk: onClose,
    });
  };

  const required = { required: true, whitespace: true, message: t('items.form.required') };
  return (
    <Drawer
      open={mode !== null}
      onClose={requestClose}
      size={narrow ? '100%' : 600}
      destroyOnHidden
      title={base ? t('users.editTitle', { login: base.login }) : t('users.new')}
      footer={
        <FormDrawerFooter
          form={form}
          saving={saving}
          onCancel={requestClose}
          cancelText={t('common.cancel')}
          submitText={editing ? t('common.save') : t('common.create')}
        />
      }
    >
      <Flex vertical gap={12}>
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error.code === 'STALE_VERSION' ? t('md.conflictTitle') : t('errors.saveFailed')}
            description={
              <ProblemDescription error={error}>
                <div>{problemText(t, error)}</div>
                {other.length ? (
                  <ul className="takt-error-list">
                    {other.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                ) : null}
              </ProblemDescription>
            }
          />
        ) : null}
        <Form<UserForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={saving}>
          <Row gutter={16}>
            <Col xs={24} sm={10}>
              <Form.Item
                name="login"
                label={t('users.login')}
                rules={editing ? [] : [required]}
                extra={editing ? undefined : t('users.loginHelp')}
              >
                <Input
                  disabled={editing}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={50}
                  autoFocus={!editing}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={14}>
              <Form.Item name="displayName" label={t('users.displayName')} rules={[required]}>
                <Input maxLength={100} autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          {editing ? null : (
            <Row gutter={16}>
              <Col xs={24} sm={14}>
                <Form.Item
                  name="password"
                  label={t('users.password')}
                  rules={[required, { min: 8, message: t('profile.passwordMin') }]}
                >
                  <Input.Password autoComplete="new-password" maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={10}>
                <Form.Item name="mustChangePassword" valuePropName="checked" label=" ">
                  <Checkbox>{t('users.mustChange')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
          )}
          <Form.Item name="roles" label={t('users.roles')} extra={t('users.rolesHelp')}>
            <Select
              mode="multiple"
              options={roles.map((r) => ({ value: r.name, label: r.name }))}
              aria-label={t('users.roles')}
            />
          </Form.Item>
          <Form.Item name="teamId" label={t('users.team')}>
            <Select
              allowClear
              options={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
              notFoundContent={t('users.noTeams')}
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} sm={14}>
              <Form.Item name="email" label={t('users.email')}>
                <Input type="email" maxLength={200} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={10}>
              <Form.Item name="phone" label={t('users.phone')}>
                <Input maxLength={30} autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="badge" label={t('users.badge')} extra={t('users.badgeHelp')}>
                <Input maxLength={40} autoComplete="off" className="takt-mono" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="pin"
                label={t('users.pin')}
                extra={base?.hasPin ? t('users.pinSet') : t('users.pinHelp')}
                rules={[{ pattern: /^\d{4,6}$/, message: t('users.pinPattern') }]}
              >
                <Input.Password inputMode="numeric" maxLength={6} autoComplete="new-password" />
              </Form.Item>
            </Col>
          </Row>
          {editing ? (
            <Form.Item
              name="active"
              label={t('users.active')}
              valuePropName="checked"
              extra={t('users.activeHelp')}
            >
              <Switch />
            </Form.Item>
          ) : null}
        </Form>
      </Flex>
    </Drawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string; mustChangePassword: boolean }>();
  const { saving, error, run } = useFormSubmit(form, { fields: (n) => n === 'newPassword' });
  return (
    <Modal
      open={user !== null}
      title={t('users.resetTitle', { login: user?.login ?? '' })}
      okText={t('users.resetPassword')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <SubmitErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ newPassword: '', mustChangePassword: true }}
        onFinish={async (v) => {
          if (!user) return;
          await run(async () => {
            await resetPassword(user.id, v);
            message.success(t('users.passwordReset', { login: user.login }));
            onClose();
          });
        }}
      >
        <Form.Item
          name="newPassword"
          label={t('profile.newPassword')}
          rules={[
            { required: true, message: t('items.form.required') },
            { min: 8, message: t('profile.passwordMin') },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Form.Item name="mustChangePassword" valuePropName="checked">
          <Checkbox>{t('users.mustChange')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can, user: me } = useAuth();
  const { message, modal } = App.useApp();
  const canCreate = can('admin:create');
  const canUpdate = can('admin:update');
  const [params, update] = useUrlState();
  const q = params.get('q') ?? '';
  const role = params.get('role') ?? undefined;
  const activeParam = params.get('active');
  const active: Active = (ACTIVE as readonly string[]).includes(activeParam ?? '')
    ? (activeParam as Active)
    : 'active';
  const [search, setSearch] = useUrlText('q', 350);

  const [roles, setRoles] = useState<Role[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listRoles(controller.signal)
      .then(setRoles)
      .catch(() => undefined);
    listTeams(controller.signal)
      .then(setTeams)
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const query = {
    ...(q ? { q } : {}),
    ...(role ? { role } : {}),
    ...(active === 'all' ? {} : { active: active === 'active' }),
  };
  const list = useCursorList<User>(
    (cursor, limit, signal) => listUsers({ ...query, limit, ...(cursor ? { cursor } : {}) }, signal),
    JSON.stringify(query),
    100,
  );
  const [drawer, setDrawer] = useState<Mode | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const replace = (u: User) => list.setItems((rows) => rows.map((r) => (r.id === u.id ? u : r)));

  const removeTotp = (u: User) =>
    modal.confirm({
      title: t('users.removeTotpTitle', { login: u.login }),
      content: t('users.removeTotpText'),
      okText: t('users.removeTotp'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          replace(await removeUserTotp(u.id));
          message.success(t('users.totpRemoved', { login: u.login }));
        } catch (e) {
          message.error(problemText(t, asApiError(e)));
        }
      },
    });

  const teamName = (id: string | null) => teams.find((tm) => tm.id === id)?.name ?? '—';
  const columns: TableColumnsType<User> = [
    {
      key: 'login',
      title: t('users.login'),
      width: 150,
      render: (_, u) =>
        canUpdate ? (
          <Typography.Link className="takt-mono" onClick={() => setDrawer({ kind: 'edit', user: u })}>
            {u.login}
          </Typography.Link>
        ) : (
          <span className="takt-mono">{u.login}</span>
        ),
    },
    { key: 'name', dataIndex: 'displayName', title: t('users.displayName'), width: 180, ellipsis: true },
    {
      key: 'roles',
      title: t('users.roles'),
      width: 200,
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.roles.map((r) => (
            <Tag key={r} color={r === 'admin' ? 'red' : 'blue'}>
              {r}
            </Tag>
          ))}
        </Space>
      ),
    },
    { key: 'team', title: t('users.team'), width: 130, render: (_, u) => teamName(u.teamId) },
    {
      key: 'badge',
      title: t('users.badge'),
      width: 100,
      render: (_, u) => <span className="takt-mono">{u.badge ?? '—'}</span>,
    },
    {
      key: 'totp',
      title: t('users.totp'),
      width: 90,
      render: (_, u) => (u.totpEnabled ? <Tag color="green">{t('users.totpOn')}</Tag> : '—'),
    },
    {
      key: 'status',
      title: t('md.columns.active'),
      width: 120,
      render: (_, u) =>
        !u.active ? (
          <Badge status="default" text={t('users.inactive')} />
        ) : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? (
          <Badge status="error" text={t('users.locked')} />
        ) : (
          <Badge status="success" text={t('users.active')} />
        ),
    },
    {
      key: 'updatedAt',
      title: t('md.columns.updatedAt'),
      width: 160,
      render: (_, u) => <span className="takt-nowrap">{format.dateTime(u.updatedAt)}</span>,
    },
    ...(canUpdate
      ? [
          {
            key: 'actions',
            title: t('items.columns.actions'),
            width: 230,
            render: (_: unknown, u: User) => (
              <Space size={4} wrap>
                <Button size="small" icon={<KeyOutlined />} onClick={() => setResetFor(u)}>
                  {t('users.resetPassword')}
                </Button>
                {u.totpEnabled ? (
                  <Button size="small" onClick={() => removeTotp(u)}>
                    {t('users.removeTotp')}
                  </Button>
                ) : null}
                {u.active && u.id !== me?.id ? (
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      modal.confirm({
                        title: t('users.deactivateTitle', { login: u.login }),
                        content: t('users.deactivateText'),
                        okText: t('users.deactivate'),
                        okButtonProps: { danger: true },
                        cancelText: t('common.cancel'),
                        onOk: async () => {
                          try {
                            replace(await updateUser(u.id, { version: u.version, active: false }));
                          } catch (e) {
                            message.error(problemText(t, asApiError(e)));
                          }
                        },
                      })
                    }
                  >
                    {t('users.deactivate')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="takt-page">
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            {canCreate ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ kind: 'create' })}>
                {t('users.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card className="takt-card">
        <Flex vertical gap={12}>
          <Flex gap={12} wrap align="center">
            <Input.Search
              allowClear
              className="takt-search"
              placeholder={t('users.searchPlaceholder')}
              aria-label={t('users.searchPlaceholder')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <Select
              allowClear
              className="takt-type-filter"
              placeholder={t('users.roleFilter')}
              aria-label={t('users.roleFilter')}
              value={role}
              onChange={(v?: string) => update({ role: v })}
              options={roles.map((r) => ({ value: r.name, label: r.name }))}
            />
            <Segmented<Active>
              value={active}
              onChange={(v) => update({ active: v === 'active' ? undefined : v })}
              options={ACTIVE.map((value) => ({ value, label: t(`items.activeFilter.${value}`) }))}
            />
          </Flex>
          {list.error ? <ProblemAlert error={list.error} title={t('errors.loadFailed')} /> : null}
          <Table<User>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1360 }}
          />
          <LoadMoreFooter list={list} />
        </Flex>
      </Card>
      <UserDrawer
        mode={drawer}
        roles={roles}
        teams={teams}
        onClose={() => setDrawer(null)}
        onSaved={(u) => {
          if (drawer?.kind === 'create') list.reload();
          else replace(u);
          setDrawer(null);
        }}
      />
      <ResetPasswordModal user={resetFor} onClose={() => setResetFor(null)} />
    </div>
  );
}
