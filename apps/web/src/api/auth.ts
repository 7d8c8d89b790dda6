import type { AuthSession, PasswordLoginBody } from '@takt/contracts';
import { API, request } from './client.ts';

export function getSession(signal?: AbortSignal): Promise<AuthSession> {
  return request<AuthSession>(`${API}/auth/session`, { signal, allowUnauthorized: true });
}

export function login(body: PasswordLoginBody): Promise<AuthSession> {
  return request<AuthSession>(`${API}/auth/login`, { method: 'POST', body, allowUnauthorized: true });
}

export function logout(): Promise<void> {
  return request<void>(`${API}/auth/logout`, { method: 'POST', allowUnauthorized: true });
}
