import type { AuthSession, CurrentUser } from '@takt/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { setCsrfToken } from '../api/client.ts';
import { i18n } from '../i18n/index.ts';
import { getSession, isUnauthorized, logout } from './api.ts';
import { TerminalContext, type TerminalSession, useOnline, useQueue } from './context.ts';
import { setTerminalLanguage, terminalLanguage, useTerminalT } from './i18n.ts';
import { OperationScreen } from './OperationScreen.tsx';
import { linkManifest, registerTerminalWorker } from './pwa.ts';
import { QueuePanel } from './QueuePanel.tsx';
import { clearNeedsSignIn, flushQueue, loadQueue } from './queue.ts';
import { ScanScreen, WorkOrderScreen } from './ScanScreen.tsx';
import { type SignedOutReason, SignInScreen } from './SignInScreen.tsx';
import './terminal.css';

/** The server ends a terminal session after 15 idle minutes; the screen goes back to the badge at the same time. */
const IDLE_MS = 15 * 60_000;
const RETRY_MS = 15_000;

type State =
  | { status: 'checking' }
  | { status: 'signedOut'; reason: SignedOutReason }
  | { status: 'signedIn'; user: CurrentUser };

/** The shop-floor terminal at /terminal: badge sign-in, scan, one operation per screen, offline report queue. */
export function TerminalApp() {
  const t = useTerminalT();
  const [state, setState] = useState<State>({ status: 'checking' });
  const [queueOpen, setQueueOpen] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const online = useOnline();
  const queue = useQueue();
  const lastActivity = useRef(Date.now());

  // Chinese first on the terminal, whatever the office app on this browser speaks; restored on leaving.
  useEffect(() => {
    const before = i18n.resolvedLanguage;
    void i18n.changeLanguage(terminalLanguage());
    const unlink = linkManifest();
    void registerTerminalWorker();
    void loadQueue();
    return () => {
      unlink();
      if (before) void i18n.changeLanguage(before);
    };
  }, []);

  useEffect(() => {
    document.title = t('appName');
  }, [t]);

  // Ask the server whether this device still has a terminal session; asked again when the network returns
  // after a start without network (the tablet may have been opened offline from the cached shell).
  const [probe, setProbe] = useState(0);
  const [probeFailed, setProbeFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `probe` asks again
  useEffect(() => {
    let cancelled = false;
    getSession().then(
      (session) => {
        if (cancelled) return;
        setProbeFailed(false);
        if (session.kind === 'terminal') {
          setCsrfToken(session.csrfToken);
          setState({ status: 'signedIn', user: session.user });
        } else setState((s) => (s.status === 'signedIn' ? s : { status: 'signedOut', reason: null }));
      },
      (error: unknown) => {
        if (cancelled) return;
        setProbeFailed(!isUnauthorized(error));
        setState((s) => (s.status === 'signedIn' ? s : { status: 'signedOut', reason: null }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [probe]);
  useEffect(() => {
    if (!probeFailed || state.status === 'signedIn') return;
    const again = () => setProbe((n) => n + 1);
    window.addEventListener('online', again);
    const timer = setInterval(() => navigator.onLine !== false && again(), RETRY_MS);
    return () => {
      window.removeEventListener('online', again);
      clearInterval(timer);
    };
  }, [probeFailed, state.status]);

  const sessionEnded = useCallback(() => {
    setCsrfToken(null);
    setQueueOpen(false);
    setState((s) => (s.status === 'signedIn' ? { status: 'signedOut', reason: 'sessionEnded' } : s));
  }, []);

  const signedIn = state.status === 'signedIn';

  const flush = useCallback(async () => {
    const outcome = await flushQueue();
    if (outcome.sent > 0) setToast(t('queue.sentCount', { count: outcome.sent }));
    if (outcome.unauthorized) sessionEnded();
  }, [t, sessionEnded]);

  // Send queued reports when signed in, when the network returns, and every few seconds while any wait.
  const pending = queue.items.filter((i) => i.status === 'pending').length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per sign-in
  useEffect(() => {
    if (signedIn) void flush();
  }, [signedIn]);
  useEffect(() => {
    if (!signedIn) return;
    const onOnline = () => void flush();
    const onVisible = () => document.visibilityState === 'visible' && void flush();
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [signedIn, flush]);
  useEffect(() => {
    if (!signedIn || pending === 0) return;
    const timer = setInterval(() => {
      if (navigator.onLine !== false) void flush();
    }, RETRY_MS);
    return () => clearInterval(timer);
  }, [signedIn, pending, flush]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);

  // Idle sign-out: any touch or key counts as activity.
  useEffect(() => {
    if (!signedIn) return;
    lastActivity.current = Date.now();
    const touch = () => {
      lastActivity.current = Date.now();
    };
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    const timer = setInterval(() => {
      if (Date.now() - lastActivity.current < IDLE_MS) return;
      void logout().catch(() => undefined);
      setCsrfToken(null);
      setQueueOpen(false);
      setState({ status: 'signedOut', reason: 'expired' });
    }, 15_000);
    return () => {
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
      clearInterval(timer);
    };
  }, [signedIn]);

  const onSignedIn = (session: AuthSession) => {
    setCsrfToken(session.csrfToken);
    clearNeedsSignIn();
    setState({ status: 'signedIn', user: session.user });
  };

  const signOut = async () => {
    await logout().catch(() => undefined);
    setCsrfToken(null);
    setQueueOpen(false);
    setState({ status: 'signedOut', reason: null });
  };

  const context = useMemo<TerminalSession | null>(
    () =>
      state.status === 'signedIn'
        ? { user: state.user, sessionEnded, openQueue: () => setQueueOpen(true) }
        : null,
    [state, sessionEnded],
  );

  const queueCount = queue.items.length;
  const failedCount = queue.items.filter((i) => i.status === 'failed').length;

  return (
    <div className="tk-root" lang={i18n.resolvedLanguage}>
      <header className="tk-header">
        <img src="/favicon.svg" alt="" className="tk-logo" />
        <span className="tk-app-name">{t('appName')}</span>
        <span className="tk-grow" />
        {state.status === 'signedIn' ? (
          <span className="tk-user" data-testid="user">
            {state.user.displayName}
          </span>
        ) : null}
        <span className={online ? 'tk-net tk-net-on' : 'tk-net tk-net-off'} data-testid="net" role="status">
          {online ? t('online') : t('offline')}
        </span>
        <button
          type="button"
          className={`tk-head-btn tk-queue-badge ${queueCount ? 'tk-queue-badge-on' : ''} ${failedCount ? 'tk-queue-badge-failed' : ''}`}
          data-testid="queue-badge"
          data-count={queueCount}
          onClick={() => setQueueOpen(true)}
        >
          {t('queue.badge')} <b>{queueCount}</b>
        </button>
        <button
          type="button"
          className="tk-head-btn"
          onClick={() => void setTerminalLanguage(i18n.resolvedLanguage === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t('language')}
        </button>
        {state.status === 'signedIn' ? (
          <button type="button" className="tk-head-btn" data-testid="sign-out" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        ) : null}
      </header>
      {toast ? (
        <div className="tk-toast" role="status" data-testid="sent-toast">
          {toast}
        </div>
      ) : null}
      <main className="tk-main">
        {state.status === 'checking' ? <div className="tk-screen tk-note">{t('loading')}</div> : null}
        {state.status === 'signedOut' ? <SignInScreen reason={state.reason} onSignedIn={onSignedIn} /> : null}
        {context ? (
          <TerminalContext.Provider value={context}>
            <Routes>
              <Route index element={<ScanScreen />} />
              <Route path="wo/:id" element={<WorkOrderScreen />} />
              <Route path="op/:id" element={<OperationScreen />} />
              <Route path="*" element={<Navigate to="/terminal" replace />} />
            </Routes>
          </TerminalContext.Provider>
        ) : null}
      </main>
      {queueOpen ? (
        <QueuePanel
          onClose={() => setQueueOpen(false)}
          onSent={(count) => setToast(t('queue.sentCount', { count }))}
        />
      ) : null}
    </div>
  );
}
