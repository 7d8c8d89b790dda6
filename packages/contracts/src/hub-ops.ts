import { type Static, Type } from 'typebox';
import { Page } from './common.ts';
import { FindingState, ReconciliationRun } from './hub.ts';

/** Reconciliation runs and findings, alert rules and notifications: the operator side of the hub. */
const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
const Cursor = Type.Optional(Type.String({ maxLength: 512 }));

export const ReconCheck = Type.Union([
  Type.Literal('ledger_balance'),
  Type.Literal('work_order_output'),
  Type.Literal('sales_line_shipped'),
  Type.Literal('purchase_line_received'),
  Type.Literal('stale_reservation'),
  Type.Literal('webhook_deliveries'),
  Type.Literal('broker_status'),
  Type.Literal('report_read_model'),
]);

export const ReconRunQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), cursor: Cursor },
  { additionalProperties: false },
);
export type ReconRunQuery = Static<typeof ReconRunQuery>;
export const ReconRunPage = Page(ReconciliationRun);

export const ReconFinding = Type.Object({
  id: Type.String(),
  runId: Type.String(),
  check: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  entityCode: Type.String(),
  expected: Type.String(),
  actual: Type.String(),
  details: Type.Unknown(),
  state: FindingState,
  note: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ReconFinding = Static<typeof ReconFinding>;
export const ReconFindingPage = Page(ReconFinding);

const findingFilters = {
  runId: Type.Optional(Type.String({ maxLength: 64 })),
  check: Type.Optional(ReconCheck),
  state: Type.Optional(FindingState),
};
export const ReconFindingQuery = Type.Object(
  {
    ...findingFilters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Cursor,
  },
  { additionalProperties: false },
);
export type ReconFindingQuery = Static<typeof ReconFindingQuery>;
export const ReconFindingCsvQuery = Type.Object(findingFilters, { additionalProperties: false });
export type ReconFindingCsvQuery = Static<typeof ReconFindingCsvQuery>;

export const AlertRuleUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    minSeverity: Type.Optional(Severity),
    channelId: Type.Optional(Type.String({ maxLength: 64 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AlertRuleUpdate = Static<typeof AlertRuleUpdate>;

export const AlertNotification = Type.Object({
  id: Type.String(),
  channelId: Type.String(),
  alertId: Type.Union([Type.String(), Type.Null()]),
  alertKind: Type.String(),
  severity: Type.String(),
  title: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('sent'),
    Type.Literal('suppressed'),
    Type.Literal('summarised'),
    Type.Literal('failed'),
  ]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  summaryOf: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});
export type AlertNotification = Static<typeof AlertNotification>;
export const AlertNotificationPage = Page(AlertNotification);
export const AlertNotificationQuery = Type.Object(
  {
    channelId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('sent'),
        Type.Literal('suppressed'),
        Type.Literal('summarised'),
        Type.Literal('failed'),
      ]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Cursor,
  },
  { additionalProperties: false },
);
export type AlertNotificationQuery = Static<typeof AlertNotificationQuery>;
