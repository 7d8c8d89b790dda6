import type { WorkOrderSummary } from '@takt/contracts';
import {
  WORK_ORDER_TRANSITIONS,
  type WorkOrderAction,
  type WorkOrderStatus,
} from '@takt/domain/workorder-state';
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.ts';
import { problemText } from '../../components/ProblemAlert.tsx';

export const WO_STATUSES = [
  'draft',
  'released',
  'dispatched',
  'in_progress',
  'paused',
  'on_hold',
  'completed',
  'closed',
  'cancelled',
] as const satisfies readonly WorkOrderStatus[];

export const OP_STATUSES = [
  'pending',
  'ready',
  'dispatched',
  'dispatch_failed',
  'in_progress',
  'paused',
  'completed',
  'on_hold',
  'cancelled',
] as const;

const WO_COLORS: Record<string, string> = {
  draft: 'default',
  released: 'blue',
  dispatched: 'geekblue',
  in_progress: 'processing',
  paused: 'gold',
  on_hold: 'orange',
  completed: 'green',
  closed: 'default',
  cancelled: 'red',
  pending: 'default',
  ready: 'cyan',
  dispatch_failed: 'red',
};

function isWoStatus(s: string): s is (typeof WO_STATUSES)[number] {
  return (WO_STATUSES as readonly string[]).includes(s);
}
function isOpStatus(s: string): s is (typeof OP_STATUSES)[number] {
  return (OP_STATUSES as readonly string[]).includes(s);
}

export function woStatusText(t: TFunction, status: string): string {
  return isWoStatus(status) ? t(`production.status.${status}`) : status;
}

export function opStatusText(t: TFunction, status: string): string {
  return isOpStatus(status) ? t(`production.opStatus.${status}`) : status;
}

export function WoStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={WO_COLORS[status] ?? 'default'} data-status={status}>
      {woStatusText(t, status)}
    </Tag>
  );
}

/**
 * A history row as the page says it: the order's own action with order statuses, or an operation's
 * (`operation.<action>`, with the operation's sequence number) with operation statuses.
 */
export function historyText(
  t: TFunction,
  h: { action: string; operationId: string | null; from: string; to: string },
  seqOf: (operationId: string) => number | undefined,
): string {
  const opAction = h.action.startsWith('operation.') ? h.action.slice('operation.'.length) : null;
  if (opAction === null) {
    const action = t(`production.actions.${h.action}`, { defaultValue: h.action });
    return `${action}: ${woStatusText(t, h.from)} → ${woStatusText(t, h.to)}`;
  }
  const seq = h.operationId ? seqOf(h.operationId) : undefined;
  const action = t(`production.history.opActions.${opAction}`, { defaultValue: opAction });
  const what = seq === undefined ? action : t('production.history.ofOperation', { seq, action });
  return `${what}: ${opStatusText(t, h.from)} → ${opStatusText(t, h.to)}`;
}

export function OpStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={WO_COLORS[status] ?? 'default'} data-status={status}>
      {opStatusText(t, status)}
    </Tag>
  );
}

/** Lifecycle actions the state machine allows from the order's status (guards may still refuse). */
export function allowedActions(wo: Pick<WorkOrderSummary, 'status' | 'heldFrom'>): WorkOrderAction[] {
  const status = wo.status as WorkOrderStatus;
  return (Object.keys(WORK_ORDER_TRANSITIONS) as WorkOrderAction[]).filter(
    (a) => WORK_ORDER_TRANSITIONS[a].from.includes(status) && (a !== 'unhold' || wo.heldFrom !== null),
  );
}

/** The action that moves a work order from its status to `to`, if the state machine has one. */
export function actionTo(
  wo: Pick<WorkOrderSummary, 'status' | 'heldFrom'>,
  to: string,
): WorkOrderAction | null {
  for (const a of allowedActions(wo)) {
    const target = WORK_ORDER_TRANSITIONS[a].to;
    if ((target === 'held_from' ? wo.heldFrom : target) === to) return a;
  }
  return null;
}

const REFUSALS = [
  'INVALID_TRANSITION',
  'NO_ACTIVE_BOM',
  'NO_ACTIVE_ROUTING',
  'REASON_REQUIRED',
  'OUTPUT_ALREADY_REPORTED',
  'PLANNED_QTY_NOT_REACHED',
  'OUTPUT_NOT_ALLOWED',
  'REPORTED_QTY_NEGATIVE',
  'INSUFFICIENT_STOCK',
  'LOT_REQUIRED',
  'MACHINE_DOWN',
  'WORK_ORDER_NOT_ACTIVE',
  'PREVIOUS_OPERATION_NOT_DONE',
  'OPERATOR_NOT_QUALIFIED',
  'MATERIAL_NOT_ISSUED',
  'FIRST_ARTICLE_PENDING',
  'FIRST_ARTICLE_FAILED',
  'STALE_VERSION',
  'ALREADY_REVERSED',
] as const;
type Refusal = (typeof REFUSALS)[number];

/** The refusal's `reason` code (409 problems) translated; other problems as usual. */
export function refusalText(t: TFunction, error: ApiError): string {
  const extra = (error.problem ?? {}) as Record<string, unknown>;
  const reason = typeof extra.reason === 'string' ? extra.reason : error.code;
  if ((REFUSALS as readonly string[]).includes(reason)) {
    return t(`production.refusals.${reason as Refusal}`, {
      from: typeof extra.from === 'string' ? woStatusText(t, extra.from) : '',
      action: typeof extra.action === 'string' ? extra.action : '',
    });
  }
  return problemText(t, error);
}
