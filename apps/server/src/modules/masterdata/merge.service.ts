import type { MergeEntity, MergeRequest, MergeResult } from '@takt/contracts';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import { cacheOf } from '../../platform/cache/cache.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { AppError, invalidField, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/outbox.ts';
import { nowIso } from '../../platform/ids.ts';
import * as repo from './merge.repo.ts';
import { staleVersion } from './mutation.ts';

/**
 * Merging duplicates: every reference to the merged records (found in the database catalog, plus
 * the few plain columns without a constraint) moves to the kept record in one transaction; the
 * merged records are deactivated, never deleted, so their history stays readable.
 */
interface Spec {
  readonly entity: string;
  readonly label: string;
  /** Columns without a foreign-key constraint that still hold ids of this entity. */
  readonly soft: readonly repo.ColumnRef[];
  /** The record's own rows: they stay with the retired record. */
  readonly own: ReadonlySet<string>;
  /** Link tables: a link the kept record already has is dropped, not duplicated (other key columns). */
  readonly links: Readonly<Record<string, readonly string[]>>;
  /** Rows that would collide with the kept record's own: refuse (other key columns; [] = any row). */
  readonly clashes: Readonly<Record<string, readonly string[]>>;
  /** Copies of the code held beside a reference. */
  readonly codeCopies: Readonly<Record<string, string>>;
}

const SPECS: Record<MergeEntity, Spec> = {
  items: {
    entity: 'item',
    label: 'Item',
    soft: [
      { table: 'purchase_receipts', column: 'item_id' },
      { table: 'mrp_planned_orders', column: 'item_id' },
      { table: 'mrp_shortages', column: 'item_id' },
      { table: 'mrp_actions', column: 'item_id' },
    ],
    own: new Set(['item_uom_conversions.item_id']),
    links: { 'supplier_items.item_id': ['supplier_id'], 'tool_items.item_id': ['tool_id'] },
    clashes: {
      'boms.item_id': [],
      'routings.item_id': [],
      'lots.item_id': ['code'],
      'piece_rates.item_id': ['seq'],
    },
    codeCopies: {
      'boms.item_id': 'item_code',
      'routings.item_id': 'item_code',
      'bom_lines.component_item_id': 'component_code',
    },
  },
  customers: {
    entity: 'customer',
    label: 'Customer',
    soft: [],
    own: new Set(),
    links: {},
    clashes: {},
    codeCopies: {},
  },
  suppliers: {
    entity: 'supplier',
    label: 'Supplier',
    soft: [{ table: 'mrp_planned_orders', column: 'supplier_id' }],
    own: new Set(),
    links: { 'supplier_items.supplier_id': ['item_id'] },
    clashes: {},
    codeCopies: {},
  },
};

interface Rec {
  id: string;
  code: string;
  active: number;
  version: number;
  type?: string;
  uom?: string;
  tracking?: string;
}

const key = (r: repo.ColumnRef) => `${r.table}.${r.column}`;

async function referencesOf(q: Tx, dialect: Db['dialect'], entity: MergeEntity) {
  const spec = SPECS[entity];
  const fks = await repo.foreignKeysTo(q, dialect, entity);
  const present = await repo.existingTables(
    q,
    dialect,
    spec.soft.map((s) => s.table),
  );
  const all = [...fks, ...spec.soft.filter((s) => present.has(s.table))];
  const seen = new Set<string>();
  return all.filter((r) => {
    const k = key(r);
    if (seen.has(k) || spec.own.has(k) || r.table === entity) return false;
    seen.add(k);
    return true;
  });
}

/** The records, locked on PostgreSQL so no one edits them while their references move. */
async function loadRecords(tx: Tx, dialect: Db['dialect'], entity: MergeEntity, ids: readonly string[]) {
  const cols =
    entity === 'items' ? sql`id, code, active, version, type, uom, tracking` : sql`id, code, active, version`;
  const lock = dialect === 'postgres' ? sql` for update` : sql``;
  const r =
    await sql<Rec>`select ${cols} from ${sql.table(entity)} where id in (${sql.join(ids)})${lock}`.execute(
      tx,
    );
  return r.rows;
}

function check(
  entity: MergeEntity,
  input: MergeRequest,
  keep: Rec | undefined,
  merged: Rec[],
): asserts keep is Rec {
  const spec = SPECS[entity];
  if (!keep) throw notFound(spec.label, input.keepId);
  const missing = input.mergeIds.find((id) => !merged.some((m) => m.id === id));
  if (missing) throw notFound(spec.label, missing);
  if (keep.active !== 1) {
    throw new AppError(
      'MERGE_TARGET_INACTIVE',
      `${spec.label} ${keep.code} is inactive; keep an active record`,
      {
        fieldErrors: [{ field: '/keepId', message: 'is inactive', code: 'inactive' }],
      },
    );
  }
  if (input.version !== undefined && input.version !== keep.version) {
    throw staleVersion(spec.label, keep.code, keep.version);
  }
  if (entity === 'items') {
    for (const m of merged) {
      for (const f of ['type', 'uom', 'tracking'] as const) {
        if (m[f] !== keep[f]) {
          throw new AppError(
            'MERGE_INCOMPATIBLE',
            `Item ${m.code} has ${f} ${m[f]} but ${keep.code} has ${keep[f]}; only items of the same type, unit and tracking merge`,
            { fieldErrors: [{ field: '/mergeIds', message: `${f} differs from the kept item`, code: f }] },
          );
        }
      }
    }
  }
}

