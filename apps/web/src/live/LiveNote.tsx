import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLiveStatus } from './LiveEvents.tsx';

/** "Updates live" next to a page title, shown only while the live connection is up. */
export function LiveNote() {
  const { t } = useTranslation();
  const { status } = useLiveStatus();
  if (status !== 'connected') return null;
  return <Badge status="processing" text={t('common.updatedLive')} className="takt-live-note" />;
}
