import { type Static, Type } from 'typebox';
import { Page, Timestamp } from './common.ts';
import { CustomFieldFilter, StoredCustomFields, WithCustomFields } from './custom-fields.ts';
import { QtyString } from './items.ts';

const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD (plant calendar date)' });

/** The work-order states (WORK_ORDER_STATUSES of the domain's state machine, in its order). */
export const WorkOrderStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('released'),
  Type.Literal('dispatched'),
  Type.Literal('in_progress'),
  Type.Literal('paused'),
  Type.Literal('completed'),
  Type.Literal('closed'),
  Type.Literal('on_hold'),
  Type.Literal('cancelled'),
]);
export type WorkOrderStatus = Static<typeof WorkOrderStatus>;

export const WorkOrderCreate = Type.Object(
  {
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    qty: QtyString,
    dueDate: Type.Optional(DateOnly),
    salesOrderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    salesOrderLineId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    withChildren: Type.Optional(
      Type.Boolean({ description: 'create child work orders for made components (default true)' }),
    ),
    ...WithCustomFields,
  },
  { additionalProperties: false },
);
export type WorkOrderCreate = Static<typeof WorkOrderCreate>;

export const WorkOrderMaterial = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  qtyRequired: QtyString,
  qtyIssued: QtyString,
  operationSeq: Type.Union([Type.Integer(), Type.Null()]),
  childWorkOrderId: Type.Union([Type.String(), Type.Null()]),
});

export const WorkOrderOperation = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  workCenterId: Type.String(),
  machineId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  setupMinutes: Type.Integer(),
  plannedMinutes: Type.Integer(),
  qtyGood: QtyString,
  qtyScrap: QtyString,
  inspection: Type.Boolean(),
  instructionsUrl: Type.Union([Type.String(), Type.Null()]),
  drawingUrl: Type.Union([Type.String(), Type.Null()]),
});

export const WorkOrderSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  itemId: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  qty: QtyString,
  qtyGood: QtyString,
  qtyScrap: QtyString,
  qtyReceived: QtyString,
  status: Type.String(),
  heldFrom: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  rootId: Type.String(),
  salesOrderId: Type.Union([Type.String(), Type.Null()]),
  salesOrderLineId: Type.Union([Type.String(), Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Integer(),
  hasBom: Type.Boolean(),
  hasRouting: Type.Boolean(),
  /** Present and true when the order was read from the archive (read-only). */
  archived: Type.Optional(Type.Boolean()),
  ...StoredCustomFields,
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WorkOrderSummary = Static<typeof WorkOrderSummary>;

export const WorkOrderDetail = Type.Intersect([
  WorkOrderSummary,
  Type.Object({
    materials: Type.Array(WorkOrderMaterial),
    operations: Type.Array(WorkOrderOperation),
    children: Type.Array(
      Type.Object({ id: Type.String(), code: Type.String(), status: Type.String(), itemCode: Type.String() }),
    ),
    history: Type.Array(
      Type.Object({
        action: Type.String({
          description: 'The order’s own action, or `operation.<action>` for one of its operations',
        }),
        operationId: Type.Union([Type.String(), Type.Null()], {
          description: 'The operation the row is about; null for the order’s own actions',
        }),
        from: Type.String(),
        to: Type.String(),
        reason: Type.Union([Type.String(), Type.Null()]),
        actorId: Type.Union([Type.String(), Type.Null()]),
        at: Timestamp,
      }),
    ),
  }),
]);
export type WorkOrderDetail = Static<typeof WorkOrderDetail>;

export const WorkOrderListQuery = Type.Object(
  {
    status: Type.Optional(WorkOrderStatus),
    itemId: Type.Optional(Type.String({ maxLength: 64 })),
    salesOrderId: Type.Optional(Type.String({ maxLength: 64 })),
    rootId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 60, description: 'code contains' })),
    archived: Type.Optional(
      Type.Boolean({
        description: 'search the archive (closed orders moved out after TAKT_ARCHIVE_AFTER_DAYS)',
      }),
    ),
    ...CustomFieldFilter,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type WorkOrderListQuery = Static<typeof WorkOrderListQuery>;
export const WorkOrderPage = Page(WorkOrderSummary);

export const WorkOrderActionName = Type.Union([
  Type.Literal('release'),
  Type.Literal('dispatch'),
  Type.Literal('start'),
  Type.Literal('pause'),
  Type.Literal('resume'),
  Type.Literal('complete'),
  Type.Literal('close'),
  Type.Literal('hold'),
  Type.Literal('unhold'),
  Type.Literal('cancel'),
]);

export const WorkOrderAction = Type.Object(
  {
    action: WorkOrderActionName,
    version: Type.Integer({ minimum: 1 }),
    reason: Type.Optional(Type.String({ maxLength: 300 })),
    closeShort: Type.Optional(
      Type.Boolean({ description: 'with complete: accept less than planned (needs a reason)' }),
    ),
    cascade: Type.Optional(
      Type.Boolean({ description: 'with cancel: also cancel child work orders that have no output' }),
    ),
  },
  { additionalProperties: false },
);
export type WorkOrderAction = Static<typeof WorkOrderAction>;

export const MaterialIssue = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          materialId: Type.String({ minLength: 1, maxLength: 64 }),
          qty: QtyString,
          fromLocationId: Type.String({ minLength: 1, maxLength: 64 }),
          lot: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type MaterialIssue = Static<typeof MaterialIssue>;

export const OutputReport = Type.Object(
  {
    goodQty: QtyString,
    scrapQty: Type.Optional(QtyString),
    scrapReason: Type.Optional(Type.String({ maxLength: 200 })),
    toLocationId: Type.String({ minLength: 1, maxLength: 64 }),
    lot: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    backflushFromLocationId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'issue the materials this output consumed from here',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OutputReport = Static<typeof OutputReport>;
