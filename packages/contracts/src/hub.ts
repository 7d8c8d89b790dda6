import { type Static, Type } from 'typebox';
import { Page } from './common.ts';

/** Integration hub: webhooks, reconciliation, alert channels, monitor. */
const Url = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' });
const Pattern = Type.String({
  minLength: 1,
  maxLength: 120,
  pattern: '^(\\*|[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?)$',
});
const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const WebhookFilter = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { description: 'event fields that must equal these values, by path: `aggregateType`, `data.status`' },
);

export const WebhookSubscriptionCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    url: Url,
    eventTypes: Type.Array(Pattern, { minItems: 1, maxItems: 50 }),
    filter: Type.Optional(Type.Union([WebhookFilter, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WebhookSubscriptionCreate = Static<typeof WebhookSubscriptionCreate>;

export const WebhookSubscriptionUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    url: Type.Optional(Url),
    eventTypes: Type.Optional(Type.Array(Pattern, { minItems: 1, maxItems: 50 })),
    filter: Type.Optional(Type.Union([WebhookFilter, Type.Null()])),
    active: Type.Optional(Type.Boolean({ description: 'true re-enables an endpoint disabled by failures' })),
  },
  { additionalProperties: false },
);
export type WebhookSubscriptionUpdate = Static<typeof WebhookSubscriptionUpdate>;

export const WebhookSubscription = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  filter: Type.Union([WebhookFilter, Type.Null()]),
  active: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  consecutiveFailures: Type.Integer(),
  failingSince: Type.Union([Type.String(), Type.Null()]),
  previousSecretValidUntil: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type WebhookSubscription = Static<typeof WebhookSubscription>;
export const WebhookSubscriptionList = Type.Object({ items: Type.Array(WebhookSubscription) });

/** Returned once, on creation and on rotation: the signing secret is not shown again. */
export const WebhookSubscriptionWithSecret = Type.Intersect([
  WebhookSubscription,
  Type.Object({ secret: Type.String({ description: 'whsec_…; store it now, it is not shown again' }) }),
]);
export type WebhookSubscriptionWithSecret = Static<typeof WebhookSubscriptionWithSecret>;

export const WebhookReplayRange = Type.Object(
  {
    fromSeq: Type.Integer({ minimum: 1 }),
    toSeq: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type WebhookReplayRange = Static<typeof WebhookReplayRange>;
export const WebhookReplayResult = Type.Object({ deliveries: Type.Integer() });

export const WebhookAttempt = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  requestUrl: Type.String(),
  requestHeaders: Type.Record(Type.String(), Type.String()),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
});

export const WebhookDelivery = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  eventId: Type.String(),
  eventSeq: Type.Integer(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;
export const WebhookDeliveryDetail = Type.Intersect([
  WebhookDelivery,
  Type.Object({ payload: Type.Unknown(), log: Type.Array(WebhookAttempt) }),
]);
export type WebhookDeliveryDetail = Static<typeof WebhookDeliveryDetail>;
export const WebhookDeliveryPage = Page(WebhookDelivery);
export const WebhookDeliveryQuery = Type.Object(
  {
    subscriptionId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('dead')]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type WebhookDeliveryQuery = Static<typeof WebhookDeliveryQuery>;

export const FindingState = Type.Union([
  Type.Literal('open'),
  Type.Literal('explained'),
  Type.Literal('fixed'),
]);
export const ReconciliationRun = Type.Object({
  id: Type.String(),
  trigger: Type.String(),
  status: Type.String(),
  findings: Type.Integer(),
  byCheck: Type.Record(Type.String(), Type.Integer()),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ReconciliationRun = Static<typeof ReconciliationRun>;
export const ReconciliationRunPage = Page(ReconciliationRun);

export const ReconciliationFinding = Type.Object({
  id: Type.String(),
  runId: Type.String(),
  check: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  expected: Type.String(),
  actual: Type.String(),
  details: Type.Unknown(),
  state: FindingState,
  note: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ReconciliationFinding = Static<typeof ReconciliationFinding>;
export const ReconciliationFindingPage = Page(ReconciliationFinding);
export const FindingQuery = Type.Object(
  {
    runId: Type.Optional(Type.String({ maxLength: 64 })),
    check: Type.Optional(Type.String({ maxLength: 40 })),
    state: Type.Optional(FindingState),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type FindingQuery = Static<typeof FindingQuery>;
export const FindingUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    state: FindingState,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type FindingUpdate = Static<typeof FindingUpdate>;

export const ChannelKind = Type.Union([
  Type.Literal('in_app'),
  Type.Literal('wecom'),
  Type.Literal('dingtalk'),
  Type.Literal('feishu'),
  Type.Literal('webhook'),
  Type.Literal('email'),
]);
const Email = Type.String({ format: 'email', maxLength: 254 });
/** How an email channel reaches its SMTP server; the password goes in the channel's `secret`. */
export const EmailSettings = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s/]+$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], {
      description: 'tls: TLS from the start (port 465); starttls: upgrade required (587); none: plain relay',
    }),
    user: Type.Optional(Type.String({ maxLength: 200 })),
    from: Email,
    to: Type.Array(Email, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type EmailSettings = Static<typeof EmailSettings>;
export const AlertChannelCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: ChannelKind,
    url: Type.Optional(Url),
    email: Type.Optional(EmailSettings),
    secret: Type.Optional(
      Type.String({ maxLength: 200, description: 'DingTalk / Feishu signing secret; SMTP password' }),
    ),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, default: 10 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AlertChannelCreate = Static<typeof AlertChannelCreate>;
export const AlertChannelUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    url: Type.Optional(Url),
    email: Type.Optional(EmailSettings),
    secret: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    ratePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AlertChannelUpdate = Static<typeof AlertChannelUpdate>;
export const AlertChannel = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: ChannelKind,
  url: Type.String(),
  email: Type.Union([EmailSettings, Type.Null()]),
  /** A signing secret (robots) or SMTP password (email) is stored. */
  signed: Type.Boolean(),
  ratePerMinute: Type.Integer(),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AlertChannel = Static<typeof AlertChannel>;

export const AlertRuleCreate = Type.Object(
  {
    pattern: Type.String({
      minLength: 1,
      maxLength: 120,
      description: 'alert kind (dispatch_failed) or event type (workorder.*); * is everything',
    }),
    minSeverity: Type.Optional(Severity),
    channelId: Type.String({ maxLength: 64 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AlertRuleCreate = Static<typeof AlertRuleCreate>;
export const AlertRule = Type.Object({
  id: Type.String(),
  pattern: Type.String(),
  minSeverity: Severity,
  channelId: Type.String(),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
});
export type AlertRule = Static<typeof AlertRule>;

export const Notification = Type.Object({
  id: Type.String(),
  channelId: Type.String(),
  severity: Type.String(),
  title: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  summaryOf: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});
export type Notification = Static<typeof Notification>;
export const NotificationQuery = Type.Object(
  {
    channelId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuery>;

export const IntegrationMonitor = Type.Object({
  subscriptions: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      active: Type.Boolean(),
      successRate24h: Type.Union([Type.Number(), Type.Null()]),
      attempts24h: Type.Integer(),
      backlog: Type.Integer(),
      dead: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      lastErrorAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  broker: Type.Object({
    configured: Type.Boolean(),
    kind: Type.Union([Type.String(), Type.Null()]),
    connected: Type.Union([Type.Boolean(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastPublishedAt: Type.Union([Type.String(), Type.Null()]),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
  }),
  outbox: Type.Object({
    backlog: Type.Integer(),
    oldestAgeSeconds: Type.Union([Type.Number(), Type.Null()]),
  }),
  notifications: Type.Object({ pending: Type.Integer(), failed: Type.Integer() }),
  tokens: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      prefix: Type.String(),
      lastUsedAt: Type.Union([Type.String(), Type.Null()]),
      expiresAt: Type.String(),
      revoked: Type.Boolean(),
    }),
  ),
});
export type IntegrationMonitor = Static<typeof IntegrationMonitor>;
