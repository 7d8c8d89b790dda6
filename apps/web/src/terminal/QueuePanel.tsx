import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, useOnline, useQueue } from './context.ts';
import { useTerminalT } from './i18n.ts';
import { storedProblemMessage } from './problems.ts';
import { discardReport, flushQueue, retryReport } from './queue.ts';

/** The reports waiting on this device: what, when, why not sent yet; send now, resend or discard. */
export function QueuePanel({ onClose, onSent }: { onClose: () => void; onSent: (count: number) => void }) {
  const t = useTerminalT();
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'zh-CN';
  const queue = useQueue();
  const online = useOnline();
  const [confirm, setConfirm] = useState<string | null>(null);

  const sendNow = async () => {
    const outcome = await flushQueue();
    if (outcome.sent > 0) onSent(outcome.sent);
  };

  return (
    <div
      className="tk-sheet"
      role="dialog"
      aria-modal="true"
      aria-label={t('queue.title')}
      data-testid="queue-panel"
    >
      <div className="tk-sheet-body tk-queue">
        <div className="tk-row">
          <h2 className="tk-subtitle tk-grow">{t('queue.title')}</h2>
          <button type="button" className="tk-btn" onClick={onClose}>
            {t('back')}
          </button>
        </div>
        {queue.needsSignIn ? <div className="tk-note tk-note-warn">{t('queue.signInToSend')}</div> : null}
        {queue.items.length === 0 ? <div className="tk-note">{t('queue.empty')}</div> : null}
        <ul className="tk-queue-list">
          {queue.items.map((item) => (
            <li key={item.key} className={`tk-queue-item tk-queue-${item.status}`} data-testid="queue-item">
              <div className="tk-queue-main">
                <div className="tk-big">
                  {item.workOrderCode} · {item.operationLabel}
                </div>
                <div>
                  {t('op.good')} <b>{item.body.good}</b>
                  {item.body.scrap ? (
                    <>
                      {' · '}
                      {t('op.scrap')} <b>{item.body.scrap}</b>
                    </>
                  ) : null}
                  {item.body.lots?.length ? (
                    <span data-testid="queue-lots">
                      {' · '}
                      {t('lots.title')}{' '}
                      <b>{item.body.lots.map((l) => `${l.lotCode} × ${l.qty}`).join(', ')}</b>
                    </span>
                  ) : null}
                </div>
                <div className="tk-muted">
                  {t('queue.takenAt', {
                    time: formatDateTime(item.body.reportedAt, language),
                    name: item.takenBy,
                  })}
                  {item.attempts > 0 ? ` · ${t('queue.attempts', { count: item.attempts })}` : ''}
                </div>
                <div className={item.status === 'failed' ? 'tk-queue-state tk-text-error' : 'tk-queue-state'}>
                  {item.status === 'failed'
                    ? t('queue.failed')
                    : queue.sending
                      ? t('queue.sending')
                      : t('queue.pending')}
                  {item.error && (item.status === 'failed' || item.error.status !== 0)
                    ? `: ${storedProblemMessage(t, item.error)}`
                    : ''}
                </div>
                {item.status === 'failed' && item.error?.detail ? (
                  <div className="tk-muted tk-detail">{item.error.detail}</div>
                ) : null}
              </div>
              <div className="tk-queue-buttons">
                {item.status === 'failed' ? (
                  <button type="button" className="tk-btn" onClick={() => void retryReport(item.key)}>
                    {t('queue.retry')}
                  </button>
                ) : null}
                {confirm === item.key ? (
                  <button
                    type="button"
                    className="tk-btn tk-btn-danger"
                    onClick={() => {
                      setConfirm(null);
                      void discardReport(item.key);
                    }}
                  >
                    {t('queue.confirmDiscard')}
                  </button>
                ) : (
                  <button type="button" className="tk-btn" onClick={() => setConfirm(item.key)}>
                    {t('queue.discard')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        {queue.items.some((i) => i.status === 'pending') ? (
          <button
            type="button"
            className="tk-btn tk-btn-primary tk-btn-block"
            disabled={!online || queue.sending || queue.needsSignIn}
            onClick={() => void sendNow()}
          >
            {queue.sending ? t('queue.sending') : t('queue.sendNow')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
