import type { Qty } from './quantity.ts';
import type { Violation } from './transition.ts';
import type { WorkOrderStatus } from './workorder-state.ts';

/**
 * Everything the start guard needs, as plain facts the caller reads from the database. Keeping
 * them as data (not callbacks) makes the decision reproducible and easy to show in the UI.
 */
export interface StartFacts {
  /** Status of the owning work order; operations only run while it is active. */
  readonly workOrderStatus: WorkOrderStatus;
  /** The nearest non-cancelled predecessor in the routing, or null for the first operation. */
  readonly previousOperation: { readonly completed: boolean; readonly goodQty: Qty } | null;
  /**
   * Overlapping operations: when set, this operation may start once the predecessor has reported
   * at least this much good output (a transfer batch). Null means wait for completion.
   */
  readonly overlapTransferQty: Qty | null;
  /** 'none' when the operation needs no machine (manual assembly, inspection). */
  readonly machine: 'up' | 'down' | 'none';
  readonly requiredSkill: { readonly skill: string; readonly level: number } | null;
  /** The operator's level per skill code. */
  readonly operatorSkills: Readonly<Record<string, number>>;
  readonly materialsIssued: boolean;
  /** Backflushed materials are consumed at reporting, so no issue is needed before start. */
  readonly backflush: boolean;
  /**
   * First-article inspection of the piece made during setup. 'start' means starting the run, so a
   * routing that requires the check needs it passed first.
   */
  readonly firstArticle: 'not_required' | 'pending' | 'passed' | 'failed';
}

export type StartGuardCode =
  | 'WORK_ORDER_NOT_ACTIVE'
  | 'PREVIOUS_OPERATION_NOT_DONE'
  | 'MACHINE_DOWN'
  | 'OPERATOR_NOT_QUALIFIED'
  | 'MATERIAL_NOT_ISSUED'
  | 'FIRST_ARTICLE_PENDING'
  | 'FIRST_ARTICLE_FAILED';

const ACTIVE_WORK_ORDER: readonly WorkOrderStatus[] = ['released', 'dispatched', 'in_progress', 'paused'];

export function previousOperationDone(facts: StartFacts): boolean {
  const prev = facts.previousOperation;
  if (prev === null || prev.completed) return true;
  return facts.overlapTransferQty !== null && prev.goodQty >= facts.overlapTransferQty && prev.goodQty > 0;
}

/** All failing start guards, in a fixed order (the first one becomes the refusal code). */
export function startViolations(facts: StartFacts): Violation<StartGuardCode>[] {
  const out: Violation<StartGuardCode>[] = [];
  if (!ACTIVE_WORK_ORDER.includes(facts.workOrderStatus)) {
    out.push({ code: 'WORK_ORDER_NOT_ACTIVE', message: `The work order is ${facts.workOrderStatus}` });
  }
  if (!previousOperationDone(facts)) {
    out.push({
      code: 'PREVIOUS_OPERATION_NOT_DONE',
      message:
        facts.overlapTransferQty === null
          ? 'The previous operation is not completed'
          : 'The previous operation has not yet passed on a transfer batch',
    });
  }
  if (facts.machine === 'down') out.push({ code: 'MACHINE_DOWN', message: 'The machine is down' });
  const skill = facts.requiredSkill;
  if (skill !== null && (facts.operatorSkills[skill.skill] ?? 0) < skill.level) {
    out.push({
      code: 'OPERATOR_NOT_QUALIFIED',
      message: `The operator needs skill ${skill.skill} at level ${skill.level}`,
    });
  }
  if (!facts.materialsIssued && !facts.backflush) {
    out.push({ code: 'MATERIAL_NOT_ISSUED', message: 'Materials have not been issued' });
  }
  if (facts.firstArticle === 'pending') {
    out.push({ code: 'FIRST_ARTICLE_PENDING', message: 'The first-article inspection has not passed yet' });
  } else if (facts.firstArticle === 'failed') {
    out.push({ code: 'FIRST_ARTICLE_FAILED', message: 'The first-article inspection failed' });
  }
  return out;
}

/** Resuming after a pause rechecks what can change during one: the machine and the work order. */
export function resumeViolations(
  facts: Pick<StartFacts, 'machine' | 'workOrderStatus'>,
): Violation<'WORK_ORDER_NOT_ACTIVE' | 'MACHINE_DOWN'>[] {
  const out: Violation<'WORK_ORDER_NOT_ACTIVE' | 'MACHINE_DOWN'>[] = [];
  if (!ACTIVE_WORK_ORDER.includes(facts.workOrderStatus)) {
    out.push({ code: 'WORK_ORDER_NOT_ACTIVE', message: `The work order is ${facts.workOrderStatus}` });
  }
  if (facts.machine === 'down') out.push({ code: 'MACHINE_DOWN', message: 'The machine is down' });
  return out;
}
