import type { Item, ItemCreate, ItemUpdate } from '@takt/contracts';
import { Alert, App, Button, Col, Drawer, Flex, Form, Input, Row, Select, Switch, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError, isAbortError } from '../../api/client.ts';
import { createItem, getItem, ITEM_TYPES, type ItemTypeValue, updateItem } from '../../api/items.ts';
import {
  CustomFieldItems,
  cleanCustomFields,
  filledCustomFields,
} from '../../components/customFields/CustomFields.tsx';
import { fieldErrorText, ProblemDescription, problemText } from '../../components/ProblemAlert.tsx';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useFormat } from '../../i18n/format.ts';

export type ItemDrawerMode = { kind: 'create' } | { kind: 'edit'; item: Item };

interface ItemFormValues {
  code: string;
  name: string;
  spec: string;
  type: ItemTypeValue | undefined;
  uom: string;
  safetyStock: string;
  standardCost: string;
  customFields: Record<string, unknown>;
  active: boolean;
}

const FIELDS = ['code', 'name', 'spec', 'type', 'uom', 'safetyStock', 'standardCost', 'active'] as const;
type FieldName = (typeof FIELDS)[number];

const QTY = /^-?\d{1,12}(\.\d{1,3})?$/;
const MONEY = /^-?\d{1,13}(\.\d{1,2})?$/;

function isField(name: unknown): name is FieldName {
  return typeof name === 'string' && (FIELDS as readonly string[]).includes(name);
}

function toForm(item: Item | null): ItemFormValues {
  if (!item) {
    return {
      code: '',
      name: '',
      spec: '',
      type: undefined,
      uom: '',
      safetyStock: '',
      standardCost: '',
      customFields: {},
      active: true,
    };
  }
  return {
    code: item.code,
    name: item.name,
    spec: item.spec,
    type: (ITEM_TYPES as readonly string[]).includes(item.type) ? (item.type as ItemTypeValue) : undefined,
    uom: item.uom,
    safetyStock: item.safetyStock,
    standardCost: item.standardCost,
    customFields: { ...item.customFields },
    active: item.active,
  };
}

function createBody(v: ItemFormValues): ItemCreate {
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    // required by the form rules, so set by now
    type: v.type as ItemTypeValue,
    uom: v.uom.trim(),
    ...(v.spec.trim() ? { spec: v.spec.trim() } : {}),
    ...(v.safetyStock.trim() ? { safetyStock: v.safetyStock.trim() } : {}),
    ...(v.standardCost.trim() ? { standardCost: v.standardCost.trim() } : {}),
    customFields: filledCustomFields(v.customFields),
  };
}

/** Only what changed, with the version that was read (the server answers 409 if it is stale). */
function updateBody(base: Item, v: ItemFormValues): ItemUpdate | null {
  const patch: ItemUpdate = { version: base.version };
  let changed = false;
  const set = <K extends keyof ItemUpdate>(key: K, value: ItemUpdate[K], old: unknown) => {
    if (value !== old) {
      patch[key] = value;
      changed = true;
    }
  };
  set('name', v.name.trim(), base.name);
  set('spec', v.spec.trim(), base.spec);
  if (v.type) set('type', v.type, base.type);
  set('uom', v.uom.trim(), base.uom);
  set('safetyStock', v.safetyStock.trim(), base.safetyStock);
  set('standardCost', v.standardCost.trim(), base.standardCost);
  set('active', v.active, base.active);
  const custom = cleanCustomFields(v.customFields);
  if (Object.entries(custom).some(([k, value]) => value !== (base.customFields[k] ?? null))) {
    patch.customFields = custom;
    changed = true;
  }
  return changed ? patch : null;
}

interface Props {
  mode: ItemDrawerMode | null;
  onClose(): void;
  onSaved(item: Item, created: boolean): void;
  /** Changes when a live event says this item changed somewhere else. */
  externalChange: number;
}

