import { Badge, Button, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';
import type { LiveStatus } from './connection.ts';
import { useLiveStatus } from './LiveEvents.tsx';

const BADGE: Record<Exclude<LiveStatus, 'idle'>, 'success' | 'processing' | 'warning' | 'error'> = {
  connecting: 'processing',
  connected: 'success',
  reconnecting: 'warning',
  offline: 'error',
};

/** The header's live-connection light: connected / reconnecting / offline, explained in a tooltip. */
export function LiveIndicator({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const live = useLiveStatus();
  const [now, setNow] = useState(() => Date.now());
  const waiting = live.status === 'reconnecting' || live.status === 'offline';

  useEffect(() => {
    if (!waiting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  if (live.status === 'idle') return null;

  const seconds = live.retryAt ? Math.max(0, Math.ceil((live.retryAt - now) / 1000)) : 0;
  const hint =
    live.status === 'connected'
      ? t('live.connectedHint', { time: format.time(live.connectedAt) })
      : live.status === 'connecting'
        ? t('live.connectingHint')
        : live.browserOffline
          ? t('live.browserOfflineHint')
          : live.status === 'offline'
            ? t('live.offlineHint', { seconds })
            : t('live.reconnectingHint', { seconds, attempt: live.failures });
  const label = t(`live.${live.status}`);

  return (
    <Tooltip
      title={
        <div>
          <div>{hint}</div>
          {waiting && !live.browserOffline ? (
            <div className="takt-live-tip-action">{t('live.reconnectNow')}</div>
          ) : null}
        </div>
      }
      placement="bottomRight"
    >
      <Button
        type="text"
        className="takt-header-button takt-live"
        aria-label={`${label}: ${hint}`}
        data-status={live.status}
        onClick={waiting ? live.reconnectNow : undefined}
      >
        <Badge status={BADGE[live.status]} text={compact ? undefined : label} />
      </Button>
    </Tooltip>
  );
}
