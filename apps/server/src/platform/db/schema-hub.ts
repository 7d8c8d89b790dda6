/** Integration hub tables (migration 0012): webhooks, inbound messages, reconciliation, alert channels. */
export interface WebhookSubscriptionsTable {
  id: string;
  name: string;
  url: string;
  /** JSON array of event types or `prefix.*` patterns (`*` is every event). */
  event_types: string;
  /** JSON object of `path → value` the event must match (e.g. `{"data.status":"released"}`), or null. */
  filter: string | null;
  /** `whsec_…`; kept readable because every delivery is signed with it. */
  secret: string;
  /** The secret before the last rotation, still signed with until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: string | null;
  active: number;
  disabled_reason: string | null;
  consecutive_failures: number;
  failing_since: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_seq: number;
  event_type: string;
  /** The JSON body sent (the event as it was when it was dispatched). */
  payload: string;
  /** pending | succeeded | dead */
  status: string;
  attempts: number;
  replays: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: string;
  request_url: string;
  /** JSON of the headers sent (signature included: it is useless without the secret). */
  request_headers: string;
  response_status: number | null;
  /** The first few KB of the response. */
  response_body: string | null;
  error: string | null;
  duration_ms: number;
}

export interface ProcessedMessagesTable {
  message_id: string;
  source: string;
  type: string;
  /** in_flight | done | rejected */
  state: string;
  locked_until: string;
  result: string | null;
  created_at: string;
  processed_at: string | null;
}

/** Small shared status values, e.g. the broker connection as the worker last saw it. */
export interface IntegrationStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ReconciliationRunsTable {
  id: string;
  /** manual | schedule */
  trigger: string;
  /** running | done | failed */
  status: string;
  findings: number;
  /** JSON: findings per check. */
  by_check: string;
  started_at: string;
  finished_at: string | null;
}

export interface ReconciliationFindingsTable {
  id: string;
  run_id: string;
  check_code: string;
  entity_type: string;
  entity_id: string;
  /** The entity's human code (order code, item code), '' when it has none (migration 0016). */
  entity_code: string;
  expected: string;
  actual: string;
  /** JSON. */
  details: string;
  /** open | explained | fixed */
  state: string;
  note: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AlertChannelsTable {
  id: string;
  name: string;
  /** in_app | wecom | dingtalk | feishu | webhook | email */
  kind: string;
  url: string;
  /** DingTalk / Feishu signing secret; SMTP password of an email channel. */
  secret: string | null;
  /** Email channels: the SMTP settings as JSON (`EmailSettings`, without the password). */
  config: string | null;
  rate_per_minute: number;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AlertRulesTable {
  id: string;
  /** Alert kind or event type; `prefix.*` or `*` patterns. */
  pattern: string;
  /** info | warning | critical */
  min_severity: string;
  channel_id: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface NotificationsTable {
  id: string;
  channel_id: string;
  dedupe_key: string;
  severity: string;
  title: string;
  body: string;
  /** pending | sent | suppressed | summarised | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  /** For a summary message: how many suppressed notifications it stands for. */
  summary_of: number | null;
  created_at: string;
  sent_at: string | null;
  /** The alert this notification announces; null for summaries and test messages (migration 0016). */
  alert_id: string | null;
  alert_kind: string;
  /** JSON of the alert, the body a generic webhook channel receives. */
  payload: string | null;
}
