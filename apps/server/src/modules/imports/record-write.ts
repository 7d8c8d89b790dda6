import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { RecordSpec } from '../masterdata/crud.ts';
import { recordChange, staleVersion } from '../masterdata/mutation.ts';

interface Versioned {
  id: string;
  code: string;
  version: number;
  active: number;
}

/**
 * Writes one imported record inside the import's transaction through the entity's record spec, with
 * the audit entry and event a create by hand records; `children` writes its child rows first.
 */
export async function insertRecord<Row extends Versioned, Dto>(
  tx: Tx,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  row: Row,
  children?: () => Promise<void>,
): Promise<void> {
  await spec.repo.insert(tx, row);
  await children?.();
  const dto = await spec.dto(tx, row);
  await recordChange(tx, ctx, {
    entity: spec.entity,
    id: row.id,
    action: 'create',
    before: null,
    after: dto as object,
    data: dto,
  });
}

/** The update counterpart: optimistic on the version read during validation. */
export async function updateRecordIn<Row extends Versioned, Dto>(
  tx: Tx,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  before: Row,
  changes: Partial<Row>,
  children?: () => Promise<void>,
): Promise<void> {
  const beforeDto = await spec.dto(tx, before);
  const after = await spec.repo.update(tx, before.id, before.version, changes);
  if (!after) throw staleVersion(spec.label, before.code, before.version + 1);
  await children?.();
  const dto = await spec.dto(tx, after);
  await recordChange(tx, ctx, {
    entity: spec.entity,
    id: before.id,
    action: before.active === 1 && after.active === 0 ? 'deactivate' : 'update',
    before: beforeDto as object,
    after: dto as object,
    data: dto,
  });
}

/** How one entity's records are made from the rows of a sheet. */
export interface PlanWrites<F, Row> {
  /** A new record: the defaults of the columns the file may leave out, then the row's fields. */
  create(fields: F): Row;
  /** What an update changes; the row's fields and the time unless said otherwise. */
  changes?(before: Row, fields: F): Partial<Row>;
  /** Writes the record's child rows (before the audit entry and event, which include them). */
  children?(id: string, fields: F): () => Promise<void>;
}

/** Writes a checked plan through the entity's record spec: its inserts, then its updates. */
export async function writePlan<F extends { row: Partial<Row> }, Row extends Versioned, Dto>(
  tx: Tx,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  plan: { readonly inserts: readonly F[]; readonly updates: readonly { before: Row; fields: F }[] },
  now: string,
  writes: PlanWrites<F, Row>,
): Promise<void> {
  for (const f of plan.inserts) {
    const row = writes.create(f);
    await insertRecord(tx, ctx, spec, row, writes.children?.(row.id, f));
  }
  for (const { before, fields } of plan.updates) {
    const changes = writes.changes?.(before, fields) ?? ({ ...fields.row, updated_at: now } as Partial<Row>);
    await updateRecordIn(tx, ctx, spec, before, changes, writes.children?.(before.id, fields));
  }
}
