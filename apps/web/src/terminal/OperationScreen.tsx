import type { OperationState, WorkOrderDetail } from '@takt/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { type ApiError, asApiError } from '../api/client.ts';
import {
  actOnOperation,
  getOperation,
  getWorkOrder,
  isUnauthorized,
  type OperationActionName,
  type ReportBody,
  refusalCode,
  requestFirstArticle,
} from './api.ts';
import { CameraScanner, cameraScanAvailable } from './CameraScanner.tsx';
import { formatTime, useOnline, useQueue, useTerminal } from './context.ts';
import { type TerminalKey, useTerminalT } from './i18n.ts';
import { applyKey, Keypad } from './Keypad.tsx';
import { ProblemButton, ProblemSheet } from './ProblemSheet.tsx';
import { problemMessage, statusLabel, storedProblemMessage } from './problems.ts';
import { StartEarlierChoices } from './StartEarlierChoices.tsx';
import { enqueueReport, flushQueue, queueSnapshot } from './queue.ts';
import { newIdempotencyKey, parseLotLabel } from './scan.ts';

export const PAUSE_REASONS = ['SETUP', 'WAIT_MATERIAL', 'BREAKDOWN', 'QUALITY', 'BREAK', 'OTHER'] as const;
export const SCRAP_REASONS = ['DIMENSION', 'APPEARANCE', 'MATERIAL', 'SETUP_SCRAP', 'OTHER'] as const;

type Notice = { kind: 'ok' | 'queued' | 'error'; text: string; at?: string };

const DONE_WORDS: Record<OperationActionName, TerminalKey> = {
  start: 'op.started',
  pause: 'op.paused',
  resume: 'op.resumed',
  complete: 'op.completed',
};

function sumQty(values: string[]): number {
  return values.reduce((s, v) => s + (Number(v) || 0), 0);
}

