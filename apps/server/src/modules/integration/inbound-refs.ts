import { createHash } from 'node:crypto';
import type { InboundResult } from '@takt/contracts';
import { type CommitHook, withCommitHook } from '../../platform/db/commit-hooks.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ExternalRefsTable } from '../../platform/db/schema-request-log.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { nowIso } from '../../platform/ids.ts';

/**
 * Applies an inbound message at most once per external id and body. The mapping row
 * (`external_refs`) is written by a commit hook inside the business transaction, so the record and
 * its mapping commit together: a crash leaves both or neither, and two concurrent deliveries of the
 * same new external id cannot both create (the second insert fails and its transaction rolls back).
 */
export interface ExternalKey {
  readonly system: string;
  readonly kind: string;
  readonly externalId: string;
}

/** What one committed transaction of the handler produced, or null when it was not the record. */
export interface Applied {
  readonly internalId: string;
  readonly code: string | null;
  readonly ids: readonly string[];
  /** Overrides the outcome derived from the mapping (e.g. a record that existed before its first message). */
  readonly outcome?: 'created' | 'updated';
}

type Stored = Omit<InboundResult, 'replayed'>;

/** A stable hash of a JSON body: keys sorted, so field order does not make a "different" message. */
export function bodyHash(body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('base64url');
}

export async function findRef(db: Db, key: ExternalKey): Promise<ExternalRefsTable | undefined> {
  return db.kysely
    .selectFrom('external_refs')
    .selectAll()
    .where('system', '=', key.system)
    .where('kind', '=', key.kind)
    .where('external_id', '=', key.externalId)
    .executeTakeFirst();
}

function replay(row: ExternalRefsTable): InboundResult {
  return { ...(JSON.parse(row.result) as Stored), replayed: true };
}

/**
 * Runs `work` unless this exact body was applied before (then the first result comes back with
 * `replayed: true`). A different body for a known external id is an update when `changeable`, else
 * 409 EXTERNAL_ID_CONFLICT (a posted receipt or shipment is not edited by posting it again).
 * `applied` picks the record out of each committed transaction's result.
 */
export async function applyOnce<T>(
  db: Db,
  key: ExternalKey,
  body: unknown,
  options: { changeable: boolean; applied: (value: unknown) => Applied | null },
  work: (existing: ExternalRefsTable | undefined) => Promise<T>,
): Promise<InboundResult> {
  const hash = bodyHash(body);
  const existing = await findRef(db, key);
  if (existing?.body_hash === hash) return replay(existing);
  if (existing && !options.changeable) {
    throw new AppError(
      'EXTERNAL_ID_CONFLICT',
      `${key.kind} ${key.externalId} from ${key.system} was already posted with other content`,
      { extra: { internalId: existing.internal_id } },
    );
  }
  let stored: Stored | null = null;
  const hook: CommitHook = async (tx, value) => {
    const applied = options.applied(value);
    if (!applied) return;
    const now = nowIso();
    const result: Stored = {
      system: key.system,
      kind: key.kind,
      externalId: key.externalId,
      internalId: applied.internalId,
      outcome: applied.outcome ?? (existing ? 'updated' : options.changeable ? 'created' : 'posted'),
      code: applied.code,
      ids: [...applied.ids],
    };
    if (existing) {
      const res = await tx
        .updateTable('external_refs')
        .set({
          internal_id: applied.internalId,
          body_hash: hash,
          result: JSON.stringify(result),
          updated_at: now,
        })
        .where('system', '=', key.system)
        .where('kind', '=', key.kind)
        .where('external_id', '=', key.externalId)
        .where('body_hash', '=', existing.body_hash)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        throw new AppError('STALE_VERSION', `${key.kind} ${key.externalId} changed meanwhile; send it again`);
      }
    } else {
      await tx
        .insertInto('external_refs')
        .values({
          system: key.system,
          kind: key.kind,
          external_id: key.externalId,
          internal_id: applied.internalId,
          body_hash: hash,
          result: JSON.stringify(result),
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    stored = result;
  };
  try {
    await withCommitHook(hook, () => work(existing));
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Another delivery of the same external id committed first.
    const winner = await findRef(db, key);
    if (!winner) throw err;
    if (winner.body_hash === hash) return replay(winner);
    throw new AppError('STALE_VERSION', `${key.kind} ${key.externalId} changed meanwhile; send it again`);
  }
  if (!stored) throw new Error(`inbound ${key.kind} ${key.externalId} committed no record`);
  return { ...(stored as Stored), replayed: false };
}
