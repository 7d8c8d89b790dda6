import type {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenListQuery,
  AuditQuery,
  AuditRecord,
  DemoAccounts,
  DemoAccountsDeactivated,
  PageOf,
  PasswordChangeBody,
  PasswordResetBody,
  PermissionCatalog,
  Role,
  RoleCreate,
  RoleUpdate,
  Team,
  TotpSetup,
  User,
  UserCreate,
  UserListQuery,
  UserUpdate,
} from '@takt/contracts';
import { API, buildUrl, type QueryValue, request } from './client.ts';

const ID = `${API}/identity`;
const enc = encodeURIComponent;

// ── Users ──
export function listUsers(query: UserListQuery, signal?: AbortSignal): Promise<PageOf<User>> {
  return request(`${ID}/users`, { query: { ...query }, signal });
}
export function getUser(id: string, signal?: AbortSignal): Promise<User> {
  return request(`${ID}/users/${enc(id)}`, { signal });
}
export function createUser(body: UserCreate): Promise<User> {
  return request(`${ID}/users`, { method: 'POST', body });
}
export function updateUser(id: string, body: UserUpdate): Promise<User> {
  return request(`${ID}/users/${enc(id)}`, { method: 'PATCH', body });
}
export function resetPassword(id: string, body: PasswordResetBody): Promise<User> {
  return request(`${ID}/users/${enc(id)}/password`, { method: 'POST', body });
}
export function removeUserTotp(id: string): Promise<User> {
  return request(`${ID}/users/${enc(id)}/totp`, { method: 'DELETE' });
}

// ── Roles, permissions, teams ──
export function getPermissionCatalog(signal?: AbortSignal): Promise<PermissionCatalog> {
  return request(`${ID}/permissions`, { signal });
}
export function listRoles(signal?: AbortSignal): Promise<Role[]> {
  return request(`${ID}/roles`, { signal });
}
export function createRole(body: RoleCreate): Promise<Role> {
  return request(`${ID}/roles`, { method: 'POST', body });
}
export function updateRole(id: string, body: RoleUpdate): Promise<Role> {
  return request(`${ID}/roles/${enc(id)}`, { method: 'PATCH', body });
}
export function deleteRole(id: string): Promise<void> {
  return request(`${ID}/roles/${enc(id)}`, { method: 'DELETE' });
}
export function listTeams(signal?: AbortSignal): Promise<Team[]> {
  return request(`${ID}/teams`, { signal });
}

// ── API tokens ──
export function listTokens(query: ApiTokenListQuery, signal?: AbortSignal): Promise<PageOf<ApiToken>> {
  return request(`${ID}/tokens`, { query: { ...query }, signal });
}
export function createToken(body: ApiTokenCreate): Promise<ApiTokenCreated> {
  return request(`${ID}/tokens`, { method: 'POST', body });
}
export function revokeToken(id: string): Promise<ApiToken> {
  return request(`${ID}/tokens/${enc(id)}/revoke`, { method: 'POST' });
}

// ── Audit ──
export type AuditFilters = Omit<AuditQuery, 'limit' | 'cursor'>;
export function searchAudit(query: AuditQuery, signal?: AbortSignal): Promise<PageOf<AuditRecord>> {
  return request(`${ID}/audit`, { query: { ...query }, signal });
}
/** The CSV export is a plain GET (the session cookie authorizes it), so a link downloads it. */
export function auditExportUrl(filters: AuditFilters): string {
  return buildUrl(`${ID}/audit/export`, filters as Record<string, QueryValue>);
}

// ── The signed-in user ──
export function changePassword(body: PasswordChangeBody): Promise<void> {
  return request(`${API}/auth/password`, { method: 'POST', body });
}
export function setupTotp(): Promise<TotpSetup> {
  return request(`${API}/auth/totp/setup`, { method: 'POST' });
}
export function confirmTotp(code: string): Promise<void> {
  return request(`${API}/auth/totp/confirm`, { method: 'POST', body: { code } });
}
export function disableTotp(currentPassword: string): Promise<void> {
  return request(`${API}/auth/totp/disable`, { method: 'POST', body: { currentPassword } });
}
export function logoutEverywhere(): Promise<void> {
  return request(`${API}/auth/logout-all`, { method: 'POST', allowUnauthorized: true });
}

/** Active demo accounts that still sign in with the documented password or badge PIN. */
export function getDemoAccounts(signal?: AbortSignal): Promise<DemoAccounts> {
  return request<DemoAccounts>(`${API}/admin/demo-accounts`, { signal });
}

export function deactivateDemoAccounts(): Promise<DemoAccountsDeactivated> {
  return request<DemoAccountsDeactivated>(`${API}/admin/demo-accounts/deactivate`, { method: 'POST' });
}
