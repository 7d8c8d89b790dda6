import { type Static, Type } from 'typebox';
import { Page, Timestamp } from '../common.ts';
import { QtyString } from '../items.ts';
import { BasisPointsInt, DateString, MfgListQuery, RefId, VersionStatus } from './common.ts';

const Label = Type.String({ minLength: 1, maxLength: 40, description: 'version label, e.g. V1 or 2026A' });

export const BomLineInput = Type.Object(
  {
    componentItemId: RefId,
    qtyPer: QtyString,
    scrapBp: Type.Optional(BasisPointsInt(10000, 'expected scrap in basis points, 2.5 % = 250')),
    position: Type.Optional(Type.Integer({ minimum: 1, maximum: 99999, description: 'default 10, 20, …' })),
    operationSeq: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 9999 }), Type.Null()], {
        description: 'routing operation the component is issued at',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BomLineInput = Static<typeof BomLineInput>;

export const BomLine = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  componentItemId: Type.String(),
  componentCode: Type.String(),
  qtyPer: QtyString,
  scrapBp: Type.Integer(),
  operationSeq: Type.Union([Type.Integer(), Type.Null()]),
});
export type BomLine = Static<typeof BomLine>;

export const Bom = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  versionLabel: Type.String(),
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
  status: VersionStatus,
  lines: Type.Array(BomLine),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Bom = Static<typeof Bom>;

const Lines = Type.Array(BomLineInput, { maxItems: 500 });

export const BomCreate = Type.Object(
  {
    itemId: RefId,
    versionLabel: Label,
    effectiveFrom: Type.Optional(DateString),
    effectiveTo: Type.Optional(DateString),
    lines: Lines,
  },
  { additionalProperties: false },
);
export type BomCreate = Static<typeof BomCreate>;

export const BomUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    versionLabel: Type.Optional(Label),
    effectiveFrom: Type.Optional(Type.Union([DateString, Type.Null()])),
    effectiveTo: Type.Optional(Type.Union([DateString, Type.Null()])),
    lines: Type.Optional(Lines),
  },
  { additionalProperties: false },
);
export type BomUpdate = Static<typeof BomUpdate>;

export const BomListQuery = MfgListQuery(
  {
    itemId: Type.Optional(RefId),
    status: Type.Optional(VersionStatus),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'item code contains' })),
  },
  ['itemCode', 'updatedAt'],
);
export type BomListQuery = Static<typeof BomListQuery>;

export const QtyQuery = Type.Object({ qty: Type.Optional(QtyString) }, { additionalProperties: false });
export type QtyQuery = Static<typeof QtyQuery>;

export const ExplosionLine = Type.Object({
  level: Type.Integer({ description: '1 = direct component of the exploded item' }),
  path: Type.Array(Type.String(), { description: 'item codes from the top item down to this one' }),
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  uom: Type.String(),
  qtyPer: QtyString,
  scrapBp: Type.Integer(),
  requiredQty: QtyString,
  operationSeq: Type.Union([Type.Integer(), Type.Null()]),
  bomId: Type.Union([Type.String(), Type.Null()], { description: 'active BOM exploded below, if any' }),
});
export type ExplosionLine = Static<typeof ExplosionLine>;

export const Explosion = Type.Object({
  bomId: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  qty: QtyString,
  lines: Type.Array(ExplosionLine),
});
export type Explosion = Static<typeof Explosion>;

export const WhereUsedLine = Type.Object({
  level: Type.Integer({ description: '1 = direct parent' }),
  path: Type.Array(Type.String(), { description: 'item codes from the queried item up to the parent' }),
  parentItemId: Type.String(),
  parentCode: Type.String(),
  parentName: Type.String(),
  bomId: Type.String(),
  bomVersionLabel: Type.String(),
  componentCode: Type.String(),
  qtyPer: QtyString,
  scrapBp: Type.Integer(),
});
export type WhereUsedLine = Static<typeof WhereUsedLine>;

export const WhereUsed = Type.Object({
  itemId: Type.String(),
  itemCode: Type.String(),
  usages: Type.Array(WhereUsedLine),
});
export type WhereUsed = Static<typeof WhereUsed>;

export const BomPage = Page(Bom);
