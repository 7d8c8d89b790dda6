import type { PurchasingSettings, PurchasingSettingsUpdate } from '@takt/contracts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';
import { formatMoney, parseMoneyField } from '../../platform/units.ts';

/**
 * Installation-wide purchasing settings: whether the creator of an order may approve it himself
 * (off by default: small shops often have one buyer), the default over-receipt tolerance and the
 * plant time zone that dates PO codes, due dates, the late list and the MRP planning start.
 */
export interface Settings {
  readonly requireSeparateApprover: boolean;
  readonly overReceiptToleranceBp: number;
  readonly plantTimeZone: string;
}

export async function readSettings(db: Kysely<Database> | Tx): Promise<Settings & { version: number }> {
  const row = await db
    .selectFrom('purchasing_settings')
    .selectAll()
    .where('key', '=', 'settings')
    .executeTakeFirstOrThrow();
  return { ...(JSON.parse(row.value) as Settings), version: row.version };
}

const toDto = (s: Settings & { version: number }): PurchasingSettings => ({
  requireSeparateApprover: s.requireSeparateApprover,
  overReceiptTolerance: formatMoney(s.overReceiptToleranceBp),
  plantTimeZone: s.plantTimeZone,
  version: s.version,
});

export const getSettings = async (db: Db) => toDto(await readSettings(db.kysely));

export async function updateSettings(db: Db, ctx: Ctx, input: PurchasingSettingsUpdate) {
  return db.transaction(async (tx) => {
    const before = await readSettings(tx);
    const after: Settings = {
      requireSeparateApprover: input.requireSeparateApprover ?? before.requireSeparateApprover,
      overReceiptToleranceBp:
        input.overReceiptTolerance !== undefined
          ? parseMoneyField('/overReceiptTolerance', input.overReceiptTolerance)
          : before.overReceiptToleranceBp,
      plantTimeZone: input.plantTimeZone ?? before.plantTimeZone,
    };
    try {
      new Intl.DateTimeFormat('en', { timeZone: after.plantTimeZone });
    } catch {
      throw invalidField('/plantTimeZone', 'is not a known IANA time zone');
    }
    const res = await tx
      .updateTable('purchasing_settings')
      .set({ value: JSON.stringify(after), version: input.version + 1, updated_at: nowIso() })
      .where('key', '=', 'settings')
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new AppError('STALE_VERSION', 'The purchasing settings were changed by someone else', {
        extra: { currentVersion: before.version },
      });
    const { version: _v, ...plain } = before;
    await recordAudit(tx, ctx, {
      entityType: 'purchasing_settings',
      entityId: 'settings',
      action: 'update',
      before: plain,
      after,
    });
    return toDto({ ...after, version: input.version + 1 });
  });
}
