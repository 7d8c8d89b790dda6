import type { SalesOrder, Shipment } from '@takt/contracts';
import { Alert, App, Form, Input, Modal, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listPlaces, type PlaceOption } from '../../api/inventory.ts';
import { postShipment } from '../../api/sales.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useFormat } from '../../i18n/format.ts';

type Line = SalesOrder['lines'][number];
interface Values {
  fromLocationId: string | null;
  note?: string;
  lines: { qty?: string; lot?: string }[];
}

const QTY = /^\d{1,12}(\.\d{1,3})?$/;

function openQty(line: Line): string {
  const open = Number(line.qty) - Number(line.shipped);
  return open > 0 ? String(Math.round(open * 1000) / 1000) : '0';
}

/** Ship against the open lines of an order from one location; partial quantities allowed. */
export function ShipmentDialog({
  order,
  open,
  onClose,
  onPosted,
}: {
  order: SalesOrder;
  open: boolean;
  onClose: () => void;
  onPosted: (shipment: Shipment) => void;
}) {
  const { t } = useTranslation('sales');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [places, setPlaces] = useState<PlaceOption[]>([]);
  const { saving, error, other, run, clear, setOther } = useFormSubmit(form);
  const lines = useMemo(() => order.lines.filter((l) => Number(openQty(l)) > 0), [order.lines]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    listPlaces(controller.signal)
      .then((r) => setPlaces(r.places))
      .catch(() => undefined);
    clear();
    form.setFieldsValue({
      fromLocationId: null,
      note: '',
      lines: lines.map((l) => ({ qty: openQty(l), lot: '' })),
    });
    return () => controller.abort();
  }, [open, lines, form, clear]);

  const submit = async (v: Values) => {
    const body = lines
      .map((l, i) => ({ line: l, qty: (v.lines[i]?.qty ?? '').trim(), lot: (v.lines[i]?.lot ?? '').trim() }))
      .filter((x) => x.qty !== '' && Number(x.qty) > 0)
      .map((x) => ({
        lineId: x.line.id,
        qty: x.qty,
        fromLocationId: v.fromLocationId ?? '',
        ...(x.lot ? { lot: x.lot } : {}),
      }));
    if (!body.length) {
      setOther([t('ship.nothing')]);
      return;
    }
    await run(async () => {
      const shipment = await postShipment(order.id, {
        lines: body,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      message.success(t('ship.posted', { code: shipment.code }));
      onPosted(shipment);
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
      title: t('ship.open'),
      width: 90,
      align: 'right',
      render: (_, l) => <span className="takt-num">{format.decimal(openQty(l))}</span>,
    },
    {
      key: 'qty',
      title: t('ship.qty'),
      width: 120,
      render: (_, _l, i) => (
        <Form.Item
          name={['lines', i, 'qty']}
          noStyle
          rules={[{ pattern: QTY, message: t('form.qtyRequired') }]}
        >
          <Input inputMode="decimal" className="takt-num-input" aria-label={t('ship.qty')} />
        </Form.Item>
      ),
    },
    {
      key: 'lot',
      title: t('ship.lot'),
      width: 150,
      render: (_, _l, i) => (
        <Form.Item name={['lines', i, 'lot']} noStyle>
          <Input maxLength={60} placeholder={t('ship.lotHint')} aria-label={t('ship.lot')} />
        </Form.Item>
      ),
    },
  ];

  return (
    <Modal
      open={open}
      title={t('ship.title', { code: order.code })}
      width={760}
      okText={t('ship.submit')}
      cancelText={tc('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => !saving && onClose()}
      destroyOnHidden
    >
      {error ? <ProblemAlert error={error} title={t('ship.failed')} /> : null}
      {other.length ? (
        <Alert type="warning" showIcon title={other.join(' · ')} style={{ marginTop: 8 }} />
      ) : null}
      <Form<Values> form={form} layout="vertical" onFinish={submit} style={{ marginTop: 12 }}>
        <Form.Item
          name="fromLocationId"
          label={t('ship.from')}
          rules={[{ required: true, message: t('ship.fromRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'title' }}
            options={places.map((p) => ({
              value: p.id,
              title: `${p.warehouseCode} ${p.code} ${p.name}`,
              label: (
                <span>
                  <span className="takt-mono">
                    {p.warehouseCode} / {p.code}
                  </span>{' '}
                  {p.name}
                </span>
              ),
            }))}
          />
        </Form.Item>
        <Table<Line>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={lines}
          pagination={false}
          scroll={{ x: 560 }}
        />
        <Form.Item name="note" label={t('ship.note')} style={{ marginTop: 12 }}>
          <Input maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
