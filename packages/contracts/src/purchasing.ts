import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { MoneyString, QtyString } from './items.ts';

/** Purchasing (purchase orders, receipts, returns, late lines) and MRP runs with their results. */
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'plant-local date YYYY-MM-DD' });
const Id = Type.String({ minLength: 1, maxLength: 64 });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Percent = Type.String({
  pattern: '^\\d{1,3}(\\.\\d{1,2})?$',
  description: 'percent, up to 2 places, e.g. "5" or "2.5"',
});
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 }));
const Cursor = Type.Optional(Type.String({ maxLength: 512 }));

export const PoStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('approved'),
  Type.Literal('sent'),
  Type.Literal('partially_received'),
  Type.Literal('received'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
]);
export type PoStatus = Static<typeof PoStatus>;

export const PoLineInput = Type.Object(
  {
    itemId: Id,
    qty: QtyString,
    unitPrice: Type.Optional(MoneyString),
    dueDate: Day,
  },
  { additionalProperties: false },
);
export type PoLineInput = Static<typeof PoLineInput>;

export const PurchaseOrderCreate = Type.Object(
  {
    supplierId: Id,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    overReceiptTolerance: Type.Optional(Percent),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    lines: Type.Array(PoLineInput, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type PurchaseOrderCreate = Static<typeof PurchaseOrderCreate>;

export const PurchaseOrderUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    overReceiptTolerance: Type.Optional(Percent),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    lines: Type.Optional(Type.Array(PoLineInput, { minItems: 1, maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type PurchaseOrderUpdate = Static<typeof PurchaseOrderUpdate>;

export const CancelBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type CancelBody = Static<typeof CancelBody>;

export const PurchaseOrderLine = Type.Object({
  id: Type.String(),
  lineNo: Type.Integer(),
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  uom: Type.String(),
  qty: QtyString,
  receivedQty: QtyString,
  returnedQty: QtyString,
  openQty: QtyString,
  unitPrice: MoneyString,
  amount: MoneyString,
  dueDate: Day,
  status: Type.String({ description: 'open | partially_received | received | cancelled' }),
  plannedOrderId: OrNull(Type.String()),
});
export type PurchaseOrderLine = Static<typeof PurchaseOrderLine>;

export const PurchaseOrder = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'PO-YYMMDD-NNNN' }),
  supplierId: Type.String(),
  supplierCode: Type.String(),
  supplierName: Type.String(),
  status: PoStatus,
  currency: Type.String(),
  overReceiptTolerance: Percent,
  notes: Type.String(),
  total: MoneyString,
  lines: Type.Array(PurchaseOrderLine),
  createdBy: OrNull(Type.String()),
  approvedBy: OrNull(Type.String()),
  approvedAt: OrNull(Timestamp),
  sentAt: OrNull(Timestamp),
  closedAt: OrNull(Timestamp),
  cancelledAt: OrNull(Timestamp),
  cancelReason: OrNull(Type.String()),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type PurchaseOrder = Static<typeof PurchaseOrder>;
export const PurchaseOrderPage = Page(PurchaseOrder);

export const PurchaseOrderListQuery = Type.Object(
  {
    status: Type.Optional(PoStatus),
    supplierId: Type.Optional(Id),
    itemId: Type.Optional(Id),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);
export type PurchaseOrderListQuery = Static<typeof PurchaseOrderListQuery>;

const MoveLine = Type.Object(
  {
    lineId: Id,
    qty: QtyString,
    lot: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'required for lot-tracked items' }),
    ),
  },
  { additionalProperties: false },
);

export const ReceiptCreate = Type.Object(
  {
    locationId: Id,
    note: Type.Optional(Type.String({ maxLength: 200 })),
    lines: Type.Array(MoveLine, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type ReceiptCreate = Static<typeof ReceiptCreate>;

export const ReturnCreate = Type.Object(
  {
    locationId: Type.String({ minLength: 1, maxLength: 64, description: 'where the goods leave from' }),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
    lines: Type.Array(MoveLine, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type ReturnCreate = Static<typeof ReturnCreate>;

export const PurchaseReceipt = Type.Object({
  id: Type.String(),
  lineId: Type.String(),
  kind: Type.Union([Type.Literal('receipt'), Type.Literal('return')]),
  itemId: Type.String(),
  qty: QtyString,
  locationId: Type.String(),
  lot: OrNull(Type.String()),
  moveId: Type.String(),
  reason: OrNull(Type.String()),
  createdAt: Timestamp,
});
export type PurchaseReceipt = Static<typeof PurchaseReceipt>;
export const ReceiptResult = Type.Object({
  purchaseOrder: PurchaseOrder,
  receipts: Type.Array(PurchaseReceipt),
});
export type ReceiptResult = Static<typeof ReceiptResult>;
export const PurchaseReceiptPage = Page(PurchaseReceipt);

export const LateQuery = Type.Object(
  {
    asOf: Type.Optional(Day),
    supplierId: Type.Optional(Id),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);
export type LateQuery = Static<typeof LateQuery>;
export const LateLine = Type.Object({
  id: Type.String({ description: 'the purchase order line' }),
  purchaseOrderId: Type.String(),
  purchaseOrderCode: Type.String(),
  supplierId: Type.String(),
  supplierCode: Type.String(),
  lineNo: Type.Integer(),
  itemId: Type.String(),
  itemCode: Type.String(),
  qty: QtyString,
  receivedQty: QtyString,
  openQty: QtyString,
  dueDate: Day,
  daysLate: Type.Integer(),
});
export type LateLine = Static<typeof LateLine>;
export const LatePage = Page(LateLine);

export const FromPlanned = Type.Object(
  { plannedOrderIds: Type.Array(Id, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type FromPlanned = Static<typeof FromPlanned>;
export const FromPlannedResult = Type.Object({
  purchaseOrders: Type.Array(PurchaseOrder, { description: 'orders created by this request' }),
  alreadyOrdered: Type.Array(
    Type.Object({ plannedOrderId: Type.String(), purchaseOrderId: Type.String(), lineId: Type.String() }),
  ),
});
export type FromPlannedResult = Static<typeof FromPlannedResult>;

export const PrintQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])) },
  { additionalProperties: false },
);

export const PurchasingSettings = Type.Object({
  requireSeparateApprover: Type.Boolean({ description: 'the creator of an order may not approve it' }),
  overReceiptTolerance: Percent,
  plantTimeZone: Type.String(),
  version: Type.Integer(),
});
export type PurchasingSettings = Static<typeof PurchasingSettings>;
export const PurchasingSettingsUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    requireSeparateApprover: Type.Optional(Type.Boolean()),
    overReceiptTolerance: Type.Optional(Percent),
    plantTimeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type PurchasingSettingsUpdate = Static<typeof PurchasingSettingsUpdate>;

// ---- MRP ----

export const MrpRunCreate = Type.Object(
  { start: Type.Optional(Day) },
  { additionalProperties: false, description: 'start: first planning day (default: today at the plant)' },
);
export type MrpRunCreate = Static<typeof MrpRunCreate>;

export const MrpRun = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  trigger: Type.String(),
  planStart: Day,
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  requestedBy: OrNull(Type.String()),
  summary: Type.Record(Type.String(), Type.Number(), {
    description: 'counts: items, bomLines, demands, receipts, plannedOrders, buy, make, shortages, actions …',
  }),
  error: OrNull(Type.String()),
  createdAt: Timestamp,
  startedAt: OrNull(Timestamp),
  finishedAt: OrNull(Timestamp),
});
export type MrpRun = Static<typeof MrpRun>;
export const MrpRunPage = Page(MrpRun);

export const MrpResultQuery = Type.Object(
  {
    itemId: Type.Optional(Id),
    kind: Type.Optional(
      Type.String({ maxLength: 20, description: 'buy | make; expedite | defer | cancel | release' }),
    ),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);
export type MrpResultQuery = Static<typeof MrpResultQuery>;

export const MrpPlannedOrder = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  kind: Type.Union([Type.Literal('buy'), Type.Literal('make')]),
  itemId: Type.String(),
  itemCode: Type.String(),
  qty: QtyString,
  releaseDate: Day,
  dueDate: Day,
  pastDue: Type.Boolean(),
  supplierId: OrNull(Type.String()),
  pegging: Type.Array(
    Type.Object({
      source: Type.Object({ kind: Type.String(), id: OrNull(Type.String()) }),
      qty: QtyString,
    }),
  ),
});
export type MrpPlannedOrder = Static<typeof MrpPlannedOrder>;
export const MrpPlannedOrderPage = Page(MrpPlannedOrder);

export const MrpShortage = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  date: Day,
  qty: QtyString,
  plannedOrderId: Type.String(),
  releaseDate: Day,
});
export type MrpShortage = Static<typeof MrpShortage>;
export const MrpShortagePage = Page(MrpShortage);

export const MrpAction = Type.Object({
  id: Type.String(),
  kind: Type.Union([
    Type.Literal('expedite'),
    Type.Literal('defer'),
    Type.Literal('cancel'),
    Type.Literal('release'),
  ]),
  itemId: Type.String(),
  itemCode: Type.String(),
  qty: QtyString,
  receipt: OrNull(Type.Object({ type: Type.String(), id: Type.String() })),
  plannedOrderId: OrNull(Type.String()),
  currentDue: OrNull(Day),
  suggestedDue: OrNull(Day),
  pastDue: Type.Boolean(),
});
export type MrpAction = Static<typeof MrpAction>;
export const MrpActionPage = Page(MrpAction);

export const MrpDemandCreate = Type.Object(
  {
    itemId: Id,
    qty: QtyString,
    dueDate: Day,
    kind: Type.Optional(Type.Union([Type.Literal('forecast'), Type.Literal('other')])),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MrpDemandCreate = Static<typeof MrpDemandCreate>;
export const MrpDemand = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  qty: QtyString,
  dueDate: Day,
  kind: Type.String(),
  note: Type.String(),
  createdAt: Timestamp,
});
export type MrpDemand = Static<typeof MrpDemand>;
export const MrpDemandPage = Page(MrpDemand);