export async function mergeRecords(
  db: Db,
  ctx: Ctx,
  entity: MergeEntity,
  input: MergeRequest,
  dryRun: boolean,
): Promise<MergeResult> {
  const spec = SPECS[entity];
  const ids = [...new Set(input.mergeIds)];
  if (ids.includes(input.keepId)) {
    throw new AppError('MERGE_SAME_RECORD', `${spec.label} ${input.keepId} cannot be merged into itself`, {
      fieldErrors: [{ field: '/mergeIds', message: 'must not contain keepId', code: 'same' }],
    });
  }
  if (ids.length !== input.mergeIds.length)
    throw invalidField('/mergeIds', 'lists a record twice', 'duplicate');
  try {
    return await mergeInTx(db, ctx, entity, input, ids, dryRun);
  } catch (err) {
    // the kept record already has such a row in some table's unique key: nothing was written
    if (isUniqueViolation(err)) {
      throw new AppError('MERGE_CONFLICT', `Cannot merge: ${(err as Error).message}`, { extra: { dryRun } });
    }
    throw err;
  }
}

async function mergeInTx(
  db: Db,
  ctx: Ctx,
  entity: MergeEntity,
  input: MergeRequest,
  ids: readonly string[],
  dryRun: boolean,
): Promise<MergeResult> {
  const spec = SPECS[entity];
  return db.transaction(async (tx) => {
    const records = await loadRecords(tx, db.dialect, entity, [input.keepId, ...ids]);
    const keep = records.find((r) => r.id === input.keepId);
    const merged = records.filter((r) => r.id !== input.keepId);
    check(entity, input, keep, merged);
    const refs = await referencesOf(tx, db.dialect, entity);
    const counts: MergeResult['references'] = [];
    for (const ref of refs) {
      const count = await repo.countRefs(tx, ref, ids);
      if (count > 0) counts.push({ table: ref.table, column: ref.column, count });
    }
    const touched = new Set(counts.map((c) => `${c.table}.${c.column}`));
    for (const [k, others] of Object.entries(spec.clashes)) {
      if (!touched.has(k)) continue;
      const [table, column] = k.split('.') as [string, string];
      const clashing =
        others.length === 0
          ? await repo.countRefs(tx, { table, column }, [keep.id])
          : await repo.countClashes(tx, { table, column }, keep.id, ids, others);
      if (clashing > 0) {
        const what =
          others.length === 0 ? `both have ${table}` : `${table} with the same ${others.join(', ')}`;
        throw new AppError('MERGE_CONFLICT', `Cannot merge into ${keep.code}: ${what}; resolve that first`, {
          extra: { table, column },
        });
      }
    }
    if (entity === 'items' && touched.has('stock_balances.item_id')) {
      const stock = await repo.stockOf(tx, [keep.id, ...ids]);
      const holders = [keep, ...merged].filter((r) => (stock.get(r.id) ?? 0) > 0);
      if (holders.length > 1) {
        throw new AppError(
          'MERGE_STOCK_ON_BOTH',
          `Items ${holders.map((h) => h.code).join(', ')} all hold stock; move or adjust it to one item before merging`,
          { extra: { items: holders.map((h) => h.code) } },
        );
      }
    }
    const result: MergeResult = {
      dryRun,
      keep: { id: keep.id, code: keep.code },
      merged: merged.map((m) => ({ id: m.id, code: m.code })),
      references: counts,
    };
    if (dryRun) return result;

    if (entity === 'items' && touched.has('stock_balances.item_id')) {
      await repo.clearEmptyBalanceClashes(tx, keep.id, ids);
    }
    for (const c of counts) {
      const ref = { table: c.table, column: c.column };
      const others = spec.links[key(ref)];
      if (others) await repo.dropClashes(tx, ref, keep.id, ids, others);
      await repo.repoint(tx, ref, keep.id, ids);
      const codeColumn = spec.codeCopies[key(ref)];
      if (codeColumn) await repo.setCodeCopy(tx, ref, codeColumn, keep.id, keep.code);
    }
    await retire(tx, ctx, entity, keep, merged, counts);
    return result;
  });
}

async function retire(
  tx: Tx,
  ctx: Ctx,
  entity: MergeEntity,
  keep: Rec,
  merged: readonly Rec[],
  references: MergeResult['references'],
): Promise<void> {
  const spec = SPECS[entity];
  const now = nowIso();
  const note = `merged into ${keep.code}`;
  for (const m of merged) {
    await sql`update ${sql.table(entity)} set active = 0, version = version + 1, updated_at = ${now}
      where id = ${m.id}`.execute(tx);
    await recordAudit(tx, ctx, {
      entityType: spec.entity,
      entityId: m.id,
      action: 'merge',
      before: { active: m.active === 1 },
      after: { active: false, mergedInto: keep.code, note },
    });
  }
  await sql`update ${sql.table(entity)} set version = version + 1, updated_at = ${now}
    where id = ${keep.id}`.execute(tx);
  const cache = cacheOf(tx);
  cache.invalidateRows(
    tx,
    entity,
    [keep, ...merged].map((r) => r.id),
  );
  // Cached rows of other tables whose references moved (a machine's work center, say).
  for (const table of new Set(references.map((r) => r.table))) cache.invalidateRows(tx, table);
  const mergedCodes = merged.map((m) => m.code);
  await recordAudit(tx, ctx, {
    entityType: spec.entity,
    entityId: keep.id,
    action: 'merge',
    before: { mergedFrom: [] },
    after: { mergedFrom: mergedCodes, movedReferences: references },
  });
  await appendEvent(tx, ctx, {
    type: `${spec.entity}.merged`,
    aggregateType: spec.entity,
    aggregateId: keep.id,
    data: {
      keepId: keep.id,
      keepCode: keep.code,
      merged: merged.map((m) => ({ id: m.id, code: m.code })),
      references,
    },
  });
}
