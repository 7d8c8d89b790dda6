import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { SalesOrder } from '@takt/contracts';
import { Alert, App, Button, Col, Drawer, Flex, Form, Input, Row, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import { customersApi, itemsApi } from '../../api/masterdata.ts';
import { createSalesOrder, getSalesOrder, updateSalesOrder } from '../../api/sales.ts';
import { FormDrawerFooter } from '../../components/FormDrawerFooter.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';

interface LineValues {
  id?: string;
  itemId: string | null;
  qty: string;
  unitPrice: string;
  requestedDate?: string;
}
interface Values {
  customerId: string | null;
  externalRef?: string;
  dueDate?: string;
  note?: string;
  reason?: string;
  lines: LineValues[];
}

const FIELDS = new Set(['customerId', 'externalRef', 'dueDate', 'note', 'reason', 'lines']);
const QTY = /^\d{1,12}(\.\d{1,3})?$/;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;

function toValues(so: SalesOrder | null): Values {
  if (!so) return { customerId: null, lines: [{ itemId: null, qty: '', unitPrice: '' }] };
  return {
    customerId: so.customerId,
    externalRef: so.externalRef,
    dueDate: so.dueDate,
    note: so.note,
    lines: so.lines.map((l) => ({
      id: l.id,
      itemId: l.itemId,
      qty: l.qty,
      unitPrice: l.unitPrice,
      requestedDate: l.requestedDate,
    })),
  };
}

/**
 * Create a sales order, or change one (draft or confirmed): customer, dates and lines. Server field
 * errors land on the fields; a change made elsewhere meanwhile (stale version) offers the latest.
 */
export function SalesOrderDrawer({
  open,
  order,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** null: a new order. */
  order: SalesOrder | null;
  onClose: () => void;
  onSaved: (so: SalesOrder) => void;
}) {
  const { t } = useTranslation('sales');
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const { saving, error, other, run, clear, setError } = useFormSubmit(form, { fields: FIELDS });
  const [base, setBase] = useState<SalesOrder | null>(order);
  const editing = base !== null;
  const confirmed = base !== null && base.status !== 'draft';

  useEffect(() => {
    if (!open) return;
    clear();
    setBase(order);
    form.setFieldsValue(toValues(order));
  }, [open, order, form, clear]);

  const loadLatest = async () => {
    if (!base) return;
    try {
      const latest = await getSalesOrder(base.id);
      setBase(latest);
      form.resetFields();
      form.setFieldsValue(toValues(latest));
      setError(null);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  const submit = async (v: Values) => {
    await run(async () => {
      const lines = v.lines.map((l) => ({
        ...(l.id ? { id: l.id } : {}),
        itemId: l.itemId ?? '',
        qty: l.qty.trim(),
        unitPrice: l.unitPrice.trim(),
        ...(l.requestedDate ? { requestedDate: l.requestedDate } : {}),
      }));
      const so = base
        ? await updateSalesOrder(base.id, {
            version: base.version,
            externalRef: v.externalRef?.trim() ?? '',
            dueDate: v.dueDate || null,
            note: v.note ?? '',
            lines,
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          })
        : await createSalesOrder({
            customerId: v.customerId ?? '',
            ...(v.externalRef?.trim() ? { externalRef: v.externalRef.trim() } : {}),
            ...(v.dueDate ? { dueDate: v.dueDate } : {}),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            lines: lines.map(({ id: _id, ...l }) => l),
          });
      message.success(base ? t('form.saved', { code: so.code }) : t('form.created', { code: so.code }));
      onSaved(so);
    });
  };

  const stale = error?.status === 409 && error.code === 'STALE_VERSION';
  return (
    <Drawer
      open={open}
      onClose={() => !saving && onClose()}
      size={narrow ? '100%' : 720}
      destroyOnHidden
      title={base ? t('form.editTitle', { code: base.code }) : t('form.createTitle')}
      footer={
        <FormDrawerFooter
          form={form}
          saving={saving}
          onCancel={onClose}
          cancelText={t('form.cancel')}
          submitText={editing ? t('form.save') : t('form.create')}
        />
      }
    >
      <Flex vertical gap={12}>
        {stale ? (
          <Alert
            type="warning"
            showIcon
            title={t('form.stale')}
            action={<Button onClick={() => void loadLatest()}>{t('form.reloadLatest')}</Button>}
          />
        ) : error ? (
          <ProblemAlert error={error} title={t('form.saveFailed')} />
        ) : null}
        {other.length ? <Alert type="warning" showIcon title={other.join(' · ')} /> : null}
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={toValues(order)}
          onFinish={submit}
        >
          <Form.Item
            name="customerId"
            label={t('form.customer')}
            rules={[{ required: true, message: t('form.customerRequired') }]}
          >
            <RefSelect api={customersApi} filter={{ active: true }} disabled={editing} />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="externalRef" label={t('form.externalRef')}>
                <Input maxLength={60} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="dueDate" label={t('form.dueDate')}>
                <Input type="date" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="note" label={t('form.note')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
          <Typography.Title level={5}>{t('form.lines')}</Typography.Title>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field, index) => (
                  <Row gutter={8} key={field.key} align="top" data-line={index}>
                    <Col xs={24} md={9}>
                      <Form.Item
                        name={[field.name, 'itemId']}
                        label={index === 0 || narrow ? t('form.item') : undefined}
                        rules={[{ required: true, message: t('form.itemRequired') }]}
                      >
                        <RefSelect api={itemsApi} filter={{ active: true }} aria-label={t('form.item')} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={4}>
                      <Form.Item
                        name={[field.name, 'qty']}
                        label={index === 0 || narrow ? t('form.qty') : undefined}
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
                        label={index === 0 || narrow ? t('form.unitPrice') : undefined}
                        rules={[
                          { required: true, message: t('form.priceRequired') },
                          { pattern: MONEY, message: t('form.priceRequired') },
                        ]}
                      >
                        <Input
                          inputMode="decimal"
                          className="takt-num-input"
                          aria-label={t('form.unitPrice')}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={7} md={6}>
                      <Form.Item
                        name={[field.name, 'requestedDate']}
                        label={index === 0 || narrow ? t('form.requestedDate') : undefined}
                      >
                        <Input type="date" aria-label={t('form.requestedDate')} />
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
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ itemId: null, qty: '', unitPrice: '' })}
                  disabled={fields.length >= 200}
                >
                  {t('form.addLine')}
                </Button>
              </Flex>
            )}
          </Form.List>
          {confirmed ? (
            <Form.Item
              name="reason"
              label={t('form.reason')}
              extra={t('form.reasonHint')}
              style={{ marginTop: 16 }}
            >
              <Input maxLength={200} />
            </Form.Item>
          ) : null}
        </Form>
      </Flex>
    </Drawer>
  );
}
