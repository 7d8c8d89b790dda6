import { type ChangeEvent, useEffect, useState } from 'react';
import { type ExceptionKindName, isUnauthorized, listFloorMachines, raiseException } from './api.ts';
import { asApiError } from '../api/client.ts';
import { useOnline, useTerminal } from './context.ts';
import { useTerminalT } from './i18n.ts';
import { shrinkPhoto } from './photo.ts';
import { problemMessage } from './problems.ts';

export const PROBLEM_KINDS: readonly ExceptionKindName[] = ['breakdown', 'shortage', 'quality', 'tooling'];

export interface ProblemContext {
  operationId?: string | undefined;
  workOrderId?: string | undefined;
  machineId?: string | null | undefined;
  /** The work order's materials, to say which one is short. */
  materials?: { itemId: string; itemCode: string; itemName: string }[] | undefined;
}

/** The big red button that opens the problem sheet. */
export function ProblemButton({ onClick }: { onClick: () => void }) {
  const t = useTerminalT();
  return (
    <button
      type="button"
      className="tk-btn tk-btn-danger tk-btn-problem"
      data-testid="problem"
      onClick={onClick}
    >
      {t('exception.button')}
    </button>
  );
}

/** Raise a problem in one tap: what kind, then optionally a note and a photo; sent at once (online only). */
export function ProblemSheet({
  context,
  onClose,
  onSent,
}: {
  context: ProblemContext;
  onClose: () => void;
  onSent: (code: string, kind: ExceptionKindName) => void;
}) {
  const t = useTerminalT();
  const online = useOnline();
  const { sessionEnded } = useTerminal();
  const [kind, setKind] = useState<ExceptionKindName | null>(null);
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [machineId, setMachineId] = useState<string | null>(context.machineId ?? null);
  const [itemId, setItemId] = useState<string | null>(
    context.materials?.length === 1 ? (context.materials[0]?.itemId ?? null) : null,
  );
  const [machines, setMachines] = useState<{ machineId: string; code: string; name: string }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const needMachine = kind === 'breakdown' && !context.machineId;
  const needItem = kind === 'shortage';
  const materials = context.materials ?? [];

  useEffect(() => {
    if (!needMachine || machines) return;
    const controller = new AbortController();
    listFloorMachines(controller.signal).then(setMachines, (e: unknown) => {
      if (controller.signal.aborted) return;
      if (isUnauthorized(e)) return sessionEnded();
      setError(problemMessage(t, asApiError(e)));
    });
    return () => controller.abort();
  }, [needMachine, machines, t, sessionEnded]);

  const onPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setPhotoBusy(true);
    setError(null);
    try {
      setPhoto(await shrinkPhoto(file));
    } catch {
      setError(t('exception.photoFailed'));
    } finally {
      setPhotoBusy(false);
    }
  };

  const send = async () => {
    if (!kind) return;
    if (!online) return setError(t('exception.offline'));
    if (needMachine && !machineId) return setError(t('exception.needMachine'));
    if (needItem && !itemId)
      return setError(materials.length ? t('exception.needItem') : t('exception.scanFirst'));
    setBusy(true);
    setError(null);
    try {
      const raised = await raiseException({
        kind,
        ...(context.operationId ? { operationId: context.operationId } : {}),
        ...(context.workOrderId ? { workOrderId: context.workOrderId } : {}),
        ...(machineId && (kind === 'breakdown' || kind === 'tooling' || context.machineId)
          ? { machineId }
          : {}),
        ...(needItem && itemId ? { itemId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(photo ? { photo } : {}),
      });
      onSent(raised.code, kind);
    } catch (e) {
      if (isUnauthorized(e)) return sessionEnded();
      setError(problemMessage(t, asApiError(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tk-sheet" role="dialog" aria-modal="true" aria-label={t('exception.title')}>
      <div className="tk-sheet-body tk-problem" data-testid="problem-sheet">
        <div className="tk-row">
          <h2 className="tk-subtitle tk-grow">
            {kind ? t(`exception.kinds.${kind}`) : t('exception.title')}
          </h2>
          {kind ? (
            <button type="button" className="tk-btn" onClick={() => setKind(null)} disabled={busy}>
              {t('back')}
            </button>
          ) : null}
          <button type="button" className="tk-btn" onClick={onClose} disabled={busy}>
            {t('cancel')}
          </button>
        </div>
        {!online ? (
          <div className="tk-error" role="alert" data-testid="problem-offline">
            <span>{t('exception.offline')}</span>
          </div>
        ) : null}
        {kind === null ? (
          <div className="tk-problem-kinds">
            {PROBLEM_KINDS.map((k) => (
              <button
                key={k}
                type="button"
                className={`tk-btn tk-problem-kind tk-problem-${k}`}
                data-testid={`problem-${k}`}
                onClick={() => {
                  setKind(k);
                  setError(null);
                }}
              >
                {t(`exception.kinds.${k}`)}
              </button>
            ))}
          </div>
        ) : (
          <div className="tk-problem-form">
            {needMachine ? (
              <div>
                <div className="tk-caption">{t('exception.machine')}</div>
                <div className="tk-choice-grid tk-choice-grid-small">
                  {(machines ?? []).map((m) => (
                    <button
                      key={m.machineId}
                      type="button"
                      className={`tk-btn tk-choice ${machineId === m.machineId ? 'tk-choice-on' : ''}`}
                      aria-pressed={machineId === m.machineId}
                      onClick={() => setMachineId(m.machineId)}
                    >
                      {m.code}
                    </button>
                  ))}
                </div>
              </div>
            ) : null}
            {needItem ? (
              <div>
                <div className="tk-caption">{t('exception.item')}</div>
                {materials.length === 0 ? <div className="tk-note">{t('exception.scanFirst')}</div> : null}
                <div className="tk-choice-grid tk-choice-grid-small">
                  {materials.map((m) => (
                    <button
                      key={m.itemId}
                      type="button"
                      className={`tk-btn tk-choice ${itemId === m.itemId ? 'tk-choice-on' : ''}`}
                      aria-pressed={itemId === m.itemId}
                      onClick={() => setItemId(m.itemId)}
                    >
                      {m.itemCode}
                    </button>
                  ))}
                </div>
              </div>
            ) : null}
            <label className="tk-label">
              <span className="tk-caption">{t('exception.note')}</span>
              <textarea
                className="tk-input tk-problem-note"
                data-testid="problem-note"
                value={note}
                maxLength={1000}
                rows={2}
                placeholder={t('exception.notePlaceholder')}
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
            <div className="tk-row tk-problem-photo-row">
              <label className={`tk-btn ${photoBusy ? 'tk-btn-busy' : ''}`}>
                {photo ? t('exception.retakePhoto') : t('exception.photo')}
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  className="tk-file-input"
                  data-testid="problem-photo"
                  onChange={(e) => void onPhoto(e)}
                />
              </label>
              {photoBusy ? <span className="tk-muted">{t('loading')}</span> : null}
              {photo ? (
                <>
                  <img src={photo} alt="" className="tk-problem-thumb" data-testid="problem-thumb" />
                  <button type="button" className="tk-btn" onClick={() => setPhoto(null)}>
                    {t('exception.removePhoto')}
                  </button>
                </>
              ) : null}
            </div>
            {error ? (
              <div className="tk-error" role="alert" data-testid="problem-error">
                <span>{error}</span>
              </div>
            ) : null}
            <button
              type="button"
              className="tk-btn tk-btn-danger tk-btn-block tk-problem-send"
              data-testid="problem-send"
              disabled={busy || photoBusy || !online}
              onClick={() => void send()}
            >
              {busy ? t('exception.sending') : t('exception.send')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
