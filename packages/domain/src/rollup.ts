import type { OperationStatus } from './operation-state.ts';
import { addQty, ZERO_QTY } from './quantity.ts';
import { NO_OUTPUT, type Output } from './transition.ts';
import { WORK_ORDER_TRANSITIONS, type WorkOrderAction, type WorkOrderStatus } from './workorder-state.ts';

/**
 * How operation progress moves the work order. Roll-up only follows the shop floor: it never
 * places or lifts holds, never cancels, and never goes backwards (a requeued operation does not
 * un-dispatch the order). Completion stays an explicit step because closing short needs a reason.
 */

export interface RollUp {
  /** The status the work order should have; equal to the current one when nothing changes. */
  readonly status: WorkOrderStatus;
  /** Flow actions that lead there, in order (e.g. ['dispatch', 'start']). */
  readonly actions: readonly WorkOrderAction[];
  /** Every non-cancelled operation is completed: the order can be completed (or closed short). */
  readonly readyToComplete: boolean;
}

const FOLLOWS_FLOOR: readonly WorkOrderStatus[] = ['released', 'dispatched', 'in_progress', 'paused'];
const FLOW_ACTIONS: readonly WorkOrderAction[] = ['dispatch', 'start', 'pause', 'resume'];
const RANK: Partial<Record<WorkOrderStatus, number>> = {
  released: 0,
  dispatched: 1,
  in_progress: 2,
  paused: 2,
};

function derived(ops: readonly { readonly status: OperationStatus }[]): WorkOrderStatus {
  const live = ops.filter((o) => o.status !== 'cancelled');
  if (live.some((o) => o.status === 'in_progress')) return 'in_progress';
  if (live.some((o) => o.status === 'paused')) return 'paused';
  // Between operations (one finished, the next waiting) the order is still being worked.
  if (live.some((o) => o.status === 'completed')) return 'in_progress';
  if (live.some((o) => o.status === 'dispatched' || o.status === 'dispatch_failed')) return 'dispatched';
  return 'released';
}

/** Shortest sequence of flow actions between two statuses, from the lifecycle table itself. */
export function flowPath(from: WorkOrderStatus, to: WorkOrderStatus): WorkOrderAction[] | null {
  const queue: Array<{ status: WorkOrderStatus; path: WorkOrderAction[] }> = [{ status: from, path: [] }];
  const seen = new Set<WorkOrderStatus>([from]);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    if (node === undefined) break;
    if (node.status === to) return node.path;
    for (const action of FLOW_ACTIONS) {
      const rule = WORK_ORDER_TRANSITIONS[action];
      if (rule.to === 'held_from' || !rule.from.includes(node.status) || seen.has(rule.to)) continue;
      seen.add(rule.to);
      queue.push({ status: rule.to, path: [...node.path, action] });
    }
  }
  return null;
}

export function rollUpWorkOrderStatus(
  current: WorkOrderStatus,
  operations: readonly { readonly status: OperationStatus }[],
): RollUp {
  const live = operations.filter((o) => o.status !== 'cancelled');
  const readyToComplete = live.length > 0 && live.every((o) => o.status === 'completed');
  const currentRank = RANK[current];
  if (!FOLLOWS_FLOOR.includes(current) || currentRank === undefined || live.length === 0) {
    return { status: current, actions: [], readyToComplete };
  }
  const wanted = derived(live);
  const wantedRank = RANK[wanted] ?? 0;
  if (wantedRank < currentRank || wanted === current)
    return { status: current, actions: [], readyToComplete };
  const actions = flowPath(current, wanted);
  if (actions === null) throw new Error(`no flow path from ${current} to ${wanted}`);
  return { status: wanted, actions, readyToComplete };
}

/**
 * Work-order output from its operations: good is what left the last live operation (earlier ones
 * are work in process), scrap is summed over all operations because every step can scrap parts.
 */
export function rollUpOutput(
  operations: readonly {
    readonly sequence: number;
    readonly status: OperationStatus;
    readonly output: Output;
  }[],
): Output {
  let last: { sequence: number; output: Output } | null = null;
  let scrap = ZERO_QTY;
  for (const op of operations) {
    scrap = addQty(scrap, op.output.scrap);
    if (op.status !== 'cancelled' && (last === null || op.sequence > last.sequence)) last = op;
  }
  return last === null ? { ...NO_OUTPUT, scrap } : { good: last.output.good, scrap };
}
