import type { Item, Location, PurchaseOrder, Warehouse } from '@takt/contracts';
import {
  Alert,
  App,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { itemsApi, warehousesApi } from '../../api/masterdata.ts';
import { listWarehouseLocations, receivePurchaseOrder, returnPurchaseOrder } from '../../api/purchasing.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useFormat } from '../../i18n/format.ts';

type Line = PurchaseOrder['lines'][number];
interface Values {
  warehouseId: string | null;
  locationId: string | null;
  note?: string;
  reason?: string;
  lines: { qty?: string; lot?: string }[];
}
const QTY = /^\d{1,12}(\.\d{1,3})?$/;

/** Receive goods against open lines (or return received goods) at one location; lots for lot-tracked items. */
export function ReceiptDialog({
  order,
  mode,
  onClose,
  onPosted,
}: {
  order: PurchaseOrder;
  /** null: closed. */
  mode: 'receipt' | 'return' | null;
  onClose: () => void;
  onPosted: (po: PurchaseOrder) => void;
}) {
  const { t } = useTranslation('purchasing');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [warehouses, setWarehouses] = useState<Warehouse[]>([]);
  const [locations, setLocations] = useState<Location[]>([]);
  const [tracking, setTracking] = useState<Map<string, Item['tracking']>>(new Map());
  const { saving, error, other, run, clear, setOther } = useFormSubmit(form, {
    fields: (n) => n === 'locationId' || n === 'reason',
  });
  const warehouseId = Form.useWatch('warehouseId', form);
  const isReturn = mode === 'return';
  const lines = useMemo(
    () =>
      order.lines.filter((l) =>
        isReturn ? Number(l.receivedQty) - Number(l.returnedQty) > 0 : Number(l.openQty) > 0,
      ),
    [order.lines, isReturn],
  );

  useEffect(() => {
    if (!mode) return;
    const controller = new AbortController();
    warehousesApi
      .list({ limit: 200, active: true }, controller.signal)
      .then((p) => setWarehouses(p.items))
      .catch(() => undefined);
    const itemIds = [...new Set(lines.map((l) => l.itemId))];
    Promise.all(itemIds.map((id) => itemsApi.get(id, controller.signal).catch(() => null)))
      .then((items) => setTracking(new Map(items.filter((i) => i !== null).map((i) => [i.id, i.tracking]))))
      .catch(() => undefined);
    clear();
    form.resetFields();
    form.setFieldsValue({
      warehouseId: null,
      locationId: null,
      lines: lines.map((l) => ({ qty: isReturn ? '' : l.openQty, lot: '' })),
    });
    return () => controller.abort();
  }, [mode, lines, form, isReturn, clear]);

  useEffect(() => {
    setLocations([]);
    form.setFieldValue('locationId', null);
    if (!warehouseId) return;
    const controller = new AbortController();
    listWarehouseLocations(warehouseId, controller.signal)
      .then((p) => setLocations(p.items))
      .catch(() => undefined);
    return () => controller.abort();
  }, [warehouseId, form]);

  const submit = async (v: Values) => {
    const body = lines
      .map((l, i) => ({ l, qty: (v.lines[i]?.qty ?? '').trim(), lot: (v.lines[i]?.lot ?? '').trim() }))
      .filter((x) => x.qty !== '' && Number(x.qty) > 0)
      .map((x) => ({ lineId: x.l.id, qty: x.qty, ...(x.lot ? { lot: x.lot } : {}) }));
    if (!body.length) {
      setOther([t('receive.nothing')]);
      return;
    }
    await run(async () => {
      const result = isReturn
        ? await returnPurchaseOrder(order.id, {
            locationId: v.locationId ?? '',
            reason: v.reason?.trim() ?? '',
            lines: body,
          })
        : await receivePurchaseOrder(order.id, {
            locationId: v.locationId ?? '',
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            lines: body,
          });
      message.success(t('receive.posted'));
      onPosted(result.purchaseOrder);
    });
  };

  const columns: TableColumnsType<Line> = [
    {
      key: 'item',
      title: t('columns.item'),
      render: (_, l) => (
        <span>
          <Typography.Text className="takt-mono">{l.itemCode}</Typography.Text>{' '}
          <Typography.Text type="secondary">{l.itemName}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'open',
      title: isReturn ? t('columns.received') : t('columns.open'),
      width: 90,
      align: 'right',
      render: (_, l) => (
        <span className="takt-num">
          {format.decimal(isReturn ? String(Number(l.receivedQty) - Number(l.returnedQty)) : l.openQty)}
        </span>
      ),
    },
    {
      key: 'qty',
      title: t('receive.qty'),
      width: 120,
      render: (_, _l, i) => (
        <Form.Item name={['lines', i, 'qty']} noStyle rules={[{ pattern: QTY }]}>
          <Input inputMode="decimal" className="takt-num-input" aria-label={t('receive.qty')} />
        </Form.Item>
      ),
    },
    {
      key: 'lot',
      title: t('receive.lot'),
      width: 160,
      render: (_, l, i) =>
        tracking.get(l.itemId) === 'lot' || tracking.get(l.itemId) === 'serial' ? (
          <Form.Item
            name={['lines', i, 'lot']}
            noStyle
            rules={[
              {
                validator: async (_r, value: string | undefined) => {
                  const qty = form.getFieldValue(['lines', i, 'qty']) as string | undefined;
                  if (qty && Number(qty) > 0 && !value?.trim()) throw new Error(t('receive.lotRequired'));
                },
              },
            ]}
          >
            <Input maxLength={60} placeholder={t('receive.lotRequired')} aria-label={t('receive.lot')} />
          </Form.Item>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <Modal
      open={mode !== null}
      title={
        isReturn ? t('receive.returnTitle', { code: order.code }) : t('receive.title', { code: order.code })
      }
      width={780}
      okText={isReturn ? t('receive.submitReturn') : t('receive.submit')}
      okButtonProps={{ danger: isReturn }}
      cancelText={tc('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => !saving && onClose()}
      destroyOnHidden
    >
      {error ? <ProblemAlert error={error} title={t('receive.failed')} /> : null}
      {other.length ? (
        <Alert type="warning" showIcon title={other.join(' · ')} style={{ marginTop: 8 }} />
      ) : null}
      <Form<Values> form={form} layout="vertical" onFinish={submit} style={{ marginTop: 12 }}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="warehouseId"
              label={t('receive.warehouse')}
              rules={[{ required: true, message: t('receive.locationRequired') }]}
            >
              <Select
                options={warehouses.map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="locationId"
              label={t('receive.location')}
              rules={[{ required: true, message: t('receive.locationRequired') }]}
            >
              <Select
                disabled={!warehouseId}
                options={locations.map((l) => ({ value: l.id, label: `${l.code} ${l.name}` }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Table<Line>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={lines}
          pagination={false}
          scroll={{ x: 560 }}
        />
        {isReturn ? (
          <Form.Item
            name="reason"
            label={t('receive.reason')}
            rules={[{ required: true, whitespace: true, message: t('actions.reasonRequired') }]}
            style={{ marginTop: 12 }}
          >
            <Input maxLength={200} />
          </Form.Item>
        ) : (
          <Form.Item name="note" label={t('receive.note')} style={{ marginTop: 12 }}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
