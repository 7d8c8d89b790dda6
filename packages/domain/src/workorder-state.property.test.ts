import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isoTimestamp } from './calendar.ts';
import { actorId, workOrderId } from './ids.ts';
import { qty } from './quantity.ts';
import {
  allowedWorkOrderActions,
  applyWorkOrderAction,
  newWorkOrder,
  reportWorkOrderOutput,
  WORK_ORDER_ACTIONS,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TRANSITIONS,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderCommand,
} from './workorder-state.ts';

const actor = actorId('u-zhang');
const at = isoTimestamp('2025-03-03T01:30:00Z');
const base = newWorkOrder(workOrderId('WO-1'), qty(10_000));

describe('work order invariants under random use', () => {
  interface Act {
    readonly kind: 'act';
    /** Most steps take one of the actions allowed now, so walks get deep into the lifecycle. */
    readonly wander: boolean;
    readonly pick: number;
    readonly any: WorkOrderAction;
    readonly bom: boolean;
    readonly routing: boolean;
    readonly reason: string | undefined;
    readonly short: boolean;
  }
  type Step = Act | { readonly kind: 'report'; readonly good: number; readonly scrap: number };
  const mostly = fc.integer({ min: 0, max: 9 }).map((n) => n < 8);
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('act' as const),
        wander: mostly.map((b) => !b),
        pick: fc.nat(),
        any: fc.constantFrom(...WORK_ORDER_ACTIONS),
        bom: mostly,
        routing: mostly,
        reason: fc.constantFrom(undefined, '', '  ', '设备故障', '来料不良'),
        short: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('report' as const),
        good: fc.integer({ min: -2000, max: 6000 }),
        scrap: fc.integer({ min: -200, max: 500 }),
      }),
    },
  );

  function actionFor(wo: WorkOrder, s: Act): WorkOrderAction {
    // Cancelling ends a walk, so it is left to the wandering steps.
    const allowed = allowedWorkOrderActions(wo).filter((a) => a !== 'cancel');
    return s.wander || allowed.length === 0 ? s.any : (allowed[s.pick % allowed.length] ?? s.any);
  }

  function toCommand(action: WorkOrderAction, s: Act): WorkOrderCommand {
    if (action === 'release')
      return { action, actor, at, facts: { hasActiveBom: s.bom, hasActiveRouting: s.routing } };
    if (action === 'complete') {
      return s.short ? { action, actor, at, closeShort: { reason: s.reason ?? '' } } : { action, actor, at };
    }
    return s.reason === undefined ? { action, actor, at } : { action, actor, at, reason: s.reason };
  }

  it('never leaves a terminal status, never goes negative and keeps holds consistent', () => {
    const visited = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60, size: 'max' }), (steps) => {
        let wo = base;
        for (const s of steps) {
          const before = wo;
          const action = s.kind === 'act' ? actionFor(wo, s) : null;
          const r =
            s.kind === 'act' && action !== null
              ? applyWorkOrderAction(wo, toCommand(action, s))
              : s.kind === 'report'
                ? reportWorkOrderOutput(wo, { good: qty(s.good), scrap: qty(s.scrap) }, { actor, at })
                : null;
          if (r?.ok) {
            wo = r.value.state;
            assert.equal(r.value.record.from, before.status);
            assert.equal(r.value.record.to, wo.status);
            if (action !== null) assert.ok(WORK_ORDER_TRANSITIONS[action].from.includes(before.status));
          }
          visited.add(wo.status);
          if (wo.closedShort !== null) visited.add('closed short');
          if (before.status === 'closed' || before.status === 'cancelled') assert.equal(wo, before);
          assert.ok(wo.output.good >= 0 && wo.output.scrap >= 0);
          assert.equal(wo.status === 'on_hold', wo.heldFrom !== null);
          assert.ok(
            wo.heldFrom === null || ['released', 'dispatched', 'in_progress', 'paused'].includes(wo.heldFrom),
          );
          if (wo.status === 'cancelled') assert.deepEqual(wo.output, { good: 0, scrap: 0 });
          if (wo.status === 'completed' || wo.status === 'closed') {
            assert.ok(wo.output.good >= wo.plannedQty || (wo.closedShort?.reason.trim() ?? '') !== '');
          }
        }
      }),
      { numRuns: 300 },
    );
    // The walks must actually reach every status, or the invariants above prove little.
    assert.deepEqual([...visited].toSorted(), [...WORK_ORDER_STATUSES, 'closed short'].toSorted());
  });
});
