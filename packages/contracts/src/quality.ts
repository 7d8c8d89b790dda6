import { type Static, Type } from 'typebox';
import { Timestamp } from './common.ts';
import { QtyString } from './items.ts';

export const InspectionType = Type.Literal('first_article');
export const InspectionState = Type.Union([
  Type.Literal('requested'),
  Type.Literal('passed'),
  Type.Literal('failed'),
]);
export const FirstArticleState = Type.Union([
  Type.Literal('not_required'),
  Type.Literal('pending'),
  Type.Literal('passed'),
  Type.Literal('failed'),
]);
export type FirstArticleState = Static<typeof FirstArticleState>;

const Decimal = Type.String({ maxLength: 30, description: 'a decimal number as text, e.g. 10.05' });
const OptionalDecimal = Type.Union([Decimal, Type.Null()]);

export const InspectionCharacteristic = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  nominal: OptionalDecimal,
  lowerTol: Type.Union([Decimal, Type.Null()], { description: 'allowed deviation below nominal' }),
  upperTol: Type.Union([Decimal, Type.Null()], { description: 'allowed deviation above nominal' }),
  measured: Decimal,
  unit: Type.String({ maxLength: 20 }),
  conforming: Type.Boolean(),
});
export type InspectionCharacteristic = Static<typeof InspectionCharacteristic>;

export const Inspection = Type.Object({
  id: Type.String(),
  code: Type.String(),
  type: InspectionType,
  state: InspectionState,
  operationId: Type.String(),
  operationSeq: Type.Integer(),
  operationName: Type.String(),
  workOrderId: Type.String(),
  workOrderCode: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  machineId: Type.Union([Type.String(), Type.Null()]),
  sampleQty: Type.Union([QtyString, Type.Null()]),
  requestNote: Type.String(),
  notes: Type.String(),
  requestedBy: Type.Union([Type.String(), Type.Null()]),
  requestedAt: Timestamp,
  inspector: Type.Union([Type.String(), Type.Null()]),
  inspectedAt: Type.Union([Timestamp, Type.Null()]),
  characteristics: Type.Array(InspectionCharacteristic),
  version: Type.Integer(),
});
export type Inspection = Static<typeof Inspection>;

export const InspectionRequest = Type.Object(
  {
    operationId: Type.String({ minLength: 1, maxLength: 64 }),
    type: Type.Optional(InspectionType),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type InspectionRequest = Static<typeof InspectionRequest>;

export const InspectionResult = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    result: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    sampleQty: QtyString,
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    characteristics: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            nominal: Type.Optional(OptionalDecimal),
            lowerTol: Type.Optional(OptionalDecimal),
            upperTol: Type.Optional(OptionalDecimal),
            measured: Decimal,
            unit: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type InspectionResult = Static<typeof InspectionResult>;

export const InspectionListQuery = Type.Object(
  {
    state: Type.Optional(InspectionState),
    workOrderId: Type.Optional(Type.String({ maxLength: 64 })),
    operationId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type InspectionListQuery = Static<typeof InspectionListQuery>;
