import { DeleteOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import type { PermissionCatalog, Role } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Row,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client.ts';
import { createRole, deleteRole, getPermissionCatalog, listRoles, updateRole } from '../../api/identity.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProblemAlert, problemText } from '../../components/ProblemAlert.tsx';
import { SubmitErrorAlert } from '../../components/SubmitErrorAlert.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';

/** Does this grant list cover `module:action` (directly, by `module:*` or by `*`)? */
function grants(perms: ReadonlySet<string>, module: string, action: string): boolean {
  return perms.has('*') || perms.has(`${module}:*`) || perms.has(`${module}:${action}`);
}

/** Module × action checkboxes; read-only for built-in roles. */
export function PermissionMatrix({
  catalog,
  value,
  onChange,
  readOnly,
}: {
  catalog: PermissionCatalog;
  value: ReadonlySet<string>;
  onChange?: (next: Set<string>) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const label = (kind: 'modules' | 'actions', key: string) =>
    t(`roles.${kind}.${key}` as 'roles.modules.admin', { defaultValue: key });
  const special = catalog.special ?? [];
  const specialLabel = (p: string) =>
    t(`roles.specials.${p.replace(':', '.')}` as 'roles.specials.alerts.acknowledge', { defaultValue: p });
  // `*` is spelled out (every cell and every special right) before anything is taken away
  const spelledOut = (): Set<string> => {
    const next = new Set<string>(special);
    for (const m of catalog.modules) for (const a of catalog.actions) next.add(`${m}:${a}`);
    return next;
  };
  const toggle = (module: string, action: string, on: boolean) => {
    const next = value.has('*') ? spelledOut() : new Set(value);
    next.delete(`${module}:*`);
    // a module wildcard is spelled out before one action is taken away
    if (value.has(`${module}:*`)) for (const a of catalog.actions) next.add(`${module}:${a}`);
    if (on) next.add(`${module}:${action}`);
    else next.delete(`${module}:${action}`);
    onChange?.(next);
  };
  const toggleRow = (module: string, on: boolean) => {
    const next = new Set(
      [...(value.has('*') ? spelledOut() : value)].filter((p) => !p.startsWith(`${module}:`)),
    );
    if (on) for (const a of catalog.actions) next.add(`${module}:${a}`);
    onChange?.(next);
  };
  const toggleSpecial = (p: string, on: boolean) => {
    const next = value.has('*') ? spelledOut() : new Set(value);
    if (on) next.add(p);
    else next.delete(p);
    onChange?.(next);
  };
  return (
    <Flex vertical gap={8}>
      <Table
        className="takt-matrix"
        size="small"
        rowKey="module"
        pagination={false}
        scroll={{ x: 640 }}
        dataSource={catalog.modules.map((module) => ({ module }))}
        columns={[
          {
            key: 'module',
            title: t('roles.module'),
            width: 150,
            render: (_, { module }) => {
              const all = catalog.actions.every((a) => grants(value, module, a));
              const some = catalog.actions.some((a) => grants(value, module, a));
              return (
                <Checkbox
                  checked={all}
                  indeterminate={some && !all}
                  disabled={readOnly}
                  onChange={(e) => toggleRow(module, e.target.checked)}
                >
                  {label('modules', module)}
                </Checkbox>
              );
            },
          },
          ...catalog.actions.map((action) => ({
            key: action,
            title: label('actions', action),
            width: 80,
            render: (_: unknown, { module }: { module: string }) => (
              <Checkbox
                aria-label={`${module}:${action}`}
                checked={grants(value, module, action)}
                disabled={readOnly}
                onChange={(e) => toggle(module, action, e.target.checked)}
              />
            ),
          })),
        ]}
      />
      {special.length > 0 ? (
        <Flex wrap gap={16} align="center">
          <Typography.Text type="secondary">{t('roles.special')}</Typography.Text>
          {special.map((p) => (
            <Checkbox
              key={p}
              aria-label={p}
              checked={value.has('*') || value.has(p)}
              disabled={readOnly}
              onChange={(e) => toggleSpecial(p, e.target.checked)}
            >
              {specialLabel(p)}
            </Checkbox>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}

export function RolesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [catalog, setCatalog] = useState<PermissionCatalog | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string>('admin');
  const [draft, setDraft] = useState<Set<string> | null>(null);
  const [description, setDescription] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      const [r, c] = await Promise.all([listRoles(), getPermissionCatalog()]);
      setRoles(r);
      setCatalog(c);
      setLoadError(null);
    } catch (e) {
      setLoadError(asApiError(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const role = roles?.find((r) => r.name === selected) ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new role (or version) resets the draft
  useEffect(() => {
    setDraft(role ? new Set(role.permissions) : null);
    setDescription(role?.description ?? '');
    setSaveError(null);
  }, [role?.name, role?.version]);

  const editable = Boolean(role && !role.builtIn && can('admin:update'));
  const dirty = useMemo(() => {
    if (!role || !draft) return false;
    const before = new Set(role.permissions);
    return (
      description !== role.description || before.size !== draft.size || [...draft].some((p) => !before.has(p))
    );
  }, [role, draft, description]);

  const save = async () => {
    if (!role?.id || !draft || role.version == null) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await updateRole(role.id, {
        version: role.version,
        description,
        permissions: [...draft].sort(),
      });
      setRoles((rs) => rs?.map((r) => (r.name === saved.name ? saved : r)) ?? null);
      message.success(t('roles.saved', { name: saved.name }));
    } catch (e) {
      setSaveError(asApiError(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = () => {
    if (!role?.id) return;
    modal.confirm({
      title: t('roles.deleteTitle', { name: role.name }),
      okText: t('md.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deleteRole(role.id!);
          setSelected('admin');
          await load();
        } catch (e) {
          setSaveError(asApiError(e));
        }
      },
    });
  };

  return (
    <div className="takt-page">
      <PageHeader
        title={t('roles.title')}
        subtitle={t('roles.subtitle')}
        extra={
          can('admin:create') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('roles.new')}
            </Button>
          ) : null
        }
      />
      {loadError ? <ProblemAlert error={loadError} title={t('errors.loadFailed')} /> : null}
      {!roles || !catalog ? (
        loadError ? null : (
          <Spin />
        )
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={7}>
            <Card className="takt-card" title={t('roles.list')} size="small">
              <List
                dataSource={roles}
                renderItem={(r) => (
                  <List.Item
                    className="takt-clickable-row"
                    onClick={() => setSelected(r.name)}
                    style={{
                      cursor: 'pointer',
                      background: r.name === selected ? '#e6f0ff' : undefined,
                      paddingInline: 8,
                    }}
                  >
                    <List.Item.Meta
                      title={
                        <Flex gap={6} align="center">
                          <span className="takt-mono">{r.name}</span>
                          {r.builtIn ? (
                            <Tag icon={<LockOutlined />}>{t('roles.builtIn')}</Tag>
                          ) : (
                            <Tag color="blue">{t('roles.custom')}</Tag>
                          )}
                        </Flex>
                      }
                      description={
                        r.builtIn
                          ? t(`roles.builtInDescriptions.${r.name}` as 'roles.builtInDescriptions.admin', {
                              defaultValue: r.description,
                            })
                          : r.description
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} lg={17}>
            <Card
              className="takt-card"
              size="small"
              title={role ? t('roles.permissionsOf', { name: role.name }) : null}
              extra={
                editable ? (
                  <Flex gap={8}>
                    {can('admin:delete') ? (
                      <Button danger icon={<DeleteOutlined />} onClick={remove}>
                        {t('md.delete')}
                      </Button>
                    ) : null}
                    <Button type="primary" disabled={!dirty} loading={saving} onClick={() => void save()}>
                      {t('common.save')}
                    </Button>
                  </Flex>
                ) : null
              }
            >
              {role && draft ? (
                <Flex vertical gap={12}>
                  {role.builtIn ? <Alert type="info" showIcon title={t('roles.builtInReadOnly')} /> : null}
                  {saveError ? <Alert type="error" showIcon title={problemText(t, saveError)} /> : null}
                  {editable ? (
                    <Input
                      value={description}
                      onChange={(e) => setDescription(e.target.value)}
                      maxLength={200}
                      placeholder={t('roles.description')}
                      aria-label={t('roles.description')}
                    />
                  ) : null}
                  <PermissionMatrix
                    catalog={catalog}
                    value={draft}
                    readOnly={!editable}
                    onChange={setDraft}
                  />
                </Flex>
              ) : (
                <Empty />
              )}
            </Card>
          </Col>
        </Row>
      )}
      <CreateRoleModal
        open={creating}
        catalog={catalog}
        onClose={() => setCreating(false)}
        onCreated={(r) => {
          setCreating(false);
          void load().then(() => setSelected(r.name));
        }}
      />
    </div>
  );
}

function CreateRoleModal({
  open,
  catalog,
  onClose,
  onCreated,
}: {
  open: boolean;
  catalog: PermissionCatalog | null;
  onClose(): void;
  onCreated(role: Role): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; description: string }>();
  const [perms, setPerms] = useState<Set<string>>(new Set());
  const { saving, error, run, clear } = useFormSubmit(form, {
    fields: (n) => n === 'name' || n === 'description',
  });
  return (
    <Modal
      open={open}
      width={820}
      title={t('roles.new')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
      afterOpenChange={(o) => {
        if (o) {
          setPerms(new Set());
          clear();
        }
      }}
    >
      <Flex vertical gap={12}>
        <SubmitErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ name: '', description: '' }}
          onFinish={(v) =>
            run(async () => {
              onCreated(
                await createRole({
                  name: v.name.trim(),
                  ...(v.description.trim() ? { description: v.description.trim() } : {}),
                  permissions: [...perms].sort(),
                }),
              );
            })
          }
        >
          <Row gutter={16}>
            <Col xs={24} sm={10}>
              <Form.Item
                name="name"
                label={t('roles.name')}
                extra={t('roles.nameHelp')}
                rules={[
                  { required: true, message: t('items.form.required') },
                  { pattern: /^[a-z][a-z0-9_-]{1,39}$/, message: t('roles.nameHelp') },
                ]}
              >
                <Input className="takt-mono" maxLength={40} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={14}>
              <Form.Item name="description" label={t('roles.description')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Typography.Text type="secondary">{t('roles.grantHint')}</Typography.Text>
        {catalog ? <PermissionMatrix catalog={catalog} value={perms} onChange={setPerms} /> : null}
      </Flex>
    </Modal>
  );
}
