import type { AuthSession } from '@takt/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/client.ts';
import { terminalLogin } from './api.ts';
import { formatTime, useOnline } from './context.ts';
import { useTerminalT } from './i18n.ts';
import { applyKey, Keypad } from './Keypad.tsx';

const BADGE = /^[A-Za-z0-9_-]{2,40}$/;

export type SignedOutReason = 'expired' | 'sessionEnded' | null;

/** Badge (scanned by a keyboard-wedge reader, Enter moves on) and PIN (on-screen keypad). */
export function SignInScreen({
  reason,
  onSignedIn,
}: {
  reason: SignedOutReason;
  onSignedIn: (session: AuthSession) => void;
}) {
  const t = useTerminalT();
  const { i18n } = useTranslation();
  const online = useOnline();
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const badgeRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    badgeRef.current?.focus();
  }, []);

  const submit = async (pinValue = pin) => {
    const b = badge.trim().toUpperCase();
    if (!BADGE.test(b)) {
      setError(t('signIn.badBadge'));
      badgeRef.current?.focus();
      return;
    }
    if (pinValue.length < 4) {
      pinRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await terminalLogin(b, pinValue));
    } catch (e) {
      const err = asApiError(e);
      setPin('');
      if (err.isNetworkError) setError(t('problems.NETWORK'));
      else if (err.code === 'ACCOUNT_LOCKED') {
        const until = (err.problem as Record<string, unknown> | undefined)?.lockedUntil;
        setError(
          typeof until === 'string'
            ? t('signIn.locked', { time: formatTime(until, i18n.resolvedLanguage ?? 'zh-CN') })
            : t('signIn.lockedNoTime'),
        );
      } else if (err.status === 429) setError(t('signIn.tooMany'));
      else if (err.code === 'BAD_CREDENTIALS' || err.status === 401) setError(t('signIn.wrong'));
      else if (err.status === 400) setError(t('signIn.badBadge'));
      else setError(t('problems.UNKNOWN', { code: err.code }));
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const onBadgeSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pin.length >= 4) void submit();
    else pinRef.current?.focus();
  };

  const onKey = (key: string) => {
    setError(null);
    setPin((p) => applyKey(p, key, 6, true));
  };

  return (
    <div className="tk-signin">
      <form className="tk-signin-badge" onSubmit={onBadgeSubmit}>
        <label htmlFor="tk-badge" className="tk-label">
          {t('signIn.badge')}
        </label>
        <input
          id="tk-badge"
          ref={badgeRef}
          data-testid="badge"
          className="tk-input"
          value={badge}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="next"
          placeholder={t('signIn.badgeHint')}
          onChange={(e) => {
            setBadge(e.target.value);
            setError(null);
          }}
        />
        {reason ? (
          <div className="tk-note" role="status">
            {reason === 'expired' ? t('signIn.expired') : t('signIn.sessionEnded')}
          </div>
        ) : null}
        {!online ? (
          <div className="tk-note tk-note-warn" role="status">
            {t('signIn.offline')}
          </div>
        ) : null}
        {error ? (
          <div className="tk-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        ) : null}
      </form>
      <div className="tk-signin-pin">
        <div className="tk-label">{t('signIn.pin')}</div>
        <input
          ref={pinRef}
          type="password"
          className="tk-input tk-pin"
          // The on-screen keypad types the PIN; a hardware keyboard works too, a soft keyboard stays closed.
          inputMode="none"
          autoComplete="off"
          maxLength={6}
          aria-label={t('signIn.pinHint')}
          data-testid="pin"
          value={pin}
          onChange={(e) => {
            setError(null);
            setPin(e.target.value.replace(/\D/g, '').slice(0, 6));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <Keypad onKey={onKey} disabled={busy} />
        <button
          type="button"
          className="tk-btn tk-btn-primary tk-btn-block"
          data-testid="signin-submit"
          disabled={busy || pin.length < 4 || badge.trim() === ''}
          onClick={() => void submit()}
        >
          {busy ? t('loading') : t('signIn.submit')}
        </button>
      </div>
    </div>
  );
}
