import type {
  CustomFieldDef,
  CustomFieldDefCreate,
  CustomFieldDefQuery,
  CustomFieldDefUpdate,
  CustomFieldEntity,
  CustomFieldKind,
  CustomFieldValues,
} from '@takt/contracts';
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Dialect, Tx } from '../../platform/db/database.ts';
import type { CustomFieldDefsTable } from '../../platform/db/schema-custom-fields.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, type FieldError, invalidField, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as repo from './custom-fields.repo.ts';
import { guardedWrite, recordChange, staleVersion, updateAction } from './mutation.ts';
import { coerceValue, customFieldsOf, type StoredValues } from './custom-values.ts';

export { coerceValue, customFieldsOf, type StoredValues } from './custom-values.ts';

/**
 * Fields an administrator adds to items, customers, suppliers, machines and work orders without a
 * code change. Values are checked against the active definitions on every create and update and
 * stored as one JSON object per record; lists filter on them with the JSON functions of either
 * database.
 */
type Q = Kysely<Database> | Tx;

export function toDef(r: CustomFieldDefsTable): CustomFieldDef {
  return {
    id: r.id,
    entity: r.entity as CustomFieldEntity,
    key: r.key,
    kind: r.kind as CustomFieldKind,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    required: r.required === 1,
    options: JSON.parse(r.options) as string[],
    position: r.position,
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const isBlank = (v: string | number | null | undefined) => v === null || v === undefined || v === '';

/**
 * Checks `input` against the entity's active definitions and returns the JSON to store. On create
 * (`stored` null) every required field needs a value; on update only the keys sent change and a
 * required one cannot be cleared. All problems are reported at once, as `/customFields/<key>`.
 */
export async function checkCustomFields(
  db: Q,
  entity: CustomFieldEntity,
  input: CustomFieldValues | undefined,
  stored: string | null | undefined,
): Promise<string> {
  const defs = await repo.defsOf(db, entity);
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const creating = stored === null;
  const out: StoredValues = creating ? {} : { ...customFieldsOf(stored) };
  const errors: FieldError[] = [];
  const field = (key: string) => `/customFields/${key}`;
  for (const [key, raw] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def) {
      errors.push({ field: field(key), message: `is not a custom field of ${entity}`, code: 'unknown' });
      continue;
    }
    if (def.active !== 1) {
      if (!isBlank(raw)) errors.push({ field: field(key), message: 'is no longer in use', code: 'inactive' });
      else delete out[key];
      continue;
    }
    if (isBlank(raw) || (typeof raw === 'string' && raw.trim() === '')) {
      delete out[key];
      continue;
    }
    const checked = coerceValue(
      { kind: def.kind, options: JSON.parse(def.options) as string[] },
      raw as string | number,
    );
    if (checked.ok) out[key] = checked.value;
    else errors.push({ field: field(key), message: checked.message, code: checked.code });
  }
  for (const def of defs) {
    if (def.active !== 1 || def.required !== 1) continue;
    const sentBlank = input !== undefined && Object.hasOwn(input, def.key) && isBlank(out[def.key]);
    if ((creating || sentBlank) && isBlank(out[def.key]) && !errors.some((e) => e.field === field(def.key))) {
      errors.push({ field: field(def.key), message: 'is required', code: 'required' });
    }
  }
  if (errors.length > 0) {
    const first = errors[0] as FieldError;
    throw new AppError('VALIDATION_FAILED', `Custom field ${first.field.slice(14)} ${first.message}`, {
      fieldErrors: errors,
    });
  }
  return JSON.stringify(out);
}

/** The list query parameters that filter on one custom field. */
export interface CustomFieldQuery {
  readonly customField?: string;
  readonly customValue?: string;
}

/**
 * The list filter of `customField` / `customValue` on `column` (a table's `custom_fields`), or null
 * when the query has none. Text fields match when they contain the value (case-insensitive); number,
 * date and choice fields when they equal it; without a value, records that have one match. A key the
 * entity does not have, or a value the field's kind cannot hold, is a 400 naming the parameter.
 */
export async function customFieldFilter(
  db: Q,
  dialect: Dialect,
  entity: CustomFieldEntity,
  column: string,
  query: CustomFieldQuery,
): Promise<Expression<SqlBool> | null> {
  const key = query.customField;
  const value = query.customValue?.trim() ?? '';
  if (!key) {
    if (value === '') return null;
    throw invalidField('/querystring/customValue', 'needs customField, the key of the field to match', {
      code: 'needs_field',
      detail: 'customValue needs customField',
    });
  }
  const def = (await repo.defsOf(db, entity)).find((d) => d.key === key);
  if (!def)
    throw invalidField('/querystring/customField', `is not a custom field of ${entity}`, {
      code: 'unknown',
      detail: `customField ${key} is not a custom field of ${entity}`,
    });
  const ref = sql.ref(column);
  const path = `$.${key}`;
  // Records without any value ('{}', most of them) never match: that test is a plain text compare
  // done before any JSON is parsed, and lets a partial index on `custom_fields <> '{}'` serve lists.
  const having = (cond: Expression<SqlBool>) => sql<SqlBool>`(${ref} <> '{}' and ${cond})`;
  const extracted =
    dialect === 'postgres'
      ? sql<string>`(cast(${ref} as jsonb) ->> cast(${key} as text))`
      : sql<string>`json_extract(${ref}, ${path})`;
  if (value === '') return having(sql<SqlBool>`${extracted} is not null`);
  if (def.kind === 'text') {
    const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
    return having(sql<SqlBool>`${extracted} ${like} ${pattern} escape '\\'`);
  }
  const checked = coerceValue({ kind: def.kind, options: JSON.parse(def.options) as string[] }, value);
  if (!checked.ok)
    throw invalidField('/querystring/customValue', `${checked.message} (${key} is a ${def.kind} field)`, {
      code: checked.code,
      detail: `customValue ${checked.message}`,
    });
  if (def.kind === 'number')
    return having(
      dialect === 'postgres'
        ? sql<SqlBool>`(cast(${ref} as jsonb) -> cast(${key} as text)) = cast(${String(checked.value)} as jsonb)`
        : sql<SqlBool>`json_extract(${ref}, ${path}) = ${checked.value}`,
    );
  return having(sql<SqlBool>`${extracted} = ${String(checked.value)}`);
}

export async function activeDefs(db: Db, entity: CustomFieldEntity): Promise<CustomFieldDef[]> {
  return (await repo.listDefs(db.kysely, { entity, active: true })).map(toDef);
}

export async function listDefs(db: Db, query: CustomFieldDefQuery): Promise<CustomFieldDef[]> {
  return (await repo.listDefs(db.kysely, query)).map(toDef);
}

export async function getDef(db: Db, id: string): Promise<CustomFieldDef> {
  const row = await repo.findDef(db.kysely, id);
  if (!row) throw notFound('Custom field', id);
  return toDef(row);
}

function cleanOptions(kind: string, options: readonly string[] | undefined): string[] {
  const list = (options ?? []).map((o) => o.trim()).filter((o) => o !== '');
  if (kind !== 'choice') {
    if (list.length > 0) throw invalidField('/options', 'only choice fields have options', 'not_choice');
    return [];
  }
  if (list.length === 0)
    throw invalidField('/options', 'a choice field needs at least one option', 'required');
  const seen = new Set<string>();
  for (const o of list) {
    if (seen.has(o)) throw invalidField('/options', `option "${o}" is listed twice`, 'duplicate');
    seen.add(o);
  }
  return list;
}

export async function createDef(db: Db, ctx: Ctx, input: CustomFieldDefCreate): Promise<CustomFieldDef> {
  const now = nowIso();
  const row: CustomFieldDefsTable = {
    id: newId(),
    entity: input.entity,
    key: input.key,
    kind: input.kind,
    label_zh: input.labelZh.trim(),
    label_en: input.labelEn.trim(),
    required: input.required ? 1 : 0,
    options: JSON.stringify(cleanOptions(input.kind, input.options)),
    position: input.position ?? 0,
    active: 1,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return guardedWrite(
    'Custom field',
    () => `${input.entity}.${input.key}`,
    () =>
      db.transaction(async (tx) => {
        await repo.insertDef(tx, row);
        const dto = toDef(row);
        await recordChange(tx, ctx, {
          entity: 'custom_field',
          id: row.id,
          action: 'create',
          before: null,
          after: dto,
          data: dto,
        });
        return dto;
      }),
    () =>
      new AppError('DUPLICATE_CODE', `${input.entity} already has a custom field ${input.key}`, {
        fieldErrors: [{ field: '/key', message: 'is already in use', code: 'duplicate' }],
      }),
  );
}

export async function updateDef(
  db: Db,
  ctx: Ctx,
  id: string,
  input: CustomFieldDefUpdate,
): Promise<CustomFieldDef> {
  return db.transaction(async (tx) => {
    const before = await repo.findDef(tx, id);
    if (!before) throw notFound('Custom field', id);
    const changes: Partial<CustomFieldDefsTable> = { updated_at: nowIso() };
    if (input.labelZh !== undefined) changes.label_zh = input.labelZh.trim();
    if (input.labelEn !== undefined) changes.label_en = input.labelEn.trim();
    if (input.required !== undefined) changes.required = input.required ? 1 : 0;
    if (input.options !== undefined)
      changes.options = JSON.stringify(cleanOptions(before.kind, input.options));
    if (input.position !== undefined) changes.position = input.position;
    if (input.active !== undefined) changes.active = input.active ? 1 : 0;
    const after = await repo.updateDef(tx, id, input.version, changes);
    if (!after) throw staleVersion('Custom field', before.key, before.version);
    const dto = toDef(after);
    await recordChange(tx, ctx, {
      entity: 'custom_field',
      id,
      action: updateAction(before, input.active),
      before: toDef(before),
      after: dto,
      data: dto,
    });
    return dto;
  });
}
