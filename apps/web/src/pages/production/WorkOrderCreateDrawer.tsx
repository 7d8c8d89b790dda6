import type { WorkOrderDetail } from '@takt/contracts';
import { Alert, App, Checkbox, Col, Drawer, Flex, Form, Input, InputNumber, Row } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { itemsApi } from '../../api/masterdata.ts';
import { createWorkOrder } from '../../api/production.ts';
import { CustomFieldItems, filledCustomFields } from '../../components/customFields/CustomFields.tsx';
import { FormDrawerFooter } from '../../components/FormDrawerFooter.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { qtyRules } from './qty.ts';

interface Values {
  itemId: string | null;
  qty: string;
  dueDate?: string;
  priority?: number | null;
  withChildren: boolean;
  customFields?: Record<string, unknown>;
}

const FIELDS = new Set(['itemId', 'qty', 'dueDate', 'priority', 'withChildren', 'customFields']);

/** A new work order: item, quantity, due date and priority; child orders for made components by default. */
export function WorkOrderCreateDrawer({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (wo: WorkOrderDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS });

  useEffect(() => {
    if (!open) return;
    clear();
    form.resetFields();
  }, [open, form, clear]);

  const submit = async (v: Values) => {
    await run(async () => {
      const wo = await createWorkOrder({
        itemId: v.itemId ?? '',
        qty: v.qty.trim(),
        ...(v.dueDate ? { dueDate: v.dueDate } : {}),
        ...(v.priority != null ? { priority: v.priority } : {}),
        withChildren: v.withChildren,
        customFields: filledCustomFields(v.customFields),
      });
      message.success(t('production.create.created', { code: wo.code }));
      onCreated(wo);
    });
  };

  return (
    <Drawer
      open={open}
      onClose={() => !saving && onClose()}
      size={narrow ? '100%' : 520}
      destroyOnHidden
      title={t('production.create.title')}
      footer={
        <FormDrawerFooter
          form={form}
          saving={saving}
          onCancel={onClose}
          cancelText={t('common.cancel')}
          submitText={t('common.create')}
        />
      }
    >
      <Flex vertical gap={12}>
        {error ? <ProblemAlert error={error} /> : null}
        {other.length ? <Alert type="warning" showIcon title={other.join(' · ')} /> : null}
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{ itemId: null, qty: '', priority: 50, withChildren: true }}
          onFinish={submit}
        >
          <Form.Item
            name="itemId"
            label={t('production.create.item')}
            extra={t('production.create.itemHelp')}
            rules={[{ required: true, message: t('production.form.required') }]}
          >
            <RefSelect
              api={itemsApi}
              filter={{ active: true }}
              placeholder={t('production.create.itemSearch')}
            />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="qty" label={t('production.create.qty')} rules={qtyRules(t)}>
                <Input inputMode="decimal" className="takt-num-input" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="dueDate" label={t('production.create.dueDate')}>
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="priority"
                label={t('production.create.priority')}
                extra={t('production.create.priorityHelp')}
              >
                <InputNumber min={0} max={100} precision={0} className="takt-block" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="withChildren" valuePropName="checked">
            <Checkbox>{t('production.create.withChildren')}</Checkbox>
          </Form.Item>
          <CustomFieldItems entity="work_orders" />
        </Form>
      </Flex>
    </Drawer>
  );
}
