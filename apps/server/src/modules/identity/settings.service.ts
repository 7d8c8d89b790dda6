import type { IdentitySettings, IdentitySettingsUpdate } from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import { REQUIRE_ADMIN_TOTP } from '../../platform/auth/access.ts';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';

/**
 * Installation-wide identity settings, stored in the database so every process sees the same value:
 * `requireAdminTotp` makes administrators set up and use a TOTP second factor.
 */
async function read(db: Db['kysely']) {
  return db
    .selectFrom('identity_settings')
    .selectAll()
    .where('key', '=', REQUIRE_ADMIN_TOTP)
    .executeTakeFirstOrThrow();
}

/** Read through the master-data cache; every update drops all cached settings once it commits. */
export async function getSettings(db: Db): Promise<IdentitySettings> {
  return cacheOf(db).get(
    db,
    'settings',
    'identity',
    async () => {
      const row = await read(db.kysely);
      return { requireAdminTotp: JSON.parse(row.value) === true, version: row.version };
    },
    { frozen: true },
  );
}

export async function updateSettings(
  db: Db,
  ctx: Ctx,
  input: IdentitySettingsUpdate,
): Promise<IdentitySettings> {
  return db.transaction(async (tx) => {
    const before = await read(tx);
    const value = input.requireAdminTotp ?? JSON.parse(before.value) === true;
    const after = await tx
      .updateTable('identity_settings')
      .set({ value: JSON.stringify(value), version: input.version + 1, updated_at: nowIso() })
      .where('key', '=', REQUIRE_ADMIN_TOTP)
      .where('version', '=', input.version)
      .returningAll()
      .executeTakeFirst();
    if (!after) {
      throw new AppError('STALE_VERSION', 'The settings were changed by someone else', {
        extra: { currentVersion: before.version },
      });
    }
    cacheOf(tx).invalidate(tx, 'settings');
    await recordAudit(tx, ctx, {
      entityType: 'identity_settings',
      entityId: REQUIRE_ADMIN_TOTP,
      action: 'update',
      before: { requireAdminTotp: JSON.parse(before.value) === true },
      after: { requireAdminTotp: value },
    });
    return { requireAdminTotp: value, version: after.version };
  });
}
