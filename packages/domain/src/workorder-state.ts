import type { WorkOrderId } from './ids.ts';
import type { Qty } from './quantity.ts';
import { ok, refuse, type Result } from './result.ts';
import {
  actionsFrom,
  addOutput,
  blankReason,
  type CommandBase,
  checkCompletion,
  hasOutput,
  NO_OUTPUT,
  type Output,
  reasonRequired,
  refuseViolations,
  structuralTarget,
  type TransitionRecord,
  type TransitionTable,
  type Transitioned,
  type Violation,
} from './transition.ts';

export const WORK_ORDER_STATUSES = [
  'draft',
  'released',
  'dispatched',
  'in_progress',
  'paused',
  'completed',
  'closed',
  'on_hold',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const WORK_ORDER_ACTIONS = [
  'release',
  'dispatch',
  'start',
  'pause',
  'resume',
  'complete',
  'close',
  'hold',
  'unhold',
  'cancel',
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/** Statuses nothing can leave. */
export const WORK_ORDER_TERMINAL: readonly WorkOrderStatus[] = ['closed', 'cancelled'];

export const WORK_ORDER_TRANSITIONS: TransitionTable<WorkOrderStatus, WorkOrderAction> = {
  release: { from: ['draft'], to: 'released' },
  dispatch: { from: ['released'], to: 'dispatched' },
  start: { from: ['dispatched'], to: 'in_progress' },
  pause: { from: ['in_progress'], to: 'paused' },
  resume: { from: ['paused'], to: 'in_progress' },
  // Closing short often happens while paused for missing material, so paused may complete too.
  complete: { from: ['in_progress', 'paused'], to: 'completed' },
  close: { from: ['completed'], to: 'closed' },
  // A draft is simply edited and a completed order has nothing left to stop, so neither can be held.
  hold: { from: ['released', 'dispatched', 'in_progress', 'paused'], to: 'on_hold' },
  unhold: { from: ['on_hold'], to: 'held_from' },
  // Allowed wherever no output exists yet; the guard checks the output.
  cancel: { from: ['draft', 'released', 'dispatched', 'in_progress', 'paused', 'on_hold'], to: 'cancelled' },
};

export interface WorkOrder {
  readonly id: WorkOrderId;
  readonly status: WorkOrderStatus;
  /** The status a hold returns to; non-null exactly while on_hold. */
  readonly heldFrom: WorkOrderStatus | null;
  readonly plannedQty: Qty;
  readonly output: Output;
  /** Set when completed below plan. */
  readonly closedShort: { readonly reason: string; readonly shortBy: Qty } | null;
}

export function newWorkOrder(id: WorkOrderId, plannedQty: Qty): WorkOrder {
  if (plannedQty <= 0) throw new RangeError('planned quantity must be positive');
  return { id, status: 'draft', heldFrom: null, plannedQty, output: NO_OUTPUT, closedShort: null };
}

/** Facts read from master data when releasing. */
export interface ReleaseFacts {
  readonly hasActiveBom: boolean;
  readonly hasActiveRouting: boolean;
}

export type WorkOrderCommand =
  | (CommandBase & { readonly action: 'release'; readonly facts: ReleaseFacts })
  | (CommandBase & { readonly action: 'complete'; readonly closeShort?: { readonly reason: string } })
  | (CommandBase & {
      readonly action: Exclude<WorkOrderAction, 'release' | 'complete'>;
    });

export type WorkOrderRefusalCode =
  | 'INVALID_TRANSITION'
  | 'NO_ACTIVE_BOM'
  | 'NO_ACTIVE_ROUTING'
  | 'REASON_REQUIRED'
  | 'OUTPUT_ALREADY_REPORTED'
  | 'PLANNED_QTY_NOT_REACHED';

export type WorkOrderTransition = TransitionRecord<WorkOrderStatus, WorkOrderAction | 'report_output'>;
export type WorkOrderResult = Result<Transitioned<WorkOrder, WorkOrderTransition>, WorkOrderRefusalCode>;

export function releaseViolations(facts: ReleaseFacts): Violation<'NO_ACTIVE_BOM' | 'NO_ACTIVE_ROUTING'>[] {
  const out: Violation<'NO_ACTIVE_BOM' | 'NO_ACTIVE_ROUTING'>[] = [];
  if (!facts.hasActiveBom) out.push({ code: 'NO_ACTIVE_BOM', message: 'The item has no active BOM' });
  if (!facts.hasActiveRouting) {
    out.push({ code: 'NO_ACTIVE_ROUTING', message: 'The item has no active routing' });
  }
  return out;
}

/** Actions the lifecycle allows from the current status (guards may still refuse). */
export function allowedWorkOrderActions(wo: WorkOrder): WorkOrderAction[] {
  return actionsFrom(WORK_ORDER_TRANSITIONS, wo.status).filter((a) => a !== 'unhold' || wo.heldFrom !== null);
}

/** Applies one command: the new work order and its history record, or a typed refusal. */
export function applyWorkOrderAction(wo: WorkOrder, cmd: WorkOrderCommand): WorkOrderResult {
  const target = structuralTarget(WORK_ORDER_TRANSITIONS, cmd.action, wo.status, wo.heldFrom);
  if (!target.ok) return target;
  const to = target.value;
  let next: WorkOrder = { ...wo, status: to, heldFrom: null };

  switch (cmd.action) {
    case 'release': {
      const [first, ...rest] = releaseViolations(cmd.facts);
      if (first !== undefined) return refuseViolations([first, ...rest]);
      break;
    }
    case 'hold':
      // A hold is raised by an exception (quality, material, machine); it must say which.
      if (blankReason(cmd.reason)) return reasonRequired('hold');
      next = { ...next, heldFrom: wo.status };
      break;
    case 'cancel':
      if (blankReason(cmd.reason)) return reasonRequired('cancel');
      if (hasOutput(wo.output)) {
        return refuse(
          'OUTPUT_ALREADY_REPORTED',
          'Output has been reported; complete or close short instead',
          {
            output: wo.output,
          },
        );
      }
      break;
    case 'complete': {
      const done = checkCompletion(wo.plannedQty, wo.output.good, cmd.closeShort);
      if (!done.ok) return done;
      if (done.value > 0 && cmd.closeShort !== undefined) {
        next = { ...next, closedShort: { reason: cmd.closeShort.reason.trim(), shortBy: done.value } };
      }
      break;
    }
    default:
      break;
  }
  const reason = cmd.action === 'complete' && cmd.closeShort ? cmd.closeShort.reason : cmd.reason;
  return ok({
    state: next,
    record: {
      entity: 'work_order',
      entityId: wo.id,
      from: wo.status,
      to,
      action: cmd.action,
      actor: cmd.actor,
      at: cmd.at,
      reason: blankReason(reason) ? null : (reason ?? '').trim(),
    },
  });
}

/**
 * Records output reported directly against the work order (shops that do not track operations),
 * or the last operation's output. Only while running or paused: once completed, the quantities
 * have fed stock and costing and are no longer edited here.
 */
export function reportWorkOrderOutput(
  wo: WorkOrder,
  delta: Output,
  cmd: CommandBase,
): Result<Transitioned<WorkOrder, WorkOrderTransition>, 'OUTPUT_NOT_ALLOWED' | 'REPORTED_QTY_NEGATIVE'> {
  if (wo.status !== 'in_progress' && wo.status !== 'paused') {
    return refuse('OUTPUT_NOT_ALLOWED', `Cannot report output while ${wo.status}`, { status: wo.status });
  }
  const output = addOutput(wo.output, delta);
  if (!output.ok) return output;
  return ok({
    state: { ...wo, output: output.value },
    record: {
      entity: 'work_order',
      entityId: wo.id,
      from: wo.status,
      to: wo.status,
      action: 'report_output',
      actor: cmd.actor,
      at: cmd.at,
      reason: blankReason(cmd.reason) ? null : (cmd.reason ?? '').trim(),
      output: delta,
    },
  });
}
