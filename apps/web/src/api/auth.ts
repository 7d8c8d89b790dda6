import type { LoginBody, SessionResponse } from '@takt/contracts';
import { API, request } from './client.ts';

export function getSession(signal?: AbortSignal): Promise<SessionResponse> {
  return request<SessionResponse>(`${API}/auth/session`, { signal, allowUnauthorized: true });
}

export function login(body: LoginBody): Promise<SessionResponse> {
  return request<SessionResponse>(`${API}/auth/login`, { method: 'POST', body, allowUnauthorized: true });
}

export function logout(): Promise<void> {
  return request<void>(`${API}/auth/logout`, { method: 'POST', allowUnauthorized: true });
}
