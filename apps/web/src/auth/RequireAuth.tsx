import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from './AuthContext.tsx';

/** Sends anonymous visitors to the login page, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, signedOutReason, pending } = useAuth();
  const location = useLocation();
  if (status !== 'authenticated') {
    const next = location.pathname + location.search + location.hash;
    // After signing out on purpose the next person starts at the dashboard, not on the last page.
    const to =
      next === '/' || signedOutReason === 'signedOut' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  // The server answers nothing else until the required step is done: the profile page does it.
  if (pending && location.pathname !== '/profile') return <Navigate to="/profile" replace />;
  return children;
}

/** Where to go after signing in: the remembered same-origin path, else the dashboard. */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw.startsWith('/login')) return '/';
  return raw;
}
