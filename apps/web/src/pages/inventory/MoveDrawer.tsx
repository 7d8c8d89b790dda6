import type { StockMove } from '@takt/contracts';
import { Alert, App, Col, Drawer, Flex, Form, Input, Row, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MOVE_KINDS, MOVE_SIDES, type MoveKindName, postMove } from '../../api/inventory.ts';
import { itemsApi } from '../../api/masterdata.ts';
import { FormDrawerFooter } from '../../components/FormDrawerFooter.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { RefSelect } from '../../components/RefSelect.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { qtyRules } from '../production/qty.ts';
import { PlaceSelect } from './places.tsx';

interface Values {
  kind: MoveKindName;
  itemId: string | null;
  qty: string;
  fromLocationId?: string;
  toLocationId?: string;
  lot?: string;
  reason?: string;
}

const FIELDS = new Set(['kind', 'itemId', 'qty', 'fromLocationId', 'toLocationId', 'lot', 'reason']);

/** Posts one stock move; the location fields follow the kind (a receipt has only a target, …). */
export function MoveDrawer({
  open,
  initial,
  onClose,
  onPosted,
}: {
  open: boolean;
  initial?: Partial<Values>;
  onClose: () => void;
  onPosted: (move: StockMove) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const narrow = !useMediaQuery('(min-width: 768px)');
  const { saving, error, other, run, clear } = useFormSubmit(form, { fields: FIELDS });
  const kind = (Form.useWatch('kind', form) ?? 'receipt') as MoveKindName;
  const sides = MOVE_SIDES[kind];

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the drawer opens
  useEffect(() => {
    if (!open) return;
    clear();
    form.resetFields();
    form.setFieldsValue({ kind: 'receipt', itemId: null, qty: '', ...(initial ?? {}) });
  }, [open, form]);

  const submit = async (v: Values) => {
    const s = MOVE_SIDES[v.kind];
    await run(async () => {
      const lot = v.lot?.trim();
      const reason = v.reason?.trim();
      const move = await postMove({
        kind: v.kind,
        itemId: v.itemId ?? '',
        qty: v.qty.trim(),
        ...(s.from && v.fromLocationId ? { fromLocationId: v.fromLocationId } : {}),
        ...(s.to && v.toLocationId ? { toLocationId: v.toLocationId } : {}),
        ...(lot ? { lot } : {}),
        ...(reason ? { reason } : {}),
      });
      message.success(t('inventory.move.posted'));
      onPosted(move);
    });
  };

  const required = { required: true, message: t('production.form.required') };
  return (
    <Drawer
      open={open}
      onClose={() => !saving && onClose()}
      size={narrow ? '100%' : 520}
      destroyOnHidden
      title={t('inventory.move.title')}
      footer={
        <FormDrawerFooter
          form={form}
          saving={saving}
          onCancel={onClose}
          cancelText={t('common.cancel')}
          submitText={t('inventory.move.submit')}
        />
      }
    >
      <Flex vertical gap={12}>
        {error ? <ProblemAlert error={error} /> : null}
        {other.length ? <Alert type="warning" showIcon title={other.join(' · ')} /> : null}
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'receipt' }}>
          <Form.Item
            name="kind"
            label={t('inventory.columns.kind')}
            rules={[required]}
            extra={t(`inventory.kindHelp.${kind}`)}
          >
            <Select
              aria-label={t('inventory.columns.kind')}
              options={MOVE_KINDS.map((k) => ({ value: k, label: t(`inventory.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="itemId" label={t('inventory.columns.item')} rules={[required]}>
            <RefSelect
              api={itemsApi}
              filter={{ active: true }}
              aria-label={t('inventory.columns.item')}
              placeholder={t('production.create.itemSearch')}
            />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="qty" label={t('inventory.columns.qty')} rules={qtyRules(t)}>
                <Input inputMode="decimal" className="takt-num-input" autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="lot" label={t('production.lot')} extra={t('production.lotHelp')}>
                <Input maxLength={60} className="takt-mono" />
              </Form.Item>
            </Col>
          </Row>
          {sides.from ? (
            <Form.Item name="fromLocationId" label={t('inventory.columns.from')} rules={[required]}>
              <PlaceSelect aria-label={t('inventory.columns.from')} />
            </Form.Item>
          ) : null}
          {sides.to ? (
            <Form.Item name="toLocationId" label={t('inventory.columns.to')} rules={[required]}>
              <PlaceSelect aria-label={t('inventory.columns.to')} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="reason"
            label={t('production.reason')}
            rules={
              sides.reason
                ? [{ required: true, whitespace: true, message: t('production.form.reasonRequired') }]
                : []
            }
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Flex>
    </Drawer>
  );
}
