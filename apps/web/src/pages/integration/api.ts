import type {
  AlertChannel,
  AlertChannelCreate,
  AlertChannelUpdate,
  AlertNotification,
  AlertNotificationQuery,
  AlertRule,
  AlertRuleCreate,
  AlertRuleUpdate,
  FindingUpdate,
  IntegrationMonitor,
  PageOf,
  ReconciliationRun,
  ReconFinding,
  ReconFindingQuery,
  ReconRunQuery,
  RequestLogDetail,
  RequestLogEntry,
  RequestLogQuery,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryQuery,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionUpdate,
  WebhookSubscriptionWithSecret,
} from '@takt/contracts';
import { API, buildUrl, request } from '../../api/client.ts';

const I = `${API}/integration`;
const enc = encodeURIComponent;

export function getMonitor(signal?: AbortSignal): Promise<IntegrationMonitor> {
  return request(`${I}/monitor`, { signal });
}

// ── Webhooks ──
export function listSubscriptions(signal?: AbortSignal): Promise<{ items: WebhookSubscription[] }> {
  return request(`${I}/webhooks/subscriptions`, { signal });
}
export function createSubscription(body: WebhookSubscriptionCreate): Promise<WebhookSubscriptionWithSecret> {
  return request(`${I}/webhooks/subscriptions`, { method: 'POST', body });
}
export function updateSubscription(
  id: string,
  body: WebhookSubscriptionUpdate,
): Promise<WebhookSubscription> {
  return request(`${I}/webhooks/subscriptions/${enc(id)}`, { method: 'PATCH', body });
}
export function deleteSubscription(id: string): Promise<void> {
  return request(`${I}/webhooks/subscriptions/${enc(id)}`, { method: 'DELETE' });
}
export function rotateSecret(id: string): Promise<WebhookSubscriptionWithSecret> {
  return request(`${I}/webhooks/subscriptions/${enc(id)}/rotate-secret`, { method: 'POST' });
}
export function listDeliveries(
  query: WebhookDeliveryQuery,
  signal?: AbortSignal,
): Promise<PageOf<WebhookDelivery>> {
  return request(`${I}/webhooks/deliveries`, { query: { ...query }, signal });
}
export function getDelivery(id: string, signal?: AbortSignal): Promise<WebhookDeliveryDetail> {
  return request(`${I}/webhooks/deliveries/${enc(id)}`, { signal });
}
export function replayDelivery(id: string): Promise<WebhookDelivery> {
  return request(`${I}/webhooks/deliveries/${enc(id)}/replay`, { method: 'POST' });
}

// ── Request log ──
export function searchRequests(
  query: RequestLogQuery,
  signal?: AbortSignal,
): Promise<PageOf<RequestLogEntry>> {
  return request(`${I}/requests`, { query: { ...query }, signal });
}
export function getRequestEntry(id: string, signal?: AbortSignal): Promise<RequestLogDetail> {
  return request(`${I}/requests/${enc(id)}`, { signal });
}

// ── Reconciliation ──
const R = `${I}/reconciliation`;
export function listRuns(query: ReconRunQuery, signal?: AbortSignal): Promise<PageOf<ReconciliationRun>> {
  return request(`${R}/runs`, { query: { ...query }, signal });
}
export function startRun(): Promise<ReconciliationRun> {
  return request(`${R}/runs`, { method: 'POST' });
}
export function listFindings(query: ReconFindingQuery, signal?: AbortSignal): Promise<PageOf<ReconFinding>> {
  return request(`${R}/findings`, { query: { ...query }, signal });
}
export function findingsCsvUrl(query: Omit<ReconFindingQuery, 'limit' | 'cursor'>): string {
  return buildUrl(`${R}/findings.csv`, { ...query });
}
export function updateFinding(id: string, body: FindingUpdate): Promise<ReconFinding> {
  return request(`${R}/findings/${enc(id)}`, { method: 'PATCH', body });
}
/** Asks the reports module to rebuild its daily read model (the repair of report_read_model findings). */
export function rebuildReportReadModel(): Promise<void> {
  return request(`${R}/repairs/report-read-model`, { method: 'POST' });
}

// ── Alert channels and rules ──
const AL = `${I}/alerts`;
export function listChannels(signal?: AbortSignal): Promise<{ items: AlertChannel[] }> {
  return request(`${AL}/channels`, { signal });
}
export function createChannel(body: AlertChannelCreate): Promise<AlertChannel> {
  return request(`${AL}/channels`, { method: 'POST', body });
}
export function updateChannel(id: string, body: AlertChannelUpdate): Promise<AlertChannel> {
  return request(`${AL}/channels/${enc(id)}`, { method: 'PATCH', body });
}
export function deleteChannel(id: string): Promise<void> {
  return request(`${AL}/channels/${enc(id)}`, { method: 'DELETE' });
}
export function testChannel(id: string): Promise<AlertNotification> {
  return request(`${AL}/channels/${enc(id)}/test`, { method: 'POST' });
}
export function listRules(signal?: AbortSignal): Promise<{ items: AlertRule[] }> {
  return request(`${AL}/rules`, { signal });
}
export function createRule(body: AlertRuleCreate): Promise<AlertRule> {
  return request(`${AL}/rules`, { method: 'POST', body });
}
export function updateRule(id: string, body: AlertRuleUpdate): Promise<AlertRule> {
  return request(`${AL}/rules/${enc(id)}`, { method: 'PATCH', body });
}
export function deleteRule(id: string): Promise<void> {
  return request(`${AL}/rules/${enc(id)}`, { method: 'DELETE' });
}
export function listNotifications(
  query: AlertNotificationQuery,
  signal?: AbortSignal,
): Promise<PageOf<AlertNotification>> {
  return request(`${AL}/notifications`, { query: { ...query }, signal });
}
