import { type Static, type TSchema, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { MoneyString, QtyString } from './items.ts';

/** Sales orders and shipments: the sales side of the order-to-delivery loop. */

export const SalesOrderStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('confirmed'),
  Type.Literal('in_production'),
  Type.Literal('partially_shipped'),
  Type.Literal('shipped'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
]);
export type SalesOrderStatus = Static<typeof SalesOrderStatus>;

const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date YYYY-MM-DD' });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const SalesOrderLineInput = Type.Object(
  {
    itemId: Id,
    qty: QtyString,
    unitPrice: MoneyString,
    /** The quantity the unit price is for (default 1): cheap parts are priced per 1000 pcs. */
    pricePer: Type.Optional(QtyString),
    requestedDate: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);
export type SalesOrderLineInput = Static<typeof SalesOrderLineInput>;

export const SalesOrderCreate = Type.Object(
  {
    customerId: Id,
    externalRef: Type.Optional(Type.String({ maxLength: 60, description: "the customer's PO number" })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, default CNY' })),
    dueDate: Type.Optional(DateOnly),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Array(SalesOrderLineInput, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type SalesOrderCreate = Static<typeof SalesOrderCreate>;

/** A line change: `id` names an existing line; without it the line is new; missing lines are removed. */
export const SalesOrderLineChange = Type.Object(
  {
    id: Type.Optional(Id),
    itemId: Type.Optional(Id),
    qty: QtyString,
    unitPrice: Type.Optional(MoneyString),
    pricePer: Type.Optional(QtyString),
    requestedDate: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);
export type SalesOrderLineChange = Static<typeof SalesOrderLineChange>;

export const SalesOrderUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version read (409 STALE_VERSION otherwise)' }),
    externalRef: Type.Optional(Type.String({ maxLength: 60 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    dueDate: Type.Optional(Nullable(DateOnly)),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    lines: Type.Optional(Type.Array(SalesOrderLineChange, { minItems: 1, maxItems: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 200, description: 'why a confirmed order changes' })),
  },
  { additionalProperties: false },
);
export type SalesOrderUpdate = Static<typeof SalesOrderUpdate>;

export const SalesOrderAction = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type SalesOrderAction = Static<typeof SalesOrderAction>;

export const PriorityFactorOut = Type.Object({
  factor: Type.String(),
  raw: Type.Union([Type.Number(), Type.String()]),
  normalised: Type.Number(),
  weight: Type.Number(),
  contribution: Type.Number(),
});

export const SalesOrderPriority = Type.Object({
  score: Type.Number({ description: '0..100, higher first' }),
  dueDate: DateOnly,
  computedOn: DateOnly,
  breakdown: Type.Array(PriorityFactorOut),
});

export const SalesOrderLine = Type.Object({
  id: Type.String(),
  lineNo: Type.Integer(),
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  uom: Type.String(),
  qty: QtyString,
  unitPrice: MoneyString,
  pricePer: QtyString,
  amount: MoneyString,
  requestedDate: DateOnly,
  promisedDate: Nullable(DateOnly),
  reserved: QtyString,
  shipped: QtyString,
  shortage: QtyString,
});
export type SalesOrderLine = Static<typeof SalesOrderLine>;

export const SalesOrder = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'SO-YYMMDD-NNNN' }),
  customerId: Type.String(),
  customerCode: Type.String(),
  customerName: Type.String(),
  customerTier: Type.String(),
  externalRef: Type.String(),
  currency: Type.String(),
  status: SalesOrderStatus,
  dueDate: DateOnly,
  orderValue: MoneyString,
  priority: SalesOrderPriority,
  note: Type.String(),
  lines: Type.Array(SalesOrderLine),
  version: Type.Integer(),
  confirmedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SalesOrder = Static<typeof SalesOrder>;

export const SalesOrderSummary = Type.Omit(SalesOrder, ['lines']);
export type SalesOrderSummary = Static<typeof SalesOrderSummary>;
export const SalesOrderPage = Page(SalesOrderSummary);
export const SalesOrderLines = Type.Object({ items: Type.Array(SalesOrderLine) });

export const SalesOrderListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'one status or several separated by commas (draft, confirmed, in_production, ' +
          'partially_shipped, shipped, closed, cancelled); an unknown one is refused',
      }),
    ),
    customerId: Type.Optional(Id),
    dueFrom: Type.Optional(DateOnly),
    dueTo: Type.Optional(DateOnly),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'code, external reference or customer' })),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('code'),
        Type.Literal('-code'),
        Type.Literal('dueDate'),
        Type.Literal('-dueDate'),
        Type.Literal('priority'),
        Type.Literal('-priority'),
        Type.Literal('createdAt'),
        Type.Literal('-createdAt'),
      ]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type SalesOrderListQuery = Static<typeof SalesOrderListQuery>;

export const ShipmentLineInput = Type.Object(
  {
    lineId: Id,
    qty: QtyString,
    fromLocationId: Id,
    lot: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'for lot-tracked items' })),
  },
  { additionalProperties: false },
);
export const ShipmentCreate = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 300 })),
    lines: Type.Array(ShipmentLineInput, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type ShipmentCreate = Static<typeof ShipmentCreate>;

export const Shipment = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'SH-YYMMDD-NNNN' }),
  salesOrderId: Type.String(),
  note: Type.String(),
  lines: Type.Array(
    Type.Object({
      id: Type.String(),
      lineId: Type.String(),
      itemId: Type.String(),
      qty: QtyString,
      fromLocationId: Type.String(),
      lot: Nullable(Type.String()),
      moveId: Type.String(),
    }),
  ),
  actorId: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Shipment = Static<typeof Shipment>;
export const ShipmentList = Type.Object({ items: Type.Array(Shipment) });
export const ShipmentParams = Type.Object({ id: Id, shipmentId: Id }, { additionalProperties: false });

export const SalesOrderProgress = Type.Object({
  id: Type.String(),
  code: Type.String(),
  status: SalesOrderStatus,
  lines: Type.Array(
    Type.Object({
      id: Type.String(),
      lineNo: Type.Integer(),
      itemId: Type.String(),
      itemCode: Type.String(),
      ordered: QtyString,
      reserved: QtyString,
      shipped: QtyString,
      remaining: QtyString,
      promisedDate: Nullable(DateOnly),
      workOrders: Type.Array(
        Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), qty: QtyString }),
        { description: 'filled once production links work orders to order lines' },
      ),
    }),
  ),
  shipments: Type.Integer(),
});
export type SalesOrderProgress = Static<typeof SalesOrderProgress>;
