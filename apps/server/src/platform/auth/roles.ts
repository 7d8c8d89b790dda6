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
export type Permission = `${Module}:${Action}` | '*';

const all = (m: Module): Permission[] => ACTIONS.map((a) => `${m}:${a}` as Permission);
const read = (...ms: Module[]): Permission[] => ms.map((m) => `${m}:read` as Permission);

export const BUILT_IN_ROLES: Record<string, readonly Permission[]> = {
  admin: ['*'],
  planner: [...read(...MODULES.filter((m) => m !== 'admin')), ...all('scheduling'), ...all('production')],
  supervisor: [
    ...read(...MODULES.filter((m) => m !== 'admin')),
    ...all('shopfloor'),
    'production:update',
    'production:execute',
  ],
  operator: [...read('shopfloor', 'production', 'masterdata'), 'shopfloor:create', 'shopfloor:execute'],
  warehouse: [...read('masterdata', 'inventory', 'sales', 'purchasing', 'production'), ...all('inventory')],
  sales: [...read('masterdata', 'inventory', 'production', 'reports'), ...all('sales')],
  purchasing: [...read('masterdata', 'inventory', 'production', 'reports'), ...all('purchasing')],
  quality: [...read('masterdata', 'production', 'shopfloor', 'inventory', 'reports'), ...all('quality')],
  viewer: read(...MODULES.filter((m) => m !== 'admin' && m !== 'integration')),
};

export function permissionsOf(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roles) for (const p of BUILT_IN_ROLES[r] ?? []) out.add(p);
  return out;
}

export function can(permissions: ReadonlySet<string>, needed: string): boolean {
  return permissions.has('*') || permissions.has(needed);
}
