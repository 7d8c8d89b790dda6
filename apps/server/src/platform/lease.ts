import type { Db } from './db/database.ts';

/**
 * A named lease in the database: only one process at a time holds it (e.g. the outbox dispatcher).
 * A holder that dies loses it when it expires.
 */
export async function tryAcquireLease(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  const nowIso = now.toISOString();
  // Straight on Kysely, not Db.transaction: taking a lease is not a change anyone should be woken for.
  return db.kysely.transaction().execute(async (tx) => {
    const res = await tx
      .insertInto('leases')
      .values({ name, holder, expires_at: expires })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: expires })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', nowIso)])),
      )
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.kysely.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
