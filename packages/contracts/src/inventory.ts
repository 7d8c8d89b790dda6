import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { QtyString } from './items.ts';

export const MoveKind = Type.Union([
  Type.Literal('receipt'),
  Type.Literal('issue'),
  Type.Literal('return'),
  Type.Literal('output'),
  Type.Literal('scrap'),
  Type.Literal('transfer'),
  Type.Literal('shipment'),
  Type.Literal('adjustment_in'),
  Type.Literal('adjustment_out'),
]);
export type MoveKind = Static<typeof MoveKind>;

const Ref = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 40 }), id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false, description: 'what the move is for, e.g. { type: "work_order", id }' },
);

export const MoveCreate = Type.Object(
  {
    kind: MoveKind,
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    qty: QtyString,
    fromLocationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    toLocationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    lot: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'lot code; required for lot-tracked items' }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
    ref: Type.Optional(Ref),
    inputLots: Type.Optional(
      Type.Array(
        Type.Object(
          {
            itemId: Type.String({ minLength: 1 }),
            lot: Type.String({ minLength: 1, maxLength: 60 }),
            qty: QtyString,
          },
          { additionalProperties: false },
        ),
        { maxItems: 200, description: 'for output: the lots consumed, recorded as genealogy' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MoveCreate = Static<typeof MoveCreate>;

export const StockMove = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  kind: MoveKind,
  itemId: Type.String(),
  qty: QtyString,
  fromLocationId: Type.Union([Type.String(), Type.Null()]),
  toLocationId: Type.Union([Type.String(), Type.Null()]),
  lot: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  ref: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  reversesId: Type.Union([Type.String(), Type.Null()]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  archived: Type.Optional(
    Type.Boolean({
      description: 'present and true when read from the archive (it can no longer be reversed)',
    }),
  ),
});
export type StockMove = Static<typeof StockMove>;

export const MoveListQuery = Type.Object(
  {
    itemId: Type.Optional(Type.String({ maxLength: 64 })),
    locationId: Type.Optional(Type.String({ maxLength: 64 })),
    refType: Type.Optional(Type.String({ maxLength: 40 })),
    refId: Type.Optional(Type.String({ maxLength: 64 })),
    archived: Type.Optional(
      Type.Boolean({
        description: 'search the archive (moves made longer ago than TAKT_ARCHIVE_AFTER_DAYS moved out)',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type MoveListQuery = Static<typeof MoveListQuery>;
export const MovePage = Page(StockMove);

export const Reverse = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Balance = Type.Object({
  itemId: Type.String(),
  itemCode: Type.String(),
  locationId: Type.String(),
  locationCode: Type.String(),
  warehouseId: Type.String(),
  lot: Type.Union([Type.String(), Type.Null()]),
  onHand: QtyString,
  updatedAt: Timestamp,
});
export type Balance = Static<typeof Balance>;

export const BalanceListQuery = Type.Object(
  {
    itemId: Type.Optional(Type.String({ maxLength: 64 })),
    locationId: Type.Optional(Type.String({ maxLength: 64 })),
    warehouseId: Type.Optional(Type.String({ maxLength: 64 })),
    includeZero: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type BalanceListQuery = Static<typeof BalanceListQuery>;
export const BalancePage = Page(Balance);

export const Availability = Type.Object({
  itemId: Type.String(),
  onHand: QtyString,
  reserved: QtyString,
  available: QtyString,
  byLocation: Type.Array(
    Type.Object({
      locationId: Type.String(),
      lot: Type.Union([Type.String(), Type.Null()]),
      onHand: QtyString,
    }),
  ),
});
export type Availability = Static<typeof Availability>;

export const ReservationCreate = Type.Object(
  {
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    qty: QtyString,
    demandType: Type.Union([
      Type.Literal('sales_order_line'),
      Type.Literal('work_order_material'),
      Type.Literal('manual'),
    ]),
    demandId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type ReservationCreate = Static<typeof ReservationCreate>;

export const Reservation = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  qty: QtyString,
  demandType: Type.String(),
  demandId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('consumed'), Type.Literal('released')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Reservation = Static<typeof Reservation>;

export const CountCreate = Type.Object(
  {
    locationId: Type.String({ minLength: 1, maxLength: 64 }),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
    lines: Type.Array(
      Type.Object(
        {
          itemId: Type.String({ minLength: 1, maxLength: 64 }),
          lot: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          countedQty: QtyString,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);
export type CountCreate = Static<typeof CountCreate>;

export const CountResult = Type.Object({ adjustments: Type.Array(StockMove), unchanged: Type.Integer() });

export const LedgerFinding = Type.Object({
  itemId: Type.String(),
  locationId: Type.String(),
  lot: Type.Union([Type.String(), Type.Null()]),
  balance: QtyString,
  sumOfMoves: QtyString,
});
export type LedgerFinding = Static<typeof LedgerFinding>;

export const Genealogy = Type.Object({
  lot: Type.Object({ id: Type.String(), itemId: Type.String(), code: Type.String() }),
  inputs: Type.Array(
    Type.Object({
      lotId: Type.String(),
      itemId: Type.String(),
      code: Type.String(),
      qty: QtyString,
      depth: Type.Integer(),
    }),
  ),
  outputs: Type.Array(
    Type.Object({
      lotId: Type.String(),
      itemId: Type.String(),
      code: Type.String(),
      qty: QtyString,
      depth: Type.Integer(),
    }),
  ),
});
export type Genealogy = Static<typeof Genealogy>;
