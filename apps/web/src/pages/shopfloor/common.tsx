import type { FloorException } from '@takt/contracts';
import { App, Button, Form, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/client.ts';
import { type ExceptionKindName, type ExceptionStateName, updateException } from '../../api/shopfloor.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { problemText } from '../../components/ProblemAlert.tsx';

export const STATE_COLORS: Record<string, string> = {
  running: '#52c41a',
  paused: '#faad14',
  waiting: '#1677ff',
  idle: '#8c8c8c',
  down: '#f5222d',
};

const KIND_COLORS: Record<ExceptionKindName, string> = {
  breakdown: 'red',
  shortage: 'orange',
  quality: 'magenta',
  tooling: 'purple',
};

const EX_STATE_COLORS: Record<ExceptionStateName, string> = {
  open: 'error',
  acknowledged: 'warning',
  resolved: 'success',
};

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation('shopfloor');
  const known = kind in KIND_COLORS;
  return (
    <Tag color={known ? KIND_COLORS[kind as ExceptionKindName] : undefined}>
      {known ? t(`kind.${kind as ExceptionKindName}`) : kind}
    </Tag>
  );
}

export function ExStateTag({ state }: { state: string }) {
  const { t } = useTranslation('shopfloor');
  const known = state in EX_STATE_COLORS;
  return (
    <Tag color={known ? EX_STATE_COLORS[state as ExceptionStateName] : undefined} data-state={state}>
      {known ? t(`exState.${state as ExceptionStateName}`) : state}
    </Tag>
  );
}

/** "12 min", "3 h 05 min", "2 d 4 h" from a number of minutes. */
export function useMinutesText(): (minutes: number) => string {
  const { t } = useTranslation('shopfloor');
  return (minutes) => {
    const m = Math.max(0, Math.round(minutes));
    if (m < 60) return t('ex.minutes', { count: m });
    const h = Math.floor(m / 60);
    return t('ex.hoursMinutes', { h, m: String(m % 60).padStart(2, '0') });
  };
}

export function minutesSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const at = new Date(iso).getTime();
  return Number.isNaN(at) ? null : (now - at) / 60_000;
}

type Dialog = { action: 'assign' | 'resolve'; ex: FloorException } | null;

/** Acknowledge / assign / resolve buttons of one exception; `onChanged` gets the updated record. */
export function ExceptionActions({
  ex,
  onChanged,
  size = 'small',
}: {
  ex: FloorException;
  onChanged: (next: FloorException | null) => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation('shopfloor');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm<{ owner?: string; resolution?: string }>();
  // Acknowledging takes only alerts:acknowledge (managers have it); assigning and resolving change
  // the floor (a resolved breakdown sets its machine running again) and take production:update.
  const handles = can('production:update');
  if (!can('alerts:acknowledge') || ex.state === 'resolved' || (!handles && ex.state !== 'open')) return null;

  const run = async (
    action: 'acknowledge' | 'assign' | 'resolve',
    extra: { owner?: string; resolution?: string },
  ) => {
    setBusy(true);
    try {
      const next = await updateException(ex.id, { action, version: ex.version, ...extra });
      message.success(
        t('ex.done', { code: next.code, state: t(`exState.${next.state as ExceptionStateName}`) }),
      );
      setDialog(null);
      onChanged(next);
    } catch (e) {
      const err = asApiError(e);
      if (err.status === 409) {
        message.warning(t('ex.stale', { code: ex.code }));
        setDialog(null);
        onChanged(null);
      } else message.error(problemText(tc, err));
    } finally {
      setBusy(false);
    }
  };

  const open = (action: 'assign' | 'resolve') => {
    form.resetFields();
    form.setFieldsValue({ owner: ex.owner ?? '' });
    setDialog({ action, ex });
  };

  return (
    <>
      <Space size={4} wrap>
        {ex.state === 'open' ? (
          <Button size={size} loading={busy} data-testid="ex-ack" onClick={() => void run('acknowledge', {})}>
            {t('ex.acknowledge')}
          </Button>
        ) : null}
        {handles ? (
          <>
            <Button size={size} disabled={busy} data-testid="ex-assign" onClick={() => open('assign')}>
              {t('ex.assign')}
            </Button>
            <Button
              size={size}
              type="primary"
              disabled={busy}
              data-testid="ex-resolve"
              onClick={() => open('resolve')}
            >
              {t('ex.resolve')}
            </Button>
          </>
        ) : null}
      </Space>
      <Modal
        open={dialog !== null}
        title={
          dialog?.action === 'assign'
            ? t('ex.assignTitle', { code: ex.code })
            : t('ex.resolveTitle', { code: ex.code })
        }
        okText={dialog?.action === 'assign' ? t('ex.assign') : t('ex.resolve')}
        cancelText={tc('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) =>
            void run(
              dialog?.action ?? 'resolve',
              dialog?.action === 'assign'
                ? { owner: (values.owner ?? '').trim() }
                : { resolution: (values.resolution ?? '').trim() },
            )
          }
        >
          {dialog?.action === 'assign' ? (
            <Form.Item
              name="owner"
              label={t('ex.owner')}
              rules={[{ required: true, whitespace: true, message: t('ex.ownerRequired') }]}
            >
              <Input maxLength={100} placeholder={t('ex.ownerPlaceholder')} autoFocus />
            </Form.Item>
          ) : (
            <Form.Item name="resolution" label={t('ex.resolution')}>
              <Input.TextArea
                maxLength={1000}
                rows={3}
                placeholder={t('ex.resolutionPlaceholder')}
                autoFocus
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
