import type { WorkOrderDetail } from '@takt/contracts';
import type { WorkOrderAction } from '@takt/domain/workorder-state';
import { Alert, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.ts';
import { actOnWorkOrder, issueMaterials, reportOutput } from '../../api/production.ts';
import { type FormSubmitOptions, useFormSubmit } from '../../hooks/useFormSubmit.ts';
import { useFormat } from '../../i18n/format.ts';
import { PlaceSelect } from '../inventory/places.tsx';
import { refusalText } from './common.tsx';
import { qtyOrUndefined, qtyRules } from './qty.ts';

type Material = WorkOrderDetail['materials'][number];

function ErrorBox({ error, other }: { error: ApiError | null; other?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="takt-dialog-error"
      title={refusalText(t, error)}
      description={other?.length ? other.join(' · ') : undefined}
    />
  );
}

/** Actions that need a reason (or offer options) go through this dialog before the call. */
export function ActionDialog({
  wo,
  action,
  onClose,
  onDone,
}: {
  wo: WorkOrderDetail;
  action: WorkOrderAction | null;
  onClose: () => void;
  onDone: (wo: WorkOrderDetail) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [form] = Form.useForm<{ reason?: string; cascade?: boolean; closeShort?: boolean }>();
  const { saving: busy, error, run, clear } = useFormSubmit(form);
  const closeShort = Form.useWatch('closeShort', form) ?? false;
  const short = Number(wo.qtyGood) < Number(wo.qty);

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    form.setFieldsValue({ closeShort: action === 'complete' && short, cascade: true });
    clear();
  }, [action, form, short, clear]);

  const reasonRequired = action === 'hold' || action === 'cancel' || (action === 'complete' && closeShort);
  const submit = async (v: { reason?: string; cascade?: boolean; closeShort?: boolean }) => {
    if (!action) return;
    await run(async () => {
      const reason = v.reason?.trim();
      const next = await actOnWorkOrder(wo.id, {
        action,
        version: wo.version,
        ...(reason ? { reason } : {}),
        ...(action === 'cancel' && v.cascade ? { cascade: true } : {}),
        ...(action === 'complete' && v.closeShort ? { closeShort: true } : {}),
      });
      onDone(next);
    });
  };

  return (
    <Modal
      open={action !== null}
      title={action ? t(`production.actionTitles.${action}`, { code: wo.code }) : ''}
      okText={action ? t(`production.actions.${action}`) : ''}
      okButtonProps={{ danger: action === 'cancel' || action === 'hold', loading: busy }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => !busy && onClose()}
      destroyOnHidden
    >
      <ErrorBox error={error} />
      <Form form={form} layout="vertical" onFinish={submit}>
        {action === 'complete' ? (
          <>
            <Typography.Paragraph>
              {t('production.completeSummary', {
                good: format.decimal(wo.qtyGood),
                planned: format.decimal(wo.qty),
              })}
            </Typography.Paragraph>
            <Form.Item name="closeShort" valuePropName="checked">
              <Checkbox>{t('production.closeShort')}</Checkbox>
            </Form.Item>
          </>
        ) : null}
        {action === 'cancel' && wo.children.length > 0 ? (
          <Form.Item name="cascade" valuePropName="checked" extra={t('production.cascadeHelp')}>
            <Checkbox>{t('production.cascade')}</Checkbox>
          </Form.Item>
        ) : null}
        {action !== 'complete' || closeShort ? (
          <Form.Item
            name="reason"
            label={t('production.reason')}
            rules={
              reasonRequired
                ? [{ required: true, whitespace: true, message: t('production.form.reasonRequired') }]
                : []
            }
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={300} showCount />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** The issue call names its fields `/lines/0/qty`; the dialog's form has one line, named `qty`. */
const ISSUE_SUBMIT: FormSubmitOptions = {
  fields: new Set(['qty', 'fromLocationId', 'lot']),
  reshape: (error) =>
    ({
      ...error,
      fieldErrors: error.fieldErrors.map((f) => ({
        ...f,
        path: f.path[0] === 'lines' ? f.path.slice(2) : f.path,
      })),
    }) as ApiError,
};

interface IssueValues {
  qty: string;
  fromLocationId?: string;
  lot?: string;
}

/** Issues one material line from a location. */
export function IssueDialog({
  wo,
  material,
  onClose,
  onDone,
}: {
  wo: WorkOrderDetail;
  material: Material | null;
  onClose: () => void;
  onDone: (wo: WorkOrderDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<IssueValues>();
  const { saving: busy, error, other, run, clear } = useFormSubmit(form, ISSUE_SUBMIT);

  useEffect(() => {
    if (!material) return;
    const remaining = Math.max(0, Number(material.qtyRequired) - Number(material.qtyIssued));
    form.resetFields();
    form.setFieldsValue({ qty: remaining > 0 ? String(Math.round(remaining * 1000) / 1000) : '' });
    clear();
  }, [material, form, clear]);

  const submit = async (v: IssueValues) => {
    if (!material) return;
    await run(async () => {
      const lot = v.lot?.trim();
      const next = await issueMaterials(wo.id, {
        lines: [
          {
            materialId: material.id,
            qty: v.qty.trim(),
            fromLocationId: v.fromLocationId ?? '',
            ...(lot ? { lot } : {}),
          },
        ],
      });
      onDone(next);
    });
  };

  return (
    <Modal
      open={material !== null}
      title={
        material ? t('production.issue.title', { code: material.itemCode, name: material.itemName }) : ''
      }
      okText={t('production.issue.submit')}
      okButtonProps={{ loading: busy }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => !busy && onClose()}
      destroyOnHidden
    >
      <ErrorBox error={error} other={other} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="fromLocationId"
          label={t('production.issue.from')}
          rules={[{ required: true, message: t('production.form.required') }]}
        >
          <PlaceSelect aria-label={t('production.issue.from')} />
        </Form.Item>
        <Form.Item name="qty" label={t('production.issue.qty')} rules={qtyRules(t)}>
          <Input inputMode="decimal" className="takt-num-input" autoComplete="off" />
        </Form.Item>
        <Form.Item name="lot" label={t('production.lot')} extra={t('production.lotHelp')}>
          <Input maxLength={60} className="takt-mono" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface OutputValues {
  goodQty: string;
  scrapQty?: string;
  scrapReason?: string;
  toLocationId?: string;
  lot?: string;
  backflushFromLocationId?: string;
}

const OUTPUT_FIELDS = new Set([
  'goodQty',
  'scrapQty',
  'scrapReason',
  'toLocationId',
  'lot',
  'backflushFromLocationId',
]);

/** Reports good and scrap output into stock, optionally backflushing the materials it used. */
export function OutputDialog({
  wo,
  open,
  onClose,
  onDone,
}: {
  wo: WorkOrderDetail;
  open: boolean;
  onClose: () => void;
  onDone: (wo: WorkOrderDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OutputValues>();
  const { saving: busy, error, other, run, clear } = useFormSubmit(form, { fields: OUTPUT_FIELDS });
  const scrap = Form.useWatch('scrapQty', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    clear();
  }, [open, form, clear]);

  const submit = async (v: OutputValues) => {
    await run(async () => {
      const scrapQty = qtyOrUndefined(v.scrapQty);
      const lot = v.lot?.trim();
      const next = await reportOutput(wo.id, {
        goodQty: v.goodQty.trim() || '0',
        ...(scrapQty ? { scrapQty } : {}),
        ...(scrapQty && v.scrapReason?.trim() ? { scrapReason: v.scrapReason.trim() } : {}),
        toLocationId: v.toLocationId ?? '',
        ...(lot ? { lot } : {}),
        ...(v.backflushFromLocationId ? { backflushFromLocationId: v.backflushFromLocationId } : {}),
      });
      onDone(next);
    });
  };

  const hasScrap = Number(qtyOrUndefined(scrap) ?? 0) > 0;
  return (
    <Modal
      open={open}
      title={t('production.output.title', { code: wo.code })}
      okText={t('production.output.submit')}
      okButtonProps={{ loading: busy }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => !busy && onClose()}
      destroyOnHidden
    >
      <ErrorBox error={error} other={other} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ goodQty: '', scrapQty: '' }}>
        <Form.Item
          name="goodQty"
          label={t('production.output.good')}
          rules={qtyRules(t, { positive: false })}
        >
          <Input inputMode="decimal" className="takt-num-input" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="scrapQty"
          label={t('production.output.scrap')}
          rules={qtyRules(t, { required: false, positive: false })}
        >
          <Input inputMode="decimal" className="takt-num-input" autoComplete="off" />
        </Form.Item>
        {hasScrap ? (
          <Form.Item
            name="scrapReason"
            label={t('production.output.scrapReason')}
            rules={[{ required: true, whitespace: true, message: t('production.form.reasonRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="toLocationId"
          label={t('production.output.to')}
          rules={[{ required: true, message: t('production.form.required') }]}
        >
          <PlaceSelect aria-label={t('production.output.to')} />
        </Form.Item>
        <Form.Item name="lot" label={t('production.lot')} extra={t('production.lotHelp')}>
          <Input maxLength={60} className="takt-mono" />
        </Form.Item>
        <Form.Item
          name="backflushFromLocationId"
          label={t('production.output.backflush')}
          extra={t('production.output.backflushHelp')}
        >
          <PlaceSelect
            allowClear
            aria-label={t('production.output.backflush')}
            placeholder={t('production.output.noBackflush')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