/** Create or edit one item, with server validation errors on the fields and stale-version handling. */
export function ItemDrawer({ mode, onClose, onSaved, externalChange }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal, notification } = App.useApp();
  const [form] = Form.useForm<ItemFormValues>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const [base, setBase] = useState<Item | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const [reloading, setReloading] = useState(false);
  const savingRef = useRef(false);
  const open = mode !== null;
  const editing = mode?.kind === 'edit';
  const editId = mode?.kind === 'edit' ? mode.item.id : null;

  const reset = useCallback(
    (item: Item | null) => {
      setBase(item);
      setError(null);
      setOtherErrors([]);
      setConflict(false);
      setChangedElsewhere(false);
      form.resetFields();
      form.setFieldsValue(toForm(item));
    },
    [form],
  );

  // A new drawer: fill the form from the row, then make sure we hold the latest version.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another item (or mode) is opened
  useEffect(() => {
    if (!mode) return;
    const initial = mode.kind === 'edit' ? mode.item : null;
    reset(initial);
    if (!initial) return;
    const controller = new AbortController();
    getItem(initial.id, controller.signal)
      .then((latest) => {
        if (latest.version !== initial.version && !form.isFieldsTouched()) reset(latest);
        else if (latest.version !== initial.version) setChangedElsewhere(true);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [mode?.kind, editId]);

  const loadLatest = useCallback(async () => {
    if (!editId) return;
    setReloading(true);
    try {
      reset(await getItem(editId));
    } catch (e) {
      if (!isAbortError(e)) setError(asApiError(e));
    } finally {
      setReloading(false);
    }
  }, [editId, reset]);

  // Someone else saved this item while the drawer is open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the signal only
  useEffect(() => {
    if (!externalChange || !editId || !base || savingRef.current) return;
    const controller = new AbortController();
    getItem(editId, controller.signal)
      .then((latest) => {
        if (savingRef.current || latest.version === base.version) return;
        if (!form.isFieldsTouched()) reset(latest);
        else setChangedElsewhere(true);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [externalChange]);

  const applyServerErrors = (apiError: ApiError) => {
    const rest: string[] = [];
    const fields: { name: FieldName; errors: string[] }[] = [];
    for (const fe of apiError.fieldErrors) {
      const path = fe.path[0] === 'body' ? fe.path.slice(1) : fe.path;
      const name = path[0];
      if (name === 'customFields' && path.length === 2) {
        form.setFields([
          { name: path as ['customFields', string], errors: [fieldErrorText(t, fe, apiError)] },
        ]);
      } else if (isField(name)) {
        const existing = fields.find((f) => f.name === name);
        const text = fieldErrorText(t, fe, apiError);
        if (existing) existing.errors.push(text);
        else fields.push({ name, errors: [text] });
      } else {
        rest.push(
          fe.field && fe.field !== '/'
            ? `${fe.field}: ${fieldErrorText(t, fe, apiError)}`
            : fieldErrorText(t, fe, apiError),
        );
      }
    }
    if (fields.length) form.setFields(fields);
    setOtherErrors(rest);
    const first = fields[0];
    if (first) form.scrollToField(first.name);
  };

  const submit = async (values: ItemFormValues) => {
    if (!mode) return;
    setError(null);
    setOtherErrors([]);
    setConflict(false);
    let body: ItemUpdate | null = null;
    if (mode.kind === 'edit') {
      if (!base) return;
      body = updateBody(base, values);
      if (!body) {
        message.info(t('items.noChanges'));
        onClose();
        return;
      }
    }
    setSaving(true);
    savingRef.current = true;
    try {
      const saved =
        mode.kind === 'create' ? await createItem(createBody(values)) : await updateItem(mode.item.id, body!);
      message.success(t(mode.kind === 'create' ? 'items.created' : 'items.saved', { code: saved.code }));
      // near-duplicates do not block saving; they are pointed out so someone can check
      const similar = (saved.warnings ?? []).filter((w) => w.code === 'NEAR_DUPLICATE');
      if (similar.length) {
        notification.warning({
          title: t('md.warningsTitle'),
          description: t('md.nearDuplicateHint', {
            codes: similar.flatMap((w) => w.duplicates ?? []).join(', '),
          }),
          duration: 10,
        });
      }
      onSaved(saved, mode.kind === 'create');
    } catch (e) {
      const apiError = asApiError(e);
      if (mode.kind === 'edit' && apiError.status === 409) {
        setConflict(true);
        setError(apiError);
      } else if (mode.kind === 'edit' && apiError.status === 404) {
        setError(apiError);
      } else {
        setError(apiError);
        applyServerErrors(apiError);
      }
    } finally {
      setSaving(false);
      savingRef.current = false;
    }
  };

  const requestClose = () => {
    if (saving) return;
    if (!form.isFieldsTouched()) {
      onClose();
      return;
    }
    modal.confirm({
      title: t('common.discardTitle'),
      content: t('common.discardContent'),
      okText: t('common.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.keepEditing'),
      onOk: onClose,
    });
  };

  const maxLength = (max: number) => ({ max, message: t('items.form.maxLength', { max }) });
  const required = { required: true, whitespace: true, message: t('items.form.required') };

  return (
    <Drawer
      open={open}
      onClose={requestClose}
      size={narrow ? '100%' : 560}
      destroyOnHidden
      mask={{ closable: !saving }}
      title={
        <Flex vertical>
          <span>
            {editing && mode?.kind === 'edit'
              ? t('items.form.editTitle', { code: base?.code ?? mode.item.code })
              : t('items.form.createTitle')}
          </span>
          {editing && base ? (
            <Typography.Text type="secondary" className="takt-small takt-drawer-subtitle">
              {t('items.form.version', { version: base.version, time: format.dateTime(base.updatedAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={requestClose} disabled={saving}>
            {t('common.cancel')}
          </Button>
          <Button type="primary" onClick={() => form.submit()} loading={saving} disabled={conflict}>
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        {conflict ? (
          <Alert
            type="warning"
            showIcon
            title={t('items.conflictTitle')}
            description={t('items.conflictText')}
            action={
              <Button size="small" type="primary" loading={reloading} onClick={() => void loadLatest()}>
                {t('items.loadLatest')}
              </Button>
            }
          />
        ) : changedElsewhere ? (
          <Alert
            type="info"
            showIcon
            title={t('items.changedElsewhere')}
            action={
              <Button size="small" loading={reloading} onClick={() => void loadLatest()}>
                {t('items.loadLatest')}
              </Button>
            }
          />
        ) : null}
        {error && !conflict ? (
          <Alert
            type="error"
            showIcon
            title={error.status === 404 ? t('items.notFound') : t('errors.saveFailed')}
            description={
              <ProblemDescription error={error}>
                <div>{problemText(t, error)}</div>
                {otherErrors.length ? (
                  <ul className="takt-error-list">
                    {otherErrors.map((m) => (
                      <li key={m}>{m}</li>
                    ))}
                  </ul>
                ) : null}
              </ProblemDescription>
            }
          />
        ) : null}
        <Form<ItemFormValues>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          disabled={saving}
          initialValues={toForm(null)}
          scrollToFirstError
        >
          <Form.Item
            name="code"
            label={t('items.form.code')}
            // the server stores codes in capitals; show them that way while typing
            normalize={(value: string) => value.toUpperCase()}
            extra={editing ? undefined : t('items.form.codeHelp')}
            rules={editing ? [] : [required, maxLength(40)]}
          >
            <Input
              disabled={editing}
              maxLength={40}
              autoComplete="off"
              spellCheck={false}
              className="takt-mono"
              autoFocus={!editing}
            />
          </Form.Item>
          <Form.Item name="name" label={t('items.form.name')} rules={[required, maxLength(200)]}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
          <Form.Item name="spec" label={t('items.form.spec')} rules={[maxLength(200)]}>
            <Input maxLength={200} autoComplete="off" placeholder={t('items.form.specPlaceholder')} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} sm={14}>
              <Form.Item
                name="type"
                label={t('items.form.type')}
                rules={[{ required: true, message: t('items.form.required') }]}
              >
                <Select
                  options={ITEM_TYPES.map((type) => ({ value: type, label: t(`items.types.${type}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={10}>
              <Form.Item name="uom" label={t('items.form.uom')} rules={[required, maxLength(16)]}>
                <Input maxLength={16} autoComplete="off" placeholder={t('items.form.uomPlaceholder')} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="safetyStock"
                label={t('items.form.safetyStock')}
                rules={[
                  ...(editing ? [required] : []),
                  { pattern: QTY, message: t('items.form.qtyPattern') },
                ]}
              >
                <Input inputMode="decimal" autoComplete="off" className="takt-num-input" placeholder="0" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="standardCost"
                label={t('items.form.standardCost')}
                rules={[
                  ...(editing ? [required] : []),
                  { pattern: MONEY, message: t('items.form.moneyPattern') },
                ]}
              >
                <Input inputMode="decimal" autoComplete="off" className="takt-num-input" placeholder="0.00" />
              </Form.Item>
            </Col>
          </Row>
          <CustomFieldItems entity="items" />
          {editing ? (
            <Form.Item
              name="active"
              label={t('items.form.active')}
              valuePropName="checked"
              extra={t('items.form.activeHelp')}
            >
              <Switch />
            </Form.Item>
          ) : null}
        </Form>
      </Flex>
    </Drawer>
  );
}