/** One operation, one task per screen: what it is, how far it is, and the next thing to do. */
export function OperationScreen() {
  const t = useTerminalT();
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'zh-CN';
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { user, sessionEnded, openQueue } = useTerminal();
  const online = useOnline();
  const queue = useQueue();
  const [op, setOp] = useState<OperationState | null>(null);
  const [wo, setWo] = useState<WorkOrderDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<null | 'pause' | 'report' | 'complete' | 'problem' | 'startEarlier'>(
    null,
  );

  const failed = useCallback(
    (e: unknown): ApiError | null => {
      if (isUnauthorized(e)) {
        sessionEnded();
        return null;
      }
      return asApiError(e);
    },
    [sessionEnded],
  );

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const operation = await getOperation(id, signal);
        setOp(operation);
        setLoadError(null);
        setWo((current) => (current?.id === operation.workOrderId ? current : null));
        const order = await getWorkOrder(operation.workOrderId, signal);
        setWo(order);
      } catch (e) {
        if (signal?.aborted) return;
        const err = failed(e);
        if (err) setLoadError(problemMessage(t, err));
      }
    },
    [id, t, failed],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const mine = queue.items.filter((i) => i.operationId === id);
  const queuedGood = sumQty(mine.filter((i) => i.status === 'pending').map((i) => i.body.good));
  const queuedScrap = sumQty(mine.filter((i) => i.status === 'pending').map((i) => i.body.scrap ?? '0'));
  const mineCount = mine.length;

  // Queued reports of this operation went out (or the network came back): show the server's numbers.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the count of queued reports changes
  useEffect(() => {
    if (online && op) void load();
    // "Saved on this device" is out of date once nothing of this operation waits any more.
    if (mineCount === 0) setNotice((n) => (n?.kind === 'queued' ? null : n));
  }, [mineCount, online]);

  // While quality has the first piece, look for the result now and then.
  const waitingForQuality = Boolean(op?.firstArticleRequested) && online;
  useEffect(() => {
    if (!waitingForQuality) return;
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [waitingForQuality, load]);

  const act = async (action: OperationActionName, reason?: string, startedAt?: string) => {
    setDialog(null);
    if (!online) {
      setNotice({ kind: 'error', text: t('op.offlineAction') });
      return;
    }
    const at = startedAt ?? new Date().toISOString();
    setBusy(true);
    try {
      setOp(await actOnOperation(id, action, reason, startedAt));
      setNotice({ kind: 'ok', text: t(DONE_WORDS[action]), at });
    } catch (e) {
      const err = failed(e);
      if (!err) return;
      setNotice({ kind: 'error', text: problemMessage(t, err) });
      if (['INVALID_TRANSITION', 'FIRST_ARTICLE_PENDING', 'FIRST_ARTICLE_FAILED'].includes(refusalCode(err)))
        void load();
    } finally {
      setBusy(false);
    }
  };

  const askFirstArticle = async () => {
    if (!online) {
      setNotice({ kind: 'error', text: t('op.offlineAction') });
      return;
    }
    setBusy(true);
    try {
      const r = await requestFirstArticle(id);
      setNotice({ kind: 'ok', text: t('fai.requested', { code: r.code }), at: new Date().toISOString() });
      void load();
    } catch (e) {
      const err = failed(e);
      if (err) setNotice({ kind: 'error', text: problemMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const report = async (good: string, scrap: string, scrapReason: string | null, lots: LotEntry[]) => {
    if (!op || !wo) return;
    setDialog(null);
    const key = newIdempotencyKey();
    const body: ReportBody = {
      idempotencyKey: key,
      good: good || '0',
      reportedAt: new Date().toISOString(),
      ...(Number(scrap) > 0 ? { scrap, scrapReason: scrapReason ?? 'OTHER' } : {}),
      ...(lots.length ? { lots: lots.map((l) => ({ lotCode: l.lotCode, qty: l.qty })) } : {}),
    };
    setBusy(true);
    try {
      await enqueueReport({
        key,
        operationId: op.id,
        workOrderCode: wo.code,
        operationLabel: `${op.seq} ${op.name}`,
        takenBy: user.displayName,
        body,
      });
      const queued = { kind: 'queued' as const, text: t('report.queued'), at: body.reportedAt };
      if (navigator.onLine === false) {
        setNotice(queued);
        return;
      }
      const outcome = await flushQueue();
      const still = queueSnapshot().items.find((i) => i.key === key);
      if (!still) {
        setNotice({
          kind: 'ok',
          text: t('report.sent', { good: body.good, scrap: body.scrap ?? '0' }),
          at: body.reportedAt,
        });
        void load();
      } else if (still.status === 'failed' && still.error) {
        setNotice({ kind: 'error', text: `${t('report.failed')}: ${storedProblemMessage(t, still.error)}` });
      } else {
        setNotice(queued);
      }
      if (outcome.unauthorized) sessionEnded();
    } finally {
      setBusy(false);
    }
  };

  const askComplete = () => {
    if (mine.some((i) => i.status === 'pending')) {
      setNotice({ kind: 'error', text: t('op.completeQueued') });
      openQueue();
      return;
    }
    setDialog('complete');
  };

  if (loadError && !op) {
    return (
      <div className="tk-screen">
        <div className="tk-error" role="alert">
          {loadError}
        </div>
        <div className="tk-actions">
          <button type="button" className="tk-btn" onClick={() => navigate('/terminal')}>
            {t('back')}
          </button>
          <button type="button" className="tk-btn tk-btn-primary" onClick={() => void load()}>
            {t('retry')}
          </button>
        </div>
      </div>
    );
  }
  if (!op) return <div className="tk-screen tk-note">{t('loading')}</div>;

  const woOp = wo?.operations.find((o) => o.id === op.id);
  const status = op.status;
  const fai = op.firstArticle ?? 'not_required';
  const faiShown = fai === 'not_required' ? null : op.firstArticleRequested ? 'requested' : fai;
  const startBlocked = status === 'dispatched' && (fai === 'pending' || fai === 'failed');
  const open = !['completed', 'cancelled'].includes(status);
  return (
    <div className="tk-screen tk-op" data-testid="operation-screen" data-status={status}>
      <div className="tk-op-head">
        <div>
          <div className="tk-caption">{t('op.workOrder')}</div>
          <div className="tk-wo-code" data-testid="wo-code">
            {wo?.code ?? '…'}
          </div>
        </div>
        <div>
          <div className="tk-caption">{t('op.item')}</div>
          <div className="tk-big">
            {wo ? (
              <>
                {wo.itemCode} <span className="tk-muted">{wo.itemName}</span>
              </>
            ) : (
              '…'
            )}
          </div>
        </div>
        <div>
          <div className="tk-caption">{t('op.operation')}</div>
          <div className="tk-big">
            {op.seq} {op.name}
            {woOp ? (
              <span className="tk-muted"> · {t('op.plannedMinutes', { minutes: woOp.plannedMinutes })}</span>
            ) : null}
          </div>
        </div>
      </div>
      <div className="tk-metrics">
        <div className="tk-metric">
          <div className="tk-caption">{t('op.planned')}</div>
          <div className="tk-metric-value">{wo?.qty ?? '…'}</div>
        </div>
        <div className="tk-metric tk-metric-good">
          <div className="tk-caption">{t('op.good')}</div>
          <div className="tk-metric-value" data-testid="qty-good">
            {op.qtyGood}
          </div>
          {queuedGood > 0 ? (
            <div className="tk-queued-extra">{t('op.queuedExtra', { qty: queuedGood })}</div>
          ) : null}
        </div>
        <div className="tk-metric tk-metric-scrap">
          <div className="tk-caption">{t('op.scrap')}</div>
          <div className="tk-metric-value">{op.qtyScrap}</div>
          {queuedScrap > 0 ? (
            <div className="tk-queued-extra">{t('op.queuedExtra', { qty: queuedScrap })}</div>
          ) : null}
        </div>
        <div className={`tk-metric tk-status-${status}`}>
          <div className="tk-caption">{t('op.status')}</div>
          <div className="tk-metric-value tk-status-text" data-testid="op-status">
            {statusLabel(t, status)}
          </div>
        </div>
      </div>

      {faiShown ? (
        <div className={`tk-fai tk-fai-${faiShown}`} data-testid="fai-panel" data-state={faiShown}>
          <div className="tk-grow">
            <div className="tk-caption">{t('fai.title')}</div>
            <div className="tk-fai-state" data-testid="fai-state">
              {t(`fai.state.${faiShown}`)}
            </div>
            {startBlocked ? (
              <div className="tk-fai-hint" data-testid="start-blocked">
                {fai === 'failed' ? t('fai.blockedFailed') : t('fai.blockedStart')}
              </div>
            ) : null}
          </div>
          {open && (faiShown === 'pending' || faiShown === 'failed') ? (
            <button
              type="button"
              className="tk-btn tk-btn-primary tk-fai-btn"
              data-testid="fai-request"
              disabled={busy || !online}
              onClick={() => void askFirstArticle()}
            >
              {faiShown === 'failed' ? t('fai.requestAgain') : t('fai.request')}
            </button>
          ) : null}
        </div>
      ) : null}
      {op.instructionsUrl || op.drawingUrl ? (
        <div className="tk-actions tk-docs">
          {op.instructionsUrl ? (
            <a
              className="tk-btn tk-btn-doc"
              data-testid="open-instructions"
              href={op.instructionsUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              📄 {t('docs.instructions')}
            </a>
          ) : null}
          {op.drawingUrl ? (
            <a
              className="tk-btn tk-btn-doc"
              data-testid="open-drawing"
              href={op.drawingUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              📐 {t('docs.drawing')}
            </a>
          ) : null}
        </div>
      ) : null}

      {notice ? (
        <div
          className={notice.kind === 'error' ? 'tk-error' : notice.kind === 'queued' ? 'tk-queued' : 'tk-ok'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="notice"
          data-kind={notice.kind}
        >
          <span>{notice.text}</span>
          {notice.at ? (
            <span className="tk-stamp">{t('op.actionAt', { time: formatTime(notice.at, language) })}</span>
          ) : null}
          <button
            type="button"
            className="tk-notice-close"
            aria-label={t('confirm')}
            onClick={() => setNotice(null)}
          >
            ×
          </button>
        </div>
      ) : null}
      {!online ? <div className="tk-note tk-note-warn">{t('op.offlineAction')}</div> : null}

      <div className="tk-op-actions">
        {status === 'dispatched' ? (
          <button
            type="button"
            className="tk-btn tk-btn-go tk-btn-huge"
            data-testid="action-start"
            disabled={busy || !online || startBlocked}
            onClick={() => void act('start')}
          >
            {t('op.start')}
          </button>
        ) : null}
        {status === 'dispatched' ? (
          <button
            type="button"
            className="tk-btn tk-choice"
            data-testid="action-start-earlier"
            disabled={busy || !online || startBlocked}
            onClick={() => setDialog('startEarlier')}
          >
            {t('op.startEarlier')}
          </button>
        ) : null}
        {status === 'in_progress' || status === 'paused' ? (
          <button
            type="button"
            className="tk-btn tk-btn-primary tk-btn-huge"
            data-testid="action-report"
            disabled={busy}
            onClick={() => setDialog('report')}
          >
            {t('op.report')}
          </button>
        ) : null}
        {status === 'in_progress' ? (
          <button
            type="button"
            className="tk-btn tk-btn-warn tk-btn-huge"
            data-testid="action-pause"
            disabled={busy || !online}
            onClick={() => setDialog('pause')}
          >
            {t('op.pause')}
          </button>
        ) : null}
        {status === 'paused' ? (
          <button
            type="button"
            className="tk-btn tk-btn-go tk-btn-huge"
            data-testid="action-resume"
            disabled={busy || !online}
            onClick={() => void act('resume')}
          >
            {t('op.resume')}
          </button>
        ) : null}
        {status === 'in_progress' || status === 'paused' ? (
          <button
            type="button"
            className="tk-btn tk-btn-huge"
            data-testid="action-complete"
            disabled={busy || !online}
            onClick={askComplete}
          >
            {t('op.complete')}
          </button>
        ) : null}
        {!['dispatched', 'in_progress', 'paused'].includes(status) ? (
          <div className="tk-note">{t('op.nothingToDo')}</div>
        ) : null}
      </div>
      <div className="tk-actions tk-actions-end">
        <ProblemButton onClick={() => setDialog('problem')} />
        <button
          type="button"
          className="tk-btn"
          data-testid="scan-next"
          onClick={() => navigate('/terminal')}
        >
          {t('op.scanNext')}
        </button>
      </div>

      {dialog === 'pause' ? (
        <Sheet title={t('op.pauseReason')} onClose={() => setDialog(null)}>
          <div className="tk-choice-grid">
            {PAUSE_REASONS.map((r) => (
              <button
                key={r}
                type="button"
                className="tk-btn tk-choice"
                data-testid={`pause-${r}`}
                onClick={() => void act('pause', r)}
              >
                {t(`pauseReasons.${r}`)}
              </button>
            ))}
          </div>
        </Sheet>
      ) : null}
      {dialog === 'startEarlier' ? (
        <Sheet title={t('op.startEarlierTitle')} onClose={() => setDialog(null)}>
          <StartEarlierChoices onPick={(startedAt) => void act('start', undefined, startedAt)} />
        </Sheet>
      ) : null}
      {dialog === 'complete' ? (
        <Sheet
          title={t('op.confirmComplete', { seq: op.seq, name: op.name })}
          onClose={() => setDialog(null)}
        >
          <div className="tk-actions">
            <button type="button" className="tk-btn" onClick={() => setDialog(null)}>
              {t('cancel')}
            </button>
            <button
              type="button"
              className="tk-btn tk-btn-go"
              data-testid="confirm-complete"
              onClick={() => void act('complete')}
            >
              {t('op.complete')}
            </button>
          </div>
        </Sheet>
      ) : null}
      {dialog === 'report' ? <ReportSheet onClose={() => setDialog(null)} onSubmit={report} /> : null}
      {dialog === 'problem' ? (
        <ProblemSheet
          context={{
            operationId: op.id,
            workOrderId: op.workOrderId,
            machineId: op.machineId,
            materials: wo?.materials.filter((m) => !m.childWorkOrderId),
          }}
          onClose={() => setDialog(null)}
          onSent={(code, kind) => {
            setDialog(null);
            setNotice({
              kind: 'ok',
              text: t('exception.sent', { code, kind: t(`exception.kinds.${kind}`) }),
              at: new Date().toISOString(),
            });
            // A breakdown takes the work off the machine a moment later: show the new status when it has.
            void load();
            for (const ms of [1500, 4000]) setTimeout(() => void load(), ms);
          }}
        />
      ) : null}
    </div>
  );
}

function Sheet({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const t = useTerminalT();
  return (
    <div className="tk-sheet" role="dialog" aria-modal="true" aria-label={title}>
      <div className="tk-sheet-body">
        <div className="tk-row">
          <h2 className="tk-subtitle tk-grow">{title}</h2>
          <button type="button" className="tk-btn" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

export interface LotEntry {
  lotCode: string;
  qty: string;
}

/**
 * Good and scrap on a keypad; a scrap quantity needs one of the scrap reasons. Material lots used are
 * scanned from their labels (keyboard-wedge scanner or camera), each with the quantity taken from it.
 */
function ReportSheet({
  onClose,
  onSubmit,
}: {
  onClose: () => void;
  onSubmit: (good: string, scrap: string, scrapReason: string | null, lots: LotEntry[]) => void;
}) {
  const t = useTerminalT();
  const [good, setGood] = useState('');
  const [scrap, setScrap] = useState('');
  const [field, setField] = useState<'good' | 'scrap' | number>('good');
  const [reason, setReason] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lots, setLots] = useState<LotEntry[]>([]);
  const [lotText, setLotText] = useState('');
  const [camera, setCamera] = useState(false);

  const onKey = (key: string) => {
    setError(null);
    if (field === 'good') setGood((v) => applyKey(v, key, 6));
    else if (field === 'scrap') setScrap((v) => applyKey(v, key, 6));
    else setLots((list) => list.map((l, i) => (i === field ? { ...l, qty: applyKey(l.qty, key, 6) } : l)));
  };
  const addLot = (raw: string) => {
    const code = parseLotLabel(raw);
    if (!code) return;
    setError(null);
    const at = lots.findIndex((l) => l.lotCode === code);
    if (at >= 0) {
      setError(t('lots.duplicate', { lot: code }));
      setField(at);
      return;
    }
    setLots((list) => [...list, { lotCode: code, qty: '' }]);
    setField(lots.length);
  };
  const removeLot = (index: number) => {
    setLots((list) => list.filter((_, i) => i !== index));
    setField('good');
  };
  const submit = () => {
    const g = Number(good || '0');
    const s = Number(scrap || '0');
    if (g + s <= 0) return setError(t('report.needQty'));
    if (s > 0 && !reason) return setError(t('report.needReason'));
    const empty = lots.findIndex((l) => !(Number(l.qty) > 0));
    if (empty >= 0) {
      setField(empty);
      return setError(t('lots.needQty', { lot: lots[empty]!.lotCode }));
    }
    onSubmit(String(g), String(s), s > 0 ? reason : null, lots);
  };

  return (
    <Sheet title={t('report.title')} onClose={onClose}>
      <div className="tk-report">
        <div className="tk-report-fields">
          <button
            type="button"
            className={`tk-qty-field ${field === 'good' ? 'tk-qty-active' : ''}`}
            data-testid="report-good"
            onClick={() => setField('good')}
          >
            <span className="tk-caption">{t('report.good')}</span>
            <span className="tk-qty-value">{good || '0'}</span>
          </button>
          <button
            type="button"
            className={`tk-qty-field tk-qty-scrap ${field === 'scrap' ? 'tk-qty-active' : ''}`}
            data-testid="report-scrap"
            onClick={() => setField('scrap')}
          >
            <span className="tk-caption">{t('report.scrap')}</span>
            <span className="tk-qty-value">{scrap || '0'}</span>
          </button>
          {Number(scrap) > 0 ? (
            <div className="tk-reasons">
              <div className="tk-caption">{t('report.scrapReason')}</div>
              <div className="tk-choice-grid tk-choice-grid-small">
                {SCRAP_REASONS.map((r) => (
                  <button
                    key={r}
                    type="button"
                    className={`tk-btn tk-choice ${reason === r ? 'tk-choice-on' : ''}`}
                    aria-pressed={reason === r}
                    data-testid={`scrap-${r}`}
                    onClick={() => {
                      setReason(r);
                      setError(null);
                    }}
                  >
                    {t(`scrapReasons.${r}`)}
                  </button>
                ))}
              </div>
            </div>
          ) : null}
          <div className="tk-lots" data-testid="lots">
            <div className="tk-caption">{t('lots.title')}</div>
            <form
              className="tk-lot-scan"
              onSubmit={(e) => {
                e.preventDefault();
                addLot(lotText);
                setLotText('');
              }}
            >
              <input
                className="tk-input tk-lot-input"
                data-testid="lot-scan-input"
                value={lotText}
                placeholder={t('lots.scanPlaceholder')}
                aria-label={t('lots.scanHint')}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                onChange={(e) => setLotText(e.target.value)}
              />
              <button type="submit" className="tk-btn" data-testid="lot-add">
                {t('lots.add')}
              </button>
              {cameraScanAvailable() ? (
                <button type="button" className="tk-btn" onClick={() => setCamera(true)}>
                  {t('lots.camera')}
                </button>
              ) : null}
            </form>
            {lots.map((l, i) => (
              <div key={l.lotCode} className="tk-lot-row" data-testid="lot-row">
                <button
                  type="button"
                  className={`tk-qty-field tk-lot-field ${field === i ? 'tk-qty-active' : ''}`}
                  data-testid={`lot-qty-${i}`}
                  onClick={() => setField(i)}
                >
                  <span className="tk-caption">{l.lotCode}</span>
                  <span className="tk-qty-value">{l.qty || '0'}</span>
                </button>
                <button
                  type="button"
                  className="tk-btn tk-lot-remove"
                  aria-label={t('lots.remove')}
                  onClick={() => removeLot(i)}
                >
                  ×
                </button>
              </div>
            ))}
          </div>
        </div>
        <div className="tk-report-pad">
          <Keypad onKey={onKey} />
          {error ? (
            <div className="tk-error" role="alert">
              {error}
            </div>
          ) : null}
          <button
            type="button"
            className="tk-btn tk-btn-primary tk-btn-block"
            data-testid="report-submit"
            onClick={submit}
          >
            {t('report.submit')}
          </button>
        </div>
      </div>
      {camera ? (
        <CameraScanner
          onDetected={(text) => {
            setCamera(false);
            addLot(text);
          }}
          onClose={() => setCamera(false)}
        />
      ) : null}
    </Sheet>
  );
}
