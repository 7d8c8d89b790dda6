import type { CustomFieldDef, CustomFieldEntity } from '@takt/contracts';
import { EditOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listCustomFields } from '../../api/customFields.ts';
import { ProblemAlert } from '../ProblemAlert.tsx';
import type { FieldDef } from '../entity/types.ts';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';

export type CustomValue = string | number;
export type CustomValues = Record<string, CustomValue>;

/** Active definitions per entity, loaded once per page visit and shared by every form on it. */
const cache = new Map<CustomFieldEntity, Promise<CustomFieldDef[]>>();

export function forgetCustomFieldDefs(): void {
  cache.clear();
}

function load(entity: CustomFieldEntity): Promise<CustomFieldDef[]> {
  let p = cache.get(entity);
  if (!p) {
    p = listCustomFields({ entity, active: true }).catch((e: unknown) => {
      cache.delete(entity);
      throw e;
    });
    cache.set(entity, p);
  }
  return p;
}

/** The entity's active custom field definitions ([] until loaded or when loading fails). */
export function useCustomFieldDefs(entity: CustomFieldEntity): CustomFieldDef[] {
  const [defs, setDefs] = useState<CustomFieldDef[]>([]);
  useEffect(() => {
    let live = true;
    load(entity)
      .then((d) => {
        if (live) setDefs(d);
      })
      .catch(() => {
        if (live) setDefs([]);
      });
    return () => {
      live = false;
    };
  }, [entity]);
  return defs;
}

export function customFieldLabel(def: CustomFieldDef, language: string): string {
  return language.startsWith('zh') ? def.labelZh : def.labelEn;
}

/**
 * The values to send: blanks become null (clears the value), keys sorted so that an unchanged form
 * compares equal to the stored values.
 */
export function cleanCustomFields(
  values: Record<string, unknown> | undefined,
): Record<string, CustomValue | null> {
  const out: Record<string, CustomValue | null> = {};
  for (const key of Object.keys(values ?? {}).sort()) {
    const v = values?.[key];
    if (typeof v === 'number') out[key] = v;
    else if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
    else out[key] = null;
  }
  return out;
}

/** For a create body: only the keys that have a value. */
export function filledCustomFields(values: Record<string, unknown> | undefined): CustomValues {
  const out: CustomValues = {};
  for (const [k, v] of Object.entries(cleanCustomFields(values))) if (v !== null) out[k] = v;
  return out;
}

/** Form items (under `customFields`) for the entity's active custom fields, two to a row. */
export function CustomFieldItems({ entity }: { entity: CustomFieldEntity }) {
  const { t, i18n } = useTranslation('customFields');
  const defs = useCustomFieldDefs(entity);
  if (defs.length === 0) return null;
  return (
    <>
      <Typography.Text type="secondary" className="takt-custom-fields-title">
        {t('section')}
      </Typography.Text>
      <Row gutter={12} data-testid="custom-fields">
        {defs.map((d) => (
          <Col key={d.key} xs={24} md={12}>
            <Form.Item
              name={['customFields', d.key]}
              label={customFieldLabel(d, i18n.language)}
              rules={d.required ? [{ required: true, message: t('required') }] : []}
            >
              {d.kind === 'number' ? (
                <InputNumber style={{ width: '100%' }} />
              ) : d.kind === 'date' ? (
                <Input type="date" />
              ) : d.kind === 'choice' ? (
                <Select allowClear options={d.options.map((o) => ({ value: o, label: o }))} />
              ) : (
                <Input maxLength={500} />
              )}
            </Form.Item>
          </Col>
        ))}
      </Row>
    </>
  );
}

/** The custom fields as a field of a generic master-data form (EntityConfig.fields). */
export function customFieldsField(entity: CustomFieldEntity): FieldDef {
  return {
    name: 'customFields',
    label: 'customFields',
    render: () => <CustomFieldItems entity={entity} />,
  };
}

/** The stored values, labelled by the active definitions, for detail views. */
export function CustomFieldView({
  entity,
  values,
  column = 2,
}: {
  entity: CustomFieldEntity;
  values: CustomValues | undefined;
  column?: number;
}) {
  const { i18n } = useTranslation();
  const defs = useCustomFieldDefs(entity);
  if (defs.length === 0) return null;
  return (
    <Descriptions
      size="small"
      column={column}
      data-testid="custom-field-values"
      items={defs.map((d) => ({
        key: d.key,
        label: customFieldLabel(d, i18n.language),
        children: values?.[d.key] !== undefined ? String(values[d.key]) : '—',
      }))}
    />
  );
}

/**
 * The stored values with an edit button (when `save` is given) that opens the fields in a dialog;
 * `save` sends the changed values and returns once they are stored.
 */
export function CustomFieldPanel({
  entity,
  values,
  column = 2,
  save,
}: {
  entity: CustomFieldEntity;
  values: CustomValues | undefined;
  column?: number;
  save?: (values: Record<string, CustomValue | null>) => Promise<void>;
}) {
  const { t } = useTranslation('customFields');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const defs = useCustomFieldDefs(entity);
  const [form] = Form.useForm<{ customFields: Record<string, unknown> }>();
  const [open, setOpen] = useState(false);
  const { saving, error, run, clear } = useFormSubmit(form, { fields: (n) => n === 'customFields' });
  if (defs.length === 0) return null;
  const submit = async (v: { customFields?: Record<string, unknown> }) => {
    if (!save) return;
    await run(async () => {
      await save(cleanCustomFields(v.customFields));
      message.success(t('savedValues'));
      setOpen(false);
    });
  };
  return (
    <Flex vertical gap={4} style={{ marginTop: 12 }}>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t('section')}</Typography.Text>
        {save ? (
          <Button
            size="small"
            data-testid="custom-fields-edit"
            icon={<EditOutlined />}
            onClick={() => {
              clear();
              setOpen(true);
            }}
          >
            {tc('common.edit')}
          </Button>
        ) : null}
      </Flex>
      <CustomFieldView entity={entity} values={values} column={column} />
      <Modal
        open={open}
        title={t('editValues')}
        okText={tc('common.save')}
        cancelText={tc('common.cancel')}
        confirmLoading={saving}
        destroyOnHidden
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
      >
        {error ? <ProblemAlert error={error} /> : null}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ customFields: { ...values } }}
          onFinish={(v) => void submit(v)}
        >
          <CustomFieldItems entity={entity} />
        </Form>
      </Modal>
    </Flex>
  );
}
