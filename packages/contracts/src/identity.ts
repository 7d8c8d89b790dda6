import { type Static, type TSchema, Type } from 'typebox';
import { CurrentUser } from './auth.ts';
import { Page, Timestamp } from './common.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ── Sign-in ────────────────────────────────────────────────────────────────────────────────────────

export const PasswordLoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    totp: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'code from the authenticator app' })),
  },
  { additionalProperties: false },
);
export type PasswordLoginBody = Static<typeof PasswordLoginBody>;

export const Pin = Type.String({ pattern: '^\\d{4,6}$', description: '4 to 6 digits' });
export const Badge = Type.String({ pattern: '^[A-Za-z0-9_-]{2,40}$', description: 'badge code as scanned' });

export const TerminalLoginBody = Type.Object({ badge: Badge, pin: Pin }, { additionalProperties: false });
export type TerminalLoginBody = Static<typeof TerminalLoginBody>;

export const SessionKind = Type.Union([Type.Literal('browser'), Type.Literal('terminal')]);
export const PendingStep = Type.Union([
  Type.Literal('password_change'),
  Type.Literal('totp_enrolment'),
  Type.Null(),
]);

/** Sign-in answer: the user, the CSRF token for writes, the session kind and any step still required. */
export const AuthSession = Type.Object({
  user: CurrentUser,
  csrfToken: Type.String(),
  kind: SessionKind,
  pending: PendingStep,
});
export type AuthSession = Static<typeof AuthSession>;

export const NewPassword = Type.String({ minLength: 8, maxLength: 200 });

export const PasswordChangeBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: NewPassword },
  { additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

/** Shown once when enrolling: the base32 secret and the otpauth:// URI for a QR code. */
export const TotpSetup = Type.Object({ secret: Type.String(), otpauthUri: Type.String() });
export type TotpSetup = Static<typeof TotpSetup>;

export const TotpCodeBody = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$' }) },
  { additionalProperties: false },
);
export type TotpCodeBody = Static<typeof TotpCodeBody>;

export const TotpDisableBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type TotpDisableBody = Static<typeof TotpDisableBody>;

// ── Users ──────────────────────────────────────────────────────────────────────────────────────────

export const Login = Type.String({
  pattern: '^[A-Za-z0-9._-]{2,50}$',
  description: 'letters, digits, dot, dash, underscore; compared without case',
});
const Email = Type.String({ format: 'email', maxLength: 200 });
const Phone = Type.String({ pattern: '^[+0-9 ()-]{3,30}$' });
const RoleName = Type.String({ minLength: 1, maxLength: 40 });

export const User = Type.Object({
  id: Type.String(),
  login: Type.String(),
  displayName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  active: Type.Boolean(),
  badge: Nullable(Type.String()),
  hasPin: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
  badgeLockedUntil: Nullable(Timestamp),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = Static<typeof User>;

export const UserCreate = Type.Object(
  {
    login: Login,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: NewPassword,
    roles: Type.Array(RoleName, { maxItems: 20 }),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    teamId: Type.Optional(Type.String({ maxLength: 64 })),
    badge: Type.Optional(Badge),
    pin: Type.Optional(Pin),
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    roles: Type.Optional(Type.Array(RoleName, { maxItems: 20 })),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Phone)),
    teamId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    badge: Type.Optional(Nullable(Badge)),
    pin: Type.Optional(Nullable(Pin)),
    active: Type.Optional(Type.Boolean({ description: 'false deactivates (users are never deleted)' })),
  },
  { additionalProperties: false },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'login or name contains' })),
    active: Type.Optional(Type.Boolean()),
    teamId: Type.Optional(Type.String({ maxLength: 64 })),
    role: Type.Optional(RoleName),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const UserPage = Page(User);

export const PasswordResetBody = Type.Object(
  {
    newPassword: NewPassword,
    mustChangePassword: Type.Optional(Type.Boolean({ description: 'default true', default: true })),
  },
  { additionalProperties: false },
);
export type PasswordResetBody = Static<typeof PasswordResetBody>;

// ── Roles and teams ────────────────────────────────────────────────────────────────────────────────

export const PermissionString = Type.String({
  pattern: '^(\\*|[a-z]+:[a-z]+)$',
  description: 'module:action, e.g. sales:approve',
});

export const Role = Type.Object({
  id: Nullable(Type.String({ description: 'null for built-in roles' })),
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String()),
  builtIn: Type.Boolean(),
  version: Nullable(Type.Integer()),
  createdAt: Nullable(Timestamp),
  updatedAt: Nullable(Timestamp),
});
export type Role = Static<typeof Role>;

export const RoleCreate = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,39}$' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    permissions: Type.Array(PermissionString, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type RoleCreate = Static<typeof RoleCreate>;

