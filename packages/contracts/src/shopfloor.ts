import { type Static, Type } from 'typebox';
import { Timestamp } from './common.ts';
import { QtyString } from './items.ts';
import { FirstArticleState } from './quality.ts';

export const OperationDispatch = Type.Object(
  {
    machineId: Type.String({ minLength: 1, maxLength: 64 }),
    operatorEmployeeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type OperationDispatch = Static<typeof OperationDispatch>;

export const OperationActionBody = Type.Object(
  {
    action: Type.Union([
      Type.Literal('start'),
      Type.Literal('pause'),
      Type.Literal('resume'),
      Type.Literal('complete'),
      Type.Literal('hold'),
      Type.Literal('unhold'),
      Type.Literal('cancel'),
      Type.Literal('retry_dispatch'),
      Type.Literal('requeue'),
    ]),
    reason: Type.Optional(Type.String({ maxLength: 300 })),
    operatorEmployeeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    closeShort: Type.Optional(Type.Boolean()),
    startedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'start only: when the operation really started, if "start" was pressed late. Not in the ' +
          'future, not before the release of the work order or the last event on the operation, at ' +
          'most 12 hours back (72 for a supervisor)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OperationActionBody = Static<typeof OperationActionBody>;

export const OperationReport = Type.Object(
  {
    idempotencyKey: Type.String({
      minLength: 8,
      maxLength: 100,
      description: 'made by the client when the report is taken; a resend counts once',
    }),
    good: QtyString,
    scrap: Type.Optional(QtyString),
    scrapReason: Type.Optional(Type.String({ maxLength: 200 })),
    reportedAt: Type.Optional(Timestamp),
    operatorEmployeeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    lots: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lotCode: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'as scanned' })),
            lotId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            qty: QtyString,
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 50,
          description:
            'material lots consumed: each is issued from its stock to the work order with the report, once',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type OperationReport = Static<typeof OperationReport>;

export const OperationState = Type.Object({
  id: Type.String(),
  workOrderId: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  machineId: Type.Union([Type.String(), Type.Null()]),
  operatorId: Type.Union([Type.String(), Type.Null()]),
  qtyGood: QtyString,
  qtyScrap: QtyString,
  dispatchError: Type.Union([Type.String(), Type.Null()]),
  externalAckAt: Type.Union([Timestamp, Type.Null()]),
  statusSince: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer(),
  firstArticle: Type.Optional(FirstArticleState),
  firstArticleRequested: Type.Optional(
    Type.Boolean({ description: 'a first-article inspection is requested and waits for its result' }),
  ),
  instructionsUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  drawingUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type OperationState = Static<typeof OperationState>;

export const ReportResult = Type.Object({
  reportId: Type.String(),
  duplicate: Type.Boolean(),
  operation: OperationState,
});

export const DispatchListQuery = Type.Object(
  {
    workCenterId: Type.Optional(Type.String({ maxLength: 64 })),
    machineId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type DispatchListQuery = Static<typeof DispatchListQuery>;

export const DispatchListEntry = Type.Object({
  operationId: Type.String(),
  workOrderId: Type.String(),
  workOrderCode: Type.String(),
  itemCode: Type.String(),
  seq: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  machineId: Type.Union([Type.String(), Type.Null()]),
  qty: QtyString,
  qtyGood: QtyString,
  plannedMinutes: Type.Integer(),
  plannedStart: Type.Union([Timestamp, Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Integer(),
});

export const DispatchTarget = Type.Object(
  { url: Type.String({ format: 'uri', maxLength: 500 }), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type DispatchTarget = Static<typeof DispatchTarget>;

export const StuckOperation = Type.Object({
  id: Type.String(),
  workOrderId: Type.String(),
  workOrderCode: Type.String(),
  seq: Type.Integer(),
  status: Type.String(),
  since: Type.String(),
  minutes: Type.Integer(),
});

export const Alert = Type.Object({
  id: Type.String(),
  severity: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  detail: Type.String(),
  entityType: Type.Union([Type.String(), Type.Null()]),
  entityId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  acknowledgedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Alert = Static<typeof Alert>;
