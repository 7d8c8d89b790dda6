import type { WorkOrderDetail } from '@takt/contracts';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { asApiError } from '../api/client.ts';
import { findWorkOrderByCode, getWorkOrder, isUnauthorized } from './api.ts';
import { CameraScanner, cameraScanAvailable } from './CameraScanner.tsx';
import { useTerminal } from './context.ts';
import { useTerminalT } from './i18n.ts';
import { ProblemButton, ProblemSheet } from './ProblemSheet.tsx';
import { problemMessage, statusLabel } from './problems.ts';
import { parseScan } from './scan.ts';

export const opPath = (id: string) => `/terminal/op/${encodeURIComponent(id)}`;
export const woPath = (id: string) => `/terminal/wo/${encodeURIComponent(id)}`;

/** Scan a job card: a keyboard-wedge field that keeps the focus, the camera where supported, or typing. */
export function ScanScreen() {
  const t = useTerminalT();
  const navigate = useNavigate();
  const { sessionEnded } = useTerminal();
  const wedge = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [manual, setManual] = useState(false);
  const [manualValue, setManualValue] = useState('');
  const [camera, setCamera] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const canUseCamera = cameraScanAvailable();

  const focusWedge = useCallback(() => {
    if (!manual && !camera && !problem) wedge.current?.focus({ preventScroll: true });
  }, [manual, camera, problem]);

  useEffect(() => {
    focusWedge();
  }, [focusWedge]);

  const open = async (raw: string) => {
    const scanned = parseScan(raw);
    if (!scanned) return;
    setError(null);
    if (scanned.kind === 'operation') return navigate(opPath(scanned.id));
    if (scanned.kind === 'workOrder') return navigate(woPath(scanned.id));
    setBusy(true);
    try {
      const wo = await findWorkOrderByCode(scanned.code);
      if (wo) navigate(woPath(wo.id));
      else setError(t('scan.notFound', { code: scanned.code }));
    } catch (e) {
      if (isUnauthorized(e)) return sessionEnded();
      setError(problemMessage(t, asApiError(e)));
    } finally {
      setBusy(false);
    }
  };

  const onWedgeSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = value;
    setValue('');
    void open(text);
  };

  const onManualSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = manualValue;
    setManual(false);
    setManualValue('');
    void open(text);
  };

  return (
    <div className="tk-screen tk-scan">
      <h1 className="tk-title">{t('scan.title')}</h1>
      <form onSubmit={onWedgeSubmit} className="tk-wedge-form">
        <input
          ref={wedge}
          data-testid="scan-input"
          className="tk-input tk-wedge"
          value={value}
          // The scanner types; no on-screen keyboard should pop up for it.
          inputMode="none"
          autoComplete="off"
          spellCheck={false}
          aria-label={t('scan.hint')}
          placeholder={t('scan.hint')}
          onChange={(e) => setValue(e.target.value)}
          onBlur={() => setTimeout(focusWedge, 300)}
        />
      </form>
      <div className="tk-scan-art" aria-hidden="true">
        <span className="tk-scan-line" />
      </div>
      {busy ? <div className="tk-note">{t('loading')}</div> : null}
      {error ? (
        <div className="tk-error" role="alert" data-testid="scan-error">
          {error}
        </div>
      ) : null}
      <div className="tk-actions">
        {canUseCamera ? (
          <button type="button" className="tk-btn tk-btn-primary" onClick={() => setCamera(true)}>
            {t('scan.camera')}
          </button>
        ) : null}
        <button type="button" className="tk-btn" onClick={() => setManual(true)}>
          {t('scan.manual')}
        </button>
        <ProblemButton
          onClick={() => {
            setSent(null);
            setProblem(true);
          }}
        />
      </div>
      {sent ? (
        <div className="tk-ok" role="status" data-testid="problem-sent">
          <span>{sent}</span>
          <button
            type="button"
            className="tk-notice-close"
            aria-label={t('confirm')}
            onClick={() => setSent(null)}
          >
            ×
          </button>
        </div>
      ) : null}
      {problem ? (
        <ProblemSheet
          context={{}}
          onClose={() => setProblem(false)}
          onSent={(code, kind) => {
            setProblem(false);
            setSent(t('exception.sent', { code, kind: t(`exception.kinds.${kind}`) }));
          }}
        />
      ) : null}
      {manual ? (
        <div className="tk-sheet" role="dialog" aria-label={t('scan.manualTitle')}>
          <form className="tk-sheet-body" onSubmit={onManualSubmit}>
            <h2 className="tk-subtitle">{t('scan.manualTitle')}</h2>
            <input
              ref={(el) => el?.focus()}
              className="tk-input"
              data-testid="manual-input"
              value={manualValue}
              autoComplete="off"
              spellCheck={false}
              enterKeyHint="go"
              placeholder={t('scan.manualPlaceholder')}
              onChange={(e) => setManualValue(e.target.value)}
            />
            <div className="tk-actions">
              <button type="button" className="tk-btn" onClick={() => setManual(false)}>
                {t('cancel')}
              </button>
              <button type="submit" className="tk-btn tk-btn-primary" disabled={manualValue.trim() === ''}>
                {t('scan.open')}
              </button>
            </div>
          </form>
        </div>
      ) : null}
      {camera ? (
        <CameraScanner
          onClose={() => setCamera(false)}
          onDetected={(text) => {
            setCamera(false);
            void open(text);
          }}
        />
      ) : null}
    </div>
  );
}

/** A scanned work order: one big button per operation. */
export function WorkOrderScreen() {
  const t = useTerminalT();
  const navigate = useNavigate();
  const { sessionEnded } = useTerminal();
  const { id = '' } = useParams();
  const [wo, setWo] = useState<WorkOrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    getWorkOrder(id, controller.signal).then(setWo, (e: unknown) => {
      if (controller.signal.aborted) return;
      if (isUnauthorized(e)) return sessionEnded();
      setError(problemMessage(t, asApiError(e)));
    });
    return () => controller.abort();
  }, [id, t, sessionEnded]);

  const ops = wo?.operations.filter((o) => o.status !== 'cancelled') ?? [];
  return (
    <div className="tk-screen">
      <div className="tk-row">
        <button type="button" className="tk-btn" onClick={() => navigate('/terminal')}>
          {t('back')}
        </button>
        <h1 className="tk-title">{wo ? `${wo.code} · ${wo.itemName}` : t('loading')}</h1>
      </div>
      {error ? (
        <div className="tk-error" role="alert">
          {error}
        </div>
      ) : null}
      {wo ? (
        <>
          <h2 className="tk-subtitle">{t('scan.chooseOperation')}</h2>
          {ops.length === 0 ? <div className="tk-note">{t('scan.noOperations')}</div> : null}
          <div className="tk-op-list">
            {ops.map((o) => (
              <button
                key={o.id}
                type="button"
                className={`tk-op-choice tk-status-${o.status}`}
                onClick={() => navigate(opPath(o.id))}
              >
                <span className="tk-op-seq">{o.seq}</span>
                <span className="tk-op-name">{o.name}</span>
                <span className="tk-op-status">{statusLabel(t, o.status)}</span>
              </button>
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
