import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';

export const ItemType = Type.Union([
  Type.Literal('raw'),
  Type.Literal('purchased'),
  Type.Literal('semi_finished'),
  Type.Literal('finished'),
  Type.Literal('consumable'),
  Type.Literal('tool'),
]);
export type ItemType = Static<typeof ItemType>;

/** Quantities cross the API as decimal strings with at most 3 decimals (stored as integers × 1000). */
export const QtyString = Type.String({
  pattern: '^-?\\d{1,12}(\\.\\d{1,3})?$',
  description: 'decimal, up to 3 places',
});
/** Money crosses the API as a decimal string with at most 2 decimals (stored as cents). */
export const MoneyString = Type.String({
  pattern: '^-?\\d{1,13}(\\.\\d{1,2})?$',
  description: 'decimal, up to 2 places',
});

export const Item = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  spec: Type.String(),
  type: Type.String(),
  uom: Type.String(),
  safetyStock: QtyString,
  standardCost: MoneyString,
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Item = Static<typeof Item>;

export const ItemCreate = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    spec: Type.Optional(Type.String({ maxLength: 200 })),
    type: ItemType,
    uom: Type.String({ minLength: 1, maxLength: 16 }),
    safetyStock: Type.Optional(QtyString),
    standardCost: Type.Optional(MoneyString),
  },
  { additionalProperties: false },
);
export type ItemCreate = Static<typeof ItemCreate>;

export const ItemUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    spec: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Optional(ItemType),
    uom: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    safetyStock: Type.Optional(QtyString),
    standardCost: Type.Optional(MoneyString),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ItemUpdate = Static<typeof ItemUpdate>;

export const ItemListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'code or name contains' })),
    type: Type.Optional(ItemType),
    active: Type.Optional(Type.Boolean()),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('code'),
        Type.Literal('-code'),
        Type.Literal('name'),
        Type.Literal('-name'),
        Type.Literal('updatedAt'),
        Type.Literal('-updatedAt'),
      ]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type ItemListQuery = Static<typeof ItemListQuery>;

export const ItemPage = Page(Item);
