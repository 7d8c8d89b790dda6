import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type AppError, notFound } from '../../platform/errors.ts';
import { guardedWrite, recordChange, staleVersion, updateAction } from './mutation.ts';

type Q = Kysely<Database> | Tx;

interface Versioned {
  id: string;
  code: string;
  version: number;
  active: number;
}

/** How one master-data record is stored and shown; the use cases below are the same for all. */
export interface RecordSpec<Row extends Versioned, Dto> {
  /** Audit entity type and event prefix, e.g. 'customer' → customer.created. */
  readonly entity: string;
  /** For messages, e.g. 'Customer'. */
  readonly label: string;
  readonly repo: {
    find(db: Q, id: string): Promise<Row | undefined>;
    insert(db: Q, row: Row): Promise<void>;
    update(db: Q, id: string, version: number, changes: Partial<Row>): Promise<Row | undefined>;
    remove(db: Q, id: string): Promise<void>;
  };
  /** The API shape, with child rows loaded. */
  dto(db: Q, row: Row): Promise<Dto>;
}

export async function getRecord<Row extends Versioned, Dto>(db: Db, spec: RecordSpec<Row, Dto>, id: string) {
  const row = await spec.repo.find(db.kysely, id);
  if (!row) throw notFound(spec.label, id);
  return spec.dto(db.kysely, row);
}

/** Inserts the row (and its children), with audit entry and event, in one transaction. */
export async function createRecord<Row extends Versioned, Dto>(
  db: Db,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  row: Row,
  hooks: {
    check?: (tx: Tx) => Promise<void>;
    children?: (tx: Tx) => Promise<void>;
    uniqueError?: (err: unknown) => AppError | null;
  } = {},
): Promise<Dto> {
  return guardedWrite(
    spec.label,
    () => row.code,
    () =>
      db.transaction(async (tx) => {
        await hooks.check?.(tx);
        await spec.repo.insert(tx, row);
        await hooks.children?.(tx);
        const dto = await spec.dto(tx, row);
        await recordChange(tx, ctx, {
          entity: spec.entity,
          id: row.id,
          action: 'create',
          before: null,
          after: dto as object,
          data: dto,
        });
        return dto;
      }),
    hooks.uniqueError,
  );
}

/** Optimistic update: 409 STALE_VERSION unless `version` is the stored one. */
export async function updateRecord<Row extends Versioned, Dto>(
  db: Db,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  id: string,
  input: { version: number; active?: boolean },
  changes: Partial<Row>,
  hooks: {
    check?: (tx: Tx, before: Row) => Promise<void>;
    children?: (tx: Tx, after: Row) => Promise<void>;
    uniqueError?: (err: unknown) => AppError | null;
  } = {},
): Promise<Dto> {
  let code = (changes.code as string | undefined) ?? id;
  if (input.active !== undefined) (changes as Partial<Versioned>).active = input.active ? 1 : 0;
  return guardedWrite(
    spec.label,
    () => code,
    () =>
      db.transaction(async (tx) => {
        const before = await spec.repo.find(tx, id);
        if (!before) throw notFound(spec.label, id);
        code = (changes.code as string | undefined) ?? before.code;
        await hooks.check?.(tx, before);
        const beforeDto = await spec.dto(tx, before);
        const after = await spec.repo.update(tx, id, input.version, changes);
        if (!after) throw staleVersion(spec.label, before.code, before.version);
        await hooks.children?.(tx, after);
        const dto = await spec.dto(tx, after);
        await recordChange(tx, ctx, {
          entity: spec.entity,
          id,
          action: updateAction(before, input.active),
          before: beforeDto as object,
          after: dto as object,
          data: dto,
        });
        return dto;
      }),
    hooks.uniqueError,
  );
}

/** Hard delete of a record nothing refers to; a referenced one is refused with 409 IN_USE. */
export async function deleteRecord<Row extends Versioned, Dto>(
  db: Db,
  ctx: Ctx,
  spec: RecordSpec<Row, Dto>,
  id: string,
): Promise<void> {
  let code = id;
  await guardedWrite(
    spec.label,
    () => code,
    () =>
      db.transaction(async (tx) => {
        const before = await spec.repo.find(tx, id);
        if (!before) throw notFound(spec.label, id);
        code = before.code;
        const dto = await spec.dto(tx, before);
        await spec.repo.remove(tx, id);
        await recordChange(tx, ctx, {
          entity: spec.entity,
          id,
          action: 'delete',
          before: dto as object,
          after: null,
          data: { id, code },
        });
      }),
  );
}
