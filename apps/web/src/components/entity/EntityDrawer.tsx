import { DeleteOutlined } from '@ant-design/icons';
import type { CodeRule } from '@takt/contracts';
import {
  Alert,
  App,
  Button,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useFormat } from '../../i18n/format.ts';
import { applyFieldErrors } from '../formErrors.ts';
import { ProblemDescription, problemText } from '../ProblemAlert.tsx';
import type { EntityConfig, EntityRow, FieldDef } from './types.ts';

export type DrawerMode<T> = { kind: 'create' } | { kind: 'edit'; entity: T };

const QTY = /^-?\d{1,12}(\.\d{1,3})?$/;
const MONEY = /^-?\d{1,13}(\.\d{1,2})?$/;

interface Warning {
  code: string;
  message: string;
  duplicates?: string[];
}

/** Only what changed, compared as JSON, plus the version read; null when nothing did. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  skip: readonly string[],
): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (skip.includes(key)) continue;
    if (JSON.stringify(value ?? null) !== JSON.stringify(before[key] ?? null)) patch[key] = value;
  }
  return Object.keys(patch).length ? patch : null;
}

interface Props<T extends EntityRow, V extends object> {
  config: EntityConfig<T, V>;
  mode: DrawerMode<T> | null;
  rule: CodeRule | undefined;
  onClose(): void;
  onSaved(entity: T, created: boolean): void;
  onDeleted(id: string): void;
  externalChange: number;
  canDelete: boolean;
}

/** Create or edit one master-data record: server field errors on the fields, stale versions caught. */
export function EntityDrawer<T extends EntityRow, V extends object>({
  config,
  mode,
  rule,
  onClose,
  onSaved,
  onDeleted,
  externalChange,
  canDelete,
}: Props<T, V>) {
  const { t } = useTranslation();
  const format = useFormat();
  const { message, modal, notification } = App.useApp();
  const [form] = Form.useForm<V>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const [base, setBase] = useState<T | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const savingRef = useRef(false);
  const editing = mode?.kind === 'edit';
  const editId = mode?.kind === 'edit' ? mode.entity.id : null;
  const { api, texts, fields } = config;

  const reset = useCallback(
    (entity: T | null) => {
      setBase(entity);
      setError(null);
      setOtherErrors([]);
      setConflict(false);
      setChangedElsewhere(false);
      form.resetFields();
      form.setFieldsValue(config.toForm(entity) as Parameters<typeof form.setFieldsValue>[0]);
    },
    [form, config],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another record (or mode) is opened
  useEffect(() => {
    if (!mode) return;
    const initial = mode.kind === 'edit' ? mode.entity : null;
    reset(initial);
    if (!initial) return;
    const controller = new AbortController();
    api
      .get(initial.id, controller.signal)
      .then((latest) => {
        if (latest.version === initial.version) return;
        if (!form.isFieldsTouched()) reset(latest);
        else setChangedElsewhere(true);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [mode?.kind, editId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the signal only
  useEffect(() => {
    if (!externalChange || !editId || !base || savingRef.current) return;
    const controller = new AbortController();
    api
      .get(editId, controller.signal)
      .then((latest) => {
        if (savingRef.current || latest.version === base.version) return;
        if (!form.isFieldsTouched()) reset(latest);
        else setChangedElsewhere(true);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [externalChange]);

  const loadLatest = async () => {
    if (!editId) return;
    try {
      reset(await api.get(editId));
    } catch (e) {
      setError(asApiError(e));
    }
  };

  const fieldNames = new Set(fields.map((f) => f.name));
  const skip = fields.filter((f) => f.createOnly).map((f) => f.name);

  const showWarnings = (saved: T) => {
    const warnings = (saved as { warnings?: Warning[] }).warnings;
    if (!warnings?.length) return;
    notification.warning({
      title: t('md.warningsTitle'),
      description: (
        <ul className="takt-error-list">
          {warnings.map((w) => (
            <li key={w.code + w.message}>
              {w.code === 'NEAR_DUPLICATE'
                ? t('md.nearDuplicateSaved', { codes: (w.duplicates ?? []).join(', ') })
                : w.message}
            </li>
          ))}
        </ul>
      ),
      duration: 10,
    });
  };

  const submit = async (values: V) => {
    if (!mode) return;
    setError(null);
    setOtherErrors([]);
    setConflict(false);
    let body: Record<string, unknown>;
    if (mode.kind === 'edit') {
      if (!base) return;
      const patch = changedFields(
        config.toBody(config.toForm(base), true),
        config.toBody(values, true),
        skip,
      );
      if (!patch) {
        message.info(t('items.noChanges'));
        onClose();
        return;
      }
      body = { version: base.version, ...patch };
    } else {
      body = config.toBody(values, false);
    }
    setSaving(true);
    savingRef.current = true;
    try {
      const saved = mode.kind === 'create' ? await api.create(body) : await api.update(mode.entity.id, body);
      message.success(
        t(mode.kind === 'create' ? 'md.created' : 'md.saved', { noun: texts.noun, code: saved.code }),
      );
      showWarnings(saved);
      onSaved(saved, mode.kind === 'create');
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      if (mode.kind === 'edit' && apiError.status === 409 && apiError.code === 'STALE_VERSION') {
        setConflict(true);
      } else {
        setOtherErrors(applyFieldErrors(t, form, apiError, (n) => fieldNames.has(n), config.rename));
      }
    } finally {
      setSaving(false);
      savingRef.current = false;
    }
  };

  const remove = () => {
    if (!base) return;
    modal.confirm({
      title: t('md.deleteTitle', { noun: texts.noun, code: base.code }),
      content: t('md.deleteText'),
      okText: t('md.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.remove(base.id);
          message.success(t('md.deleted', { noun: texts.noun, code: base.code }));
          onDeleted(base.id);
        } catch (e) {
          setError(asApiError(e));
        }
      },
    });
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

  const control = (f: FieldDef): ReactNode => {
    const disabled = Boolean(editing && f.createOnly);
    if (f.control) return f.control;
    switch (f.kind) {
      case 'textarea':
        return <Input.TextArea maxLength={f.max} autoSize={{ minRows: 2, maxRows: 5 }} />;
      case 'select':
        return <Select options={f.options} allowClear={!f.required} disabled={disabled} />;
      case 'tags':
        return <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />;
      case 'int':
        return (
          <InputNumber
            className="takt-block"
            precision={0}
            min={f.min ?? 0}
            max={f.max}
            placeholder={f.placeholder}
          />
        );
      case 'decimal':
      case 'money':
        return (
          <Input
            inputMode="decimal"
            autoComplete="off"
            className="takt-num-input"
            placeholder={f.placeholder ?? (f.kind === 'money' ? '0.00' : '0')}
          />
        );
      case 'switch':
        return <Switch />;
      default:
        return (
          <Input
            maxLength={f.max}
            autoComplete="off"
            spellCheck={!f.code}
            disabled={disabled}
            className={f.code ? 'takt-mono' : undefined}
            placeholder={f.placeholder}
            autoFocus={f.code && !editing}
          />
        );
    }
  };

  const rules = (f: FieldDef) => {
    if (editing && f.createOnly) return [];
    const out: object[] = [];
    if (f.required) {
      out.push({
        required: true,
        whitespace: f.kind === undefined || f.kind === 'text' || f.kind === 'textarea',
        message: t('items.form.required'),
      });
    }
    if (f.max && (f.kind === undefined || f.kind === 'text' || f.kind === 'textarea')) {
      out.push({ max: f.max, message: t('items.form.maxLength', { max: f.max }) });
    }
    if (f.kind === 'decimal') out.push({ pattern: QTY, message: t('items.form.qtyPattern') });
    if (f.kind === 'money') out.push({ pattern: MONEY, message: t('items.form.moneyPattern') });
    return out;
  };

  const codeHelp = (f: FieldDef) => {
    if (!f.code || editing) return f.help;
    return rule ? t('md.codeRuleHelp', { example: rule.example }) : t('items.form.codeHelp');
  };

  const visible = fields.filter((f) => (editing ? !f.createOnly || f.code : !f.editOnly));

  return (
    <Drawer
      open={mode !== null}
      onClose={requestClose}
      size={narrow ? '100%' : (config.drawerWidth ?? 600)}
      destroyOnHidden
      mask={{ closable: !saving }}
      title={
        <Flex vertical>
          <span>{mode?.kind === 'edit' ? texts.edit(base?.code ?? mode.entity.code) : texts.create}</span>
          {editing && base ? (
            <Typography.Text type="secondary" className="takt-small takt-drawer-subtitle">
              {t('items.form.version', { version: base.version, time: format.dateTime(base.updatedAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      footer={
        <Flex justify="space-between" gap={8}>
          <span>
            {editing && canDelete ? (
              <Button danger icon={<DeleteOutlined />} onClick={remove} disabled={saving}>
                {t('md.delete')}
              </Button>
            ) : null}
          </span>
          <Flex gap={8}>
            <Button onClick={requestClose} disabled={saving}>
              {t('common.cancel')}
            </Button>
            <Button type="primary" onClick={() => form.submit()} loading={saving} disabled={conflict}>
              {editing ? t('common.save') : t('common.create')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        {conflict ? (
          <Alert
            type="warning"
            showIcon
            title={t('md.conflictTitle')}
            description={t('items.conflictText')}
            action={
              <Button size="small" type="primary" onClick={() => void loadLatest()}>
                {t('items.loadLatest')}
              </Button>
            }
          />
        ) : changedElsewhere ? (
          <Alert
            type="info"
            showIcon
            title={t('md.changedElsewhere')}
            action={
              <Button size="small" onClick={() => void loadLatest()}>
                {t('items.loadLatest')}
              </Button>
            }
          />
        ) : null}
        {error && !conflict ? (
          <Alert
            type="error"
            showIcon
            title={error.status === 404 ? t('md.notFound') : t('errors.saveFailed')}
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
        <Form<V> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={saving}>
          <Row gutter={16}>
            {visible.map((f) => (
              <Col key={f.name} xs={24} sm={f.span ?? 24}>
                {f.render ? (
                  f.render({ editing })
                ) : (
                  <Form.Item
                    name={f.name}
                    label={f.label}
                    extra={codeHelp(f)}
                    rules={rules(f)}
                    valuePropName={f.kind === 'switch' ? 'checked' : 'value'}
                    normalize={f.code ? (v: string) => (v ?? '').toUpperCase() : undefined}
                  >
                    {control(f)}
                  </Form.Item>
                )}
              </Col>
            ))}
          </Row>
        </Form>
        {editing && base && config.detail ? config.detail(base, (e) => reset(e)) : null}
      </Flex>
    </Drawer>
  );
}
