import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { CustomFieldFilter, StoredCustomFields, WithCustomFields } from './custom-fields.ts';

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

export const Tracking = Type.Union([Type.Literal('none'), Type.Literal('lot'), Type.Literal('serial')]);
export type Tracking = Static<typeof Tracking>;

const Uom = Type.String({ minLength: 1, maxLength: 16 });

/** One `from` unit is exactly `num / den` `to` units (a box of 12 pcs: box → pcs, 12/1). */
export const UomConversion = Type.Object(
  {
    from: Uom,
    to: Uom,
    num: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    den: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  },
  { additionalProperties: false },
);
export type UomConversion = Static<typeof UomConversion>;

/** Something worth a second look that did not stop the change (e.g. a near-duplicate). */
export const Warning = Type.Object({
  code: Type.String({ description: 'e.g. NEAR_DUPLICATE, MAINTENANCE_DUE' }),
  message: Type.String(),
  duplicates: Type.Optional(Type.Array(Type.String(), { description: 'codes of the similar records' })),
});
export type Warning = Static<typeof Warning>;

const LeadDays = Type.Integer({ minimum: 0, maximum: 3650 });

export const Item = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  spec: Type.String(),
  type: Type.String(),
  uom: Type.String(),
  safetyStock: QtyString,
  standardCost: MoneyString,
  tracking: Tracking,
  defaultWarehouseId: Type.Union([Type.String(), Type.Null()]),
  purchaseLeadDays: Type.Integer(),
  productionLeadDays: Type.Integer(),
  minOrderQty: QtyString,
  orderMultiple: QtyString,
  conversions: Type.Array(UomConversion),
  ...StoredCustomFields,
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  warnings: Type.Optional(Type.Array(Warning)),
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
    tracking: Type.Optional(Tracking),
    defaultWarehouseId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    purchaseLeadDays: Type.Optional(LeadDays),
    productionLeadDays: Type.Optional(LeadDays),
    minOrderQty: Type.Optional(QtyString),
    orderMultiple: Type.Optional(QtyString),
    conversions: Type.Optional(
      Type.Array(UomConversion, { maxItems: 20, description: 'replaces the whole list when sent' }),
    ),
    ...WithCustomFields,
  },
  { additionalProperties: false },
);
export type ItemCreate = Static<typeof ItemCreate>;

export const ItemUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read; a stale one gets 409' }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    spec: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Optional(ItemType),
    uom: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    safetyStock: Type.Optional(QtyString),
    standardCost: Type.Optional(MoneyString),
    tracking: Type.Optional(Tracking),
    defaultWarehouseId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    purchaseLeadDays: Type.Optional(LeadDays),
    productionLeadDays: Type.Optional(LeadDays),
    minOrderQty: Type.Optional(QtyString),
    orderMultiple: Type.Optional(QtyString),
    conversions: Type.Optional(
      Type.Array(UomConversion, { maxItems: 20, description: 'replaces the whole list when sent' }),
    ),
    ...WithCustomFields,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ItemUpdate = Static<typeof ItemUpdate>;

export const ItemListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'code or name contains' })),
    type: Type.Optional(ItemType),
    tracking: Type.Optional(Tracking),
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
    ...CustomFieldFilter,
  },
  { additionalProperties: false },
);
export type ItemListQuery = Static<typeof ItemListQuery>;

export const ItemPage = Page(Item);

export const ConvertQuery = Type.Object(
  {
    qty: QtyString,
    from: Uom,
    to: Uom,
    rounding: Type.Optional(
      Type.Union([
        Type.Literal('half_up'),
        Type.Literal('half_even'),
        Type.Literal('floor'),
        Type.Literal('ceil'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type ConvertQuery = Static<typeof ConvertQuery>;

export const ConvertResult = Type.Object({
  qty: QtyString,
  from: Type.String(),
  to: Type.String(),
  result: QtyString,
  factor: Type.Object({ num: Type.Integer(), den: Type.Integer() }),
  exact: Type.Boolean({ description: 'false when the result had to be rounded to 3 decimals' }),
});
export type ConvertResult = Static<typeof ConvertResult>;

export const NearDuplicateQuery = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    spec: Type.Optional(Type.String({ maxLength: 200 })),
    excludeId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type NearDuplicateQuery = Static<typeof NearDuplicateQuery>;

export const NearDuplicates = Type.Object({
  key: Type.String(),
  items: Type.Array(
    Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), spec: Type.String() }),
  ),
});
export type NearDuplicates = Static<typeof NearDuplicates>;