export const RoleUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    permissions: Type.Optional(Type.Array(PermissionString, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type RoleUpdate = Static<typeof RoleUpdate>;

/**
 * Narrow rights that a broader one carried before the narrow one existed: a custom role or an API
 * token made with `production:update` keeps acknowledging alerts without being edited.
 */
export const IMPLIED_PERMISSIONS: Readonly<Record<string, string>> = {
  'alerts:acknowledge': 'production:update',
};

/** The permission matrix (modules × actions), and the rights granted on their own outside it. */
export const PermissionCatalog = Type.Object({
  modules: Type.Array(Type.String()),
  actions: Type.Array(Type.String()),
  special: Type.Array(Type.String(), { description: 'e.g. alerts:acknowledge' }),
});
export type PermissionCatalog = Static<typeof PermissionCatalog>;

export const Team = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Team = Static<typeof Team>;

export const TeamCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type TeamCreate = Static<typeof TeamCreate>;

export const TeamUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TeamUpdate = Static<typeof TeamUpdate>;

// ── API tokens ─────────────────────────────────────────────────────────────────────────────────────

export const ApiTokenStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token' }),
  scopes: Type.Array(Type.String()),
  rateLimitPerMinute: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  revokedBy: Nullable(Type.String()),
  status: ApiTokenStatus,
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(PermissionString, { minItems: 1, maxItems: 200 }),
    expiresAt: Type.String({ format: 'date-time', description: 'in the future, at most two years ahead' }),
    rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 600 })),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;

/** The secret is in this answer only; it cannot be read again. */
export const ApiTokenCreated = Type.Object({
  token: ApiToken,
  secret: Type.String({ description: 'send as Authorization: Bearer <secret>; shown once' }),
});
export type ApiTokenCreated = Static<typeof ApiTokenCreated>;

export const ApiTokenListQuery = Type.Object(
  {
    status: Type.Optional(ApiTokenStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type ApiTokenListQuery = Static<typeof ApiTokenListQuery>;

export const ApiTokenPage = Page(ApiToken);

// ── Audit trail ────────────────────────────────────────────────────────────────────────────────────

export const AuditRecord = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actorType: Type.String({ description: 'user, token or system' }),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String({ description: 'login of the user or name of the token' })),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  entityType: Type.String(),
  entityId: Type.String(),
  action: Type.String(),
  diff: Type.Record(
    Type.String(),
    Type.Object({ from: Type.Optional(Type.Unknown()), to: Type.Optional(Type.Unknown()) }),
  ),
  requestId: Nullable(Type.String()),
});
export type AuditRecord = Static<typeof AuditRecord>;

const auditFilters = {
  actorId: Type.Optional(Type.String({ maxLength: 100 })),
  actorType: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('system')])),
  entityType: Type.Optional(Type.String({ maxLength: 60 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'before' })),
};

export const AuditExportQuery = Type.Object(auditFilters, { additionalProperties: false });
export type AuditExportQuery = Static<typeof AuditExportQuery>;

export const AuditQuery = Type.Object(
  {
    ...auditFilters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditRecordPage = Page(AuditRecord);

// ── Installation settings ──────────────────────────────────────────────────────────────────────────

export const IdentitySettings = Type.Object({
  requireAdminTotp: Type.Boolean({ description: 'administrators must sign in with a TOTP code' }),
  version: Type.Integer(),
});
export type IdentitySettings = Static<typeof IdentitySettings>;

export const IdentitySettingsUpdate = Type.Object(
  { version: Type.Integer({ minimum: 1 }), requireAdminTotp: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type IdentitySettingsUpdate = Static<typeof IdentitySettingsUpdate>;

// ── Demo accounts ──────────────────────────────────────────────────────────────────────────────────

export const DemoAccount = Type.Object({
  id: Type.String(),
  login: Type.String(),
  displayName: Type.String(),
  publicPassword: Type.Boolean({ description: 'still signs in with the documented demo password' }),
  publicPin: Type.Boolean({ description: 'its badge still opens a terminal with the documented PIN' }),
});
export type DemoAccount = Static<typeof DemoAccount>;

export const DemoAccounts = Type.Object({
  count: Type.Integer({ description: 'active demo accounts with a documented password or PIN' }),
  accounts: Type.Array(DemoAccount),
});
export type DemoAccounts = Static<typeof DemoAccounts>;

export const DemoAccountsDeactivated = Type.Object({
  deactivated: Type.Array(Type.String(), { description: 'logins deactivated (documented password)' }),
  pinsRemoved: Type.Array(Type.String(), {
    description: 'logins whose documented badge PIN was removed (password changed, so the user stays)',
  }),
});
export type DemoAccountsDeactivated = Static<typeof DemoAccountsDeactivated>;
