import { IMPLIED_PERMISSIONS } from '@takt/contracts';

/**
 * Built-in roles and their permissions (`module:action`). Deny by default: a route needs a permission
 * that one of the caller's roles grants. `*` is everything.
 */
export const MODULES = [
  'admin',
  'masterdata',
  'sales',
  'purchasing',
  'inventory',
  'production',
  'scheduling',
  'shopfloor',
  'quality',
  'integration',
  'reports',
] as const;
export type Module = (typeof MODULES)[number];
export const ACTIONS = ['read', 'create', 'update', 'delete', 'approve', 'execute'] as const;
export type Action = (typeof ACTIONS)[number];
/**
 * Rights outside the module × action matrix, each one narrow thing granted on its own.
 * `alerts:acknowledge`: mark an alert or a floor exception as seen, without the `production:update`
 * that edits work orders (assigning and resolving an exception still take that).
 */
export const SPECIAL_PERMISSIONS = ['alerts:acknowledge'] as const;
export type SpecialPermission = (typeof SPECIAL_PERMISSIONS)[number];
export type Permission = `${Module}:${Action}` | SpecialPermission | '*';

const all = (m: Module): Permission[] => ACTIONS.map((a) => `${m}:${a}` as Permission);
const read = (...ms: Module[]): Permission[] => ms.map((m) => `${m}:read` as Permission);
/** Reading every business area: all but administration and the integration hub. */
const readBusiness = read(...MODULES.filter((m) => m !== 'admin' && m !== 'integration'));

export const BUILT_IN_ROLES: Record<string, readonly Permission[]> = {
  admin: ['*'],
  planner: [
    ...read(...MODULES.filter((m) => m !== 'admin')),
    ...all('scheduling'),
    ...all('production'),
    'alerts:acknowledge',
  ],
  supervisor: [
    ...read(...MODULES.filter((m) => m !== 'admin')),
    ...all('shopfloor'),
    'production:update',
    'production:execute',
    'quality:create',
    'alerts:acknowledge',
  ],
  operator: [
    ...read('shopfloor', 'production', 'masterdata', 'quality'),
    'shopfloor:create',
    'shopfloor:execute',
    // Asking for the first-article check of the piece just made.
    'quality:create',
  ],
  warehouse: [...read('masterdata', 'inventory', 'sales', 'purchasing', 'production'), ...all('inventory')],
  sales: [...read('masterdata', 'inventory', 'production', 'reports'), ...all('sales')],
  purchasing: [...read('masterdata', 'inventory', 'production', 'reports'), ...all('purchasing')],
  quality: [...read('masterdata', 'production', 'shopfloor', 'inventory', 'reports'), ...all('quality')],
  viewer: readBusiness,
  // The plant manager looks at every area of the plant, from a phone as often as not, and changes
  // nothing but acknowledging alerts and exceptions. Assigning or resolving an exception is left
  // out: it takes `production:update`, which also edits work orders, piece rates and points rules.
  manager: [...readBusiness, 'alerts:acknowledge'],
};

export function permissionsOf(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roles) for (const p of BUILT_IN_ROLES[r] ?? []) out.add(p);
  return out;
}

export function can(permissions: ReadonlySet<string>, needed: string): boolean {
  if (permissions.has('*') || permissions.has(needed)) return true;
  // A narrow right also held through the broader one it came out of (custom roles, API tokens).
  const broader = IMPLIED_PERMISSIONS[needed];
  return broader !== undefined && permissions.has(broader);
}

/** Every grantable `module:action`, the rows × columns of the permission matrix. */
export const ALL_PERMISSIONS: readonly Permission[] = MODULES.flatMap((m) =>
  ACTIONS.map((a) => `${m}:${a}` as Permission),
);
const KNOWN = new Set<string>([...ALL_PERMISSIONS, ...SPECIAL_PERMISSIONS]);

export function isKnownPermission(p: string): boolean {
  return KNOWN.has(p);
}

export function isBuiltInRole(name: string): boolean {
  return Object.hasOwn(BUILT_IN_ROLES, name);
}

/** What both sides grant; `*` on one side means "whatever the other grants". */
export function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  if (a.has('*')) return new Set(b);
  if (b.has('*')) return new Set(a);
  return new Set([...a].filter((p) => b.has(p)));
}

/** A shared shop-floor terminal may report work and look up what it needs, nothing else. */
export const TERMINAL_PERMISSIONS: ReadonlySet<string> = new Set([
  ...all('shopfloor'),
  'masterdata:read',
  'production:read',
  'quality:read',
  'quality:create',
]);

/** Holders of any admin right count as administrators (for the TOTP requirement). */
export function holdsAdmin(permissions: ReadonlySet<string>): boolean {
  return permissions.has('*') || ACTIONS.some((a) => permissions.has(`admin:${a}`));
}
