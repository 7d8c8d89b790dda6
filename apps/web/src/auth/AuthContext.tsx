import type { AuthSession, CurrentUser } from '@takt/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import * as authApi from '../api/auth.ts';
import { type ApiError, isApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';
import { hasPermission } from './permissions.ts';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous' | 'unreachable';

/** Why the user is on the login page, if the app sent them there. */
export type SignedOutReason = 'expired' | 'signedOut' | null;

interface AuthContextValue {
  status: AuthStatus;
  user: CurrentUser | null;
  /** The error of the session probe when the server could not be asked. */
  error: ApiError | null;
  signedOutReason: SignedOutReason;
  /** A step the server requires before anything else (a password change or TOTP enrolment). */
  pending: AuthSession['pending'];
  login(login: string, password: string, totp?: string): Promise<void>;
  logout(): Promise<void>;
  /** Asks the server again (after `unreachable`). */
  recheck(): void;
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

interface State {
  status: AuthStatus;
  user: CurrentUser | null;
  error: ApiError | null;
  reason: SignedOutReason;
  pending?: AuthSession['pending'];
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading', user: null, error: null, reason: null });
  const [probe, setProbe] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `probe` asks again
  useEffect(() => {
    const controller = new AbortController();
    authApi
      .getSession(controller.signal)
      .then((session) => {
        setCsrfToken(session.csrfToken);
        setState({
          status: 'authenticated',
          user: session.user,
          error: null,
          reason: null,
          pending: session.pending ?? null,
        });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error) && error.status === 401) {
          setState({ status: 'anonymous', user: null, error: null, reason: null });
        } else {
          setState({
            status: 'unreachable',
            user: null,
            error: isApiError(error) ? error : null,
            reason: null,
          });
        }
      });
    return () => controller.abort();
  }, [probe]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState((s) =>
        s.status === 'authenticated'
          ? { status: 'anonymous', user: null, error: null, reason: 'expired' }
          : s,
      );
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const login = useCallback(async (loginName: string, password: string, totp?: string) => {
    const session = await authApi.login({ login: loginName, password, ...(totp ? { totp } : {}) });
    setCsrfToken(session.csrfToken);
    setState({
      status: 'authenticated',
      user: session.user,
      error: null,
      reason: null,
      pending: session.pending ?? null,
    });
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // the session is dropped locally either way
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', user: null, error: null, reason: 'signedOut' });
  }, []);

  const recheck = useCallback(() => {
    setState((s) => ({ ...s, status: 'loading' }));
    setProbe((n) => n + 1);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      status: state.status,
      user: state.user,
      error: state.error,
      signedOutReason: state.reason,
      pending: state.pending ?? null,
      login,
      logout,
      recheck,
      can: (permission: string) => hasPermission(state.user, permission),
    }),
    [state, login, logout, recheck],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
