import { type Static, Type } from 'typebox';
import { Timestamp } from './common.ts';

/** Entities whose records carry administrator-defined fields (named as their tables). */
export const CustomFieldEntity = Type.Union([
  Type.Literal('items'),
  Type.Literal('customers'),
  Type.Literal('suppliers'),
  Type.Literal('machines'),
  Type.Literal('work_orders'),
]);
export type CustomFieldEntity = Static<typeof CustomFieldEntity>;

export const CustomFieldKind = Type.Union([
  Type.Literal('text'),
  Type.Literal('number'),
  Type.Literal('date'),
  Type.Literal('choice'),
]);
export type CustomFieldKind = Static<typeof CustomFieldKind>;

export const CustomFieldKey = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,39}$',
  description: 'lower-case letter, then letters, digits or _ (at most 40)',
});

/**
 * Custom field values of one record by key: text and choice as strings, number as a number, date as
 * YYYY-MM-DD. On create and update, `null` (or leaving a key out on create) clears the value; on
 * update only the keys sent change.
 */
export const CustomFieldValues = Type.Record(
  Type.String(),
  Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Null()]),
  { description: 'custom field values by key; see /api/v1/master-data/custom-fields' },
);
export type CustomFieldValues = Static<typeof CustomFieldValues>;

/** The properties entity schemas add: `customFields` on the record, its create and update. */
export const WithCustomFields = { customFields: Type.Optional(CustomFieldValues) };
/** Stored values as returned by detail and list APIs (never null). */
export const StoredCustomFields = {
  customFields: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
};
/**
 * List filter on one custom field, `?customField=<key>&customValue=<value>`: text fields match when
 * they contain the value (case-insensitive), number, date and choice fields when they equal it.
 */
export const CustomFieldFilter = {
  customField: Type.Optional(
    Type.String({
      pattern: '^[a-z][a-z0-9_]{0,39}$',
      description: 'key of a custom field of this entity (an unknown key is a 400)',
    }),
  ),
  customValue: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'value to match in customField: text contains it, number, date (YYYY-MM-DD) and choice equal it; ' +
        'a value the field cannot hold is a 400; left out, records that have a value match',
    }),
  ),
};

/** Changes only the custom field values of a record (the keys sent), e.g. of a work order. */
export const CustomFieldsUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }),
    customFields: CustomFieldValues,
  },
  { additionalProperties: false },
);
export type CustomFieldsUpdate = Static<typeof CustomFieldsUpdate>;

const Label = Type.String({ minLength: 1, maxLength: 60 });
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
  maxItems: 100,
  description: 'allowed values of a choice field, in display order',
});

export const CustomFieldDef = Type.Object({
  id: Type.String(),
  entity: CustomFieldEntity,
  key: Type.String(),
  kind: CustomFieldKind,
  labelZh: Type.String(),
  labelEn: Type.String(),
  required: Type.Boolean(),
  options: Type.Array(Type.String()),
  position: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CustomFieldDef = Static<typeof CustomFieldDef>;

export const CustomFieldDefCreate = Type.Object(
  {
    entity: CustomFieldEntity,
    key: CustomFieldKey,
    kind: CustomFieldKind,
    labelZh: Label,
    labelEn: Label,
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Options),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type CustomFieldDefCreate = Static<typeof CustomFieldDefCreate>;

/** Key, kind and entity never change (stored values stay meaningful); `active: false` retires it. */
export const CustomFieldDefUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }),
    labelZh: Type.Optional(Label),
    labelEn: Type.Optional(Label),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Options),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CustomFieldDefUpdate = Static<typeof CustomFieldDefUpdate>;

export const CustomFieldDefQuery = Type.Object(
  { entity: Type.Optional(CustomFieldEntity), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CustomFieldDefQuery = Static<typeof CustomFieldDefQuery>;

// Merging duplicates
export const MergeEntity = Type.Union([
  Type.Literal('items'),
  Type.Literal('customers'),
  Type.Literal('suppliers'),
]);
export type MergeEntity = Static<typeof MergeEntity>;
export const MergeParams = Type.Object({ entity: MergeEntity }, { additionalProperties: false });
export type MergeParams = Static<typeof MergeParams>;
export const MergeQuery = Type.Object(
  { dryRun: Type.Optional(Type.Boolean({ description: 'count what would move, change nothing' })) },
  { additionalProperties: false },
);
export type MergeQuery = Static<typeof MergeQuery>;
export const MergeRequest = Type.Object(
  {
    keepId: Type.String({ minLength: 1, maxLength: 64 }),
    mergeIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20 }),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'version of the kept record read' })),
  },
  { additionalProperties: false },
);
export type MergeRequest = Static<typeof MergeRequest>;
export const MergeResult = Type.Object({
  dryRun: Type.Boolean(),
  keep: Type.Object({ id: Type.String(), code: Type.String() }),
  merged: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })),
  references: Type.Array(
    Type.Object({
      table: Type.String(),
      column: Type.String(),
      count: Type.Integer({ description: 'rows that point (or would point) to the kept record' }),
    }),
  ),
});
export type MergeResult = Static<typeof MergeResult>;
