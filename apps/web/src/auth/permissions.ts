import { type CurrentUser, IMPLIED_PERMISSIONS } from '@takt/contracts';

/**
 * Permissions are `module:action` strings (e.g. `masterdata:create`). A grant of `module:*` covers every
 * action of the module and `*` covers everything.
 */
export function hasPermission(
  user: Pick<CurrentUser, 'permissions'> | null | undefined,
  permission: string,
): boolean {
  if (!user) return false;
  const granted = user.permissions;
  if (granted.includes(permission) || granted.includes('*')) return true;
  const broader = IMPLIED_PERMISSIONS[permission];
  if (broader !== undefined && hasPermission(user, broader)) return true;
  const module = permission.split(':', 1)[0];
  return module !== undefined && granted.includes(`${module}:*`);
}
