import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { PurchaseOrder } from '@takt/contracts';
import { Alert, App, Button, Col, Drawer, Flex, Form, Input, Row } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { itemsApi, suppliersApi } from '../../api/masterdata.ts';
import { createPurchaseOrder } from '../../api/purchasing.ts';
import { FormDrawerFooter } from '../../components/FormDrawerFooter.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';

interface Values {
  supplierId: string | null;
  notes?: string;
  lines: { itemId: string | null; qty: string; unitPrice?: string; dueDate: string }[];
}
const FIELDS = new Set(['supplierId', 'notes', 'lines']);
const QTY = /^\d{1,12}(\.\d{1,3})?$/;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const EMPTY_LINE = { itemId: null, qty: '', unitPrice: '', dueDate: '' };

/** A new draft purchase order: supplier and lines; empty prices come from the supplier's price list. */
export function PurchaseOrderCreateDrawer({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (po: PurchaseOrder) => void;
}) {
  const { t } = useTranslation('purchasing');
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
      const po = await createPurchaseOrder({
        supplierId: v.supplierId ?? '',
        ...(v.notes?.trim() ? { notes: v.notes.trim() } : {}),
        lines: v.lines.map((l) => ({
          itemId: l.itemId ?? '',
          qty: l.qty.trim(),
          dueDate: l.dueDate,
          ...(l.unitPrice?.trim() ? { unitPrice: l.unitPrice.trim() } : {}),
        })),
      });
      message.success(t('form.created', { code: po.code }));
      onCreated(po);
    });
  };

  return (
    <Drawer
      open={open}
      onClose={() => !saving && onClose()}
      size={narrow ? '100%' : 720}
      destroyOnHidden
      title={t('form.title')}
      footer={
        <FormDrawerFooter
          form={form}
          saving={saving}
          onCancel={onClose}
          cancelText={t('form.cancel')}
          submitText={t('form.create')}
        />
      }
    >
      <Flex vertical gap={12}>
        {error ? <ProblemAlert error={error} title={t('form.failed')} /> : null}
        {other.length ? <Alert type="warning" showIcon title={other.join(' · ')} /> : null}
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{ supplierId: null, lines: [EMPTY_LINE] }}
          onFinish={submit}
        >
          <Form.Item
            name="supplierId"
            label={t('form.supplier')}
            rules={[{ required: true, message: t('form.supplierRequired') }]}
          >
            <RefSelect api={suppliersApi} filter={{ active: true }} />
          </Form.Item>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field, index) => {
                  const label = (text: string) => (index === 0 || narrow ? text : undefined);
                  return (
                    <Row gutter={8} key={field.key} align="top">
                      <Col xs={24} md={9}>
                        <Form.Item
                          name={[field.name, 'itemId']}
                          label={label(t('form.item'))}
                          rules={[{ required: true, message: t('form.itemRequired') }]}
                        >
                          <RefSelect api={itemsApi} filter={{ active: true }} aria-label={t('form.item')} />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={4}>
                        <Form.Item
                          name={[field.name, 'qty']}
                          label={label(t('form.qty'))}
                          rules={[
                            { required: true, message: t('form.qtyRequired') },
                            { pattern: QTY, message: t('form.qtyRequired') },
                          ]}
                        >
                          <Input inputMode="decimal" className="takt-num-input" aria-label={t('form.qty')} />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={4}>
                        <Form.Item
                          name={[field.name, 'unitPrice']}
                          label={label(t('form.unitPrice'))}
                          rules={[{ pattern: MONEY, message: t('form.unitPriceHint') }]}
                        >
                          <Input
                            inputMode="decimal"
                            className="takt-num-input"
                            placeholder={t('form.unitPriceHint')}
                            aria-label={t('form.unitPrice')}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={7} md={6}>
                        <Form.Item
                          name={[field.name, 'dueDate']}
                          label={label(t('form.dueDate'))}
                          rules={[{ required: true, message: t('form.dueRequired') }]}
                        >
                          <Input type="date" aria-label={t('form.dueDate')} />
                        </Form.Item>
                      </Col>
                      <Col xs={1} md={1}>
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('form.removeLine')}
                          title={t('form.removeLine')}
                          disabled={fields.length <= 1}
                          onClick={() => remove(field.name)}
                          style={{ marginTop: index === 0 || narrow ? 30 : 0 }}
                        />
                      </Col>
                    </Row>
                  );
                })}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(EMPTY_LINE)}>
                  {t('form.addLine')}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Form.Item name="notes" label={t('form.notes')} style={{ marginTop: 16 }}>
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
        </Form>
      </Flex>
    </Drawer>
  );
}
