import type { OperationId, WorkOrderId } from './ids.ts';
import {
  resumeViolations,
  type StartFacts,
  type StartGuardCode,
  startViolations,
} from './operation-guards.ts';
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
} from './transition.ts';

export const OPERATION_STATUSES = [
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
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const OPERATION_ACTIONS = [
  'make_ready',
  'dispatch',
  'dispatch_fail',
  'retry_dispatch',
  'requeue',
  'start',
  'pause',
  'resume',
  'complete',
  'hold',
  'unhold',
  'cancel',
] as const;
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

export const OPERATION_TERMINAL: readonly OperationStatus[] = ['completed', 'cancelled'];

export const OPERATION_TRANSITIONS: TransitionTable<OperationStatus, OperationAction> = {
  make_ready: { from: ['pending'], to: 'ready' },
  dispatch: { from: ['ready'], to: 'dispatched' },
  // Sending to a machine terminal or DNC can fail after the fact; the failure is reported back.
  dispatch_fail: { from: ['dispatched'], to: 'dispatch_failed' },
  retry_dispatch: { from: ['dispatch_failed'], to: 'dispatched' },
  // Back to the queue: a failed send given up, or a dispatched job recalled to go elsewhere.
  requeue: { from: ['dispatched', 'dispatch_failed'], to: 'ready' },
  start: { from: ['dispatched'], to: 'in_progress' },
  pause: { from: ['in_progress'], to: 'paused' },
  resume: { from: ['paused'], to: 'in_progress' },
  complete: { from: ['in_progress', 'paused'], to: 'completed' },
  hold: {
    from: ['pending', 'ready', 'dispatched', 'dispatch_failed', 'in_progress', 'paused'],
    to: 'on_hold',
  },
  unhold: { from: ['on_hold'], to: 'held_from' },
  cancel: {
    from: ['pending', 'ready', 'dispatched', 'dispatch_failed', 'in_progress', 'paused', 'on_hold'],
    to: 'cancelled',
  },
};

export interface Operation {
  readonly id: OperationId;
  readonly workOrderId: WorkOrderId;
  /** Routing sequence (10, 20, 30 ...). */
  readonly sequence: number;
  readonly status: OperationStatus;
  readonly heldFrom: OperationStatus | null;
  readonly plannedQty: Qty;
  readonly output: Output;
  readonly closedShort: { readonly reason: string; readonly shortBy: Qty } | null;
}

export function newOperation(
  id: OperationId,
  workOrderId: WorkOrderId,
  sequence: number,
  plannedQty: Qty,
): Operation {
  if (plannedQty <= 0) throw new RangeError('planned quantity must be positive');
  return {
    id,
    workOrderId,
    sequence,
    status: 'pending',
    heldFrom: null,
    plannedQty,
    output: NO_OUTPUT,
    closedShort: null,
  };
}

export type OperationCommand =
  | (CommandBase & { readonly action: 'start'; readonly facts: StartFacts })
  | (CommandBase & {
      readonly action: 'resume';
      readonly facts: Pick<StartFacts, 'machine' | 'workOrderStatus'>;
    })
  | (CommandBase & { readonly action: 'complete'; readonly closeShort?: { readonly reason: string } })
  | (CommandBase & { readonly action: Exclude<OperationAction, 'start' | 'resume' | 'complete'> });

export type OperationRefusalCode =
  | 'INVALID_TRANSITION'
  | StartGuardCode
  | 'REASON_REQUIRED'
  | 'OUTPUT_ALREADY_REPORTED'
  | 'PLANNED_QTY_NOT_REACHED';

export type OperationTransition = TransitionRecord<OperationStatus, OperationAction | 'report_output'>;
export type OperationResult = Result<Transitioned<Operation, OperationTransition>, OperationRefusalCode>;

export function allowedOperationActions(op: Operation): OperationAction[] {
  return actionsFrom(OPERATION_TRANSITIONS, op.status).filter((a) => a !== 'unhold' || op.heldFrom !== null);
}

/** Actions whose record must explain itself. */
const NEEDS_REASON: readonly OperationAction[] = ['hold', 'cancel', 'dispatch_fail'];

export function applyOperationAction(op: Operation, cmd: OperationCommand): OperationResult {
  const target = structuralTarget(OPERATION_TRANSITIONS, cmd.action, op.status, op.heldFrom);
  if (!target.ok) return target;
  const to = target.value;
  let next: Operation = { ...op, status: to, heldFrom: null };
  if (NEEDS_REASON.includes(cmd.action) && blankReason(cmd.reason)) return reasonRequired(cmd.action);

  switch (cmd.action) {
    case 'start': {
      const [first, ...rest] = startViolations(cmd.facts);
      if (first !== undefined) return refuseViolations([first, ...rest]);
      break;
    }
    case 'resume': {
      const [first, ...rest] = resumeViolations(cmd.facts);
      if (first !== undefined) return refuseViolations([first, ...rest]);
      break;
    }
    case 'hold':
      next = { ...next, heldFrom: op.status };
      break;
    case 'cancel':
      if (hasOutput(op.output)) {
        return refuse(
          'OUTPUT_ALREADY_REPORTED',
          'Output has been reported; complete or close short instead',
          {
            output: op.output,
          },
        );
      }
      break;
    case 'complete': {
      const done = checkCompletion(op.plannedQty, op.output.good, cmd.closeShort);
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
      entity: 'operation',
      entityId: op.id,
      from: op.status,
      to,
      action: cmd.action,
      actor: cmd.actor,
      at: cmd.at,
      reason: blankReason(reason) ? null : (reason ?? '').trim(),
    },
  });
}

/** Adds a good/scrap report (negative deltas correct earlier ones) while running or paused. */
export function reportOperationOutput(
  op: Operation,
  delta: Output,
  cmd: CommandBase,
): Result<Transitioned<Operation, OperationTransition>, 'OUTPUT_NOT_ALLOWED' | 'REPORTED_QTY_NEGATIVE'> {
  if (op.status !== 'in_progress' && op.status !== 'paused') {
    return refuse('OUTPUT_NOT_ALLOWED', `Cannot report output while ${op.status}`, { status: op.status });
  }
  const output = addOutput(op.output, delta);
  if (!output.ok) return output;
  return ok({
    state: { ...op, output: output.value },
    record: {
      entity: 'operation',
      entityId: op.id,
      from: op.status,
      to: op.status,
      action: 'report_output',
      actor: cmd.actor,
      at: cmd.at,
      reason: blankReason(cmd.reason) ? null : (cmd.reason ?? '').trim(),
      output: delta,
    },
  });
}
