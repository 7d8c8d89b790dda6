import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isoTimestamp } from './calendar.ts';
import { actorId, operationId, workOrderId } from './ids.ts';
import { type StartFacts, startViolations } from './operation-guards.ts';
import {
  allowedOperationActions,
  applyOperationAction,
  newOperation,
  OPERATION_ACTIONS,
  OPERATION_STATUSES,
  OPERATION_TRANSITIONS,
  type Operation,
  type OperationAction,
  type OperationCommand,
  reportOperationOutput,
} from './operation-state.ts';
import { qty } from './quantity.ts';

const actor = actorId('u-li');
const at = isoTimestamp('2025-03-03T06:00:00+08:00');
const base = newOperation(operationId('OP-20'), workOrderId('WO-1'), 20, qty(50_000));

describe('operation invariants under random use', () => {
  const factsArb: fc.Arbitrary<StartFacts> = fc.record({
    workOrderStatus: fc.constantFrom('released', 'in_progress', 'on_hold') as fc.Arbitrary<
      StartFacts['workOrderStatus']
    >,
    previousOperation: fc.option(
      fc.record({ completed: fc.boolean(), goodQty: fc.nat({ max: 5000 }).map(qty) }),
    ),
    overlapTransferQty: fc.option(fc.nat({ max: 5000 }).map(qty)),
    machine: fc.constantFrom('up', 'down', 'none') as fc.Arbitrary<StartFacts['machine']>,
    requiredSkill: fc.option(fc.record({ skill: fc.constant('CNC'), level: fc.integer({ min: 1, max: 3 }) })),
    operatorSkills: fc.record({ CNC: fc.integer({ min: 0, max: 3 }) }),
    materialsIssued: fc.boolean(),
    backflush: fc.boolean(),
    firstArticle: fc.constantFrom('not_required', 'pending', 'passed', 'failed') as fc.Arbitrary<
      StartFacts['firstArticle']
    >,
  });
  const GOOD: StartFacts = {
    workOrderStatus: 'in_progress',
    previousOperation: null,
    overlapTransferQty: null,
    machine: 'up',
    requiredSkill: null,
    operatorSkills: {},
    materialsIssued: true,
    backflush: false,
    firstArticle: 'passed',
  };
  interface Act {
    readonly kind: 'act';
    /** Most steps take one of the actions allowed now, so walks get deep into the lifecycle. */
    readonly wander: boolean;
    readonly pick: number;
    readonly any: OperationAction;
    readonly facts: StartFacts;
    readonly reason: string | undefined;
    readonly short: boolean;
  }
  type Step = Act | { readonly kind: 'report'; readonly good: number; readonly scrap: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('act' as const),
        wander: fc.integer({ min: 0, max: 9 }).map((n) => n >= 8),
        pick: fc.nat(),
        any: fc.constantFrom(...OPERATION_ACTIONS),
        facts: fc.oneof({ weight: 2, arbitrary: fc.constant(GOOD) }, { weight: 1, arbitrary: factsArb }),
        reason: fc.constantFrom(undefined, '', '换模', 'DNC 超时'),
        short: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('report' as const),
        good: fc.integer({ min: -10_000, max: 30_000 }),
        scrap: fc.integer({ min: -1000, max: 1000 }),
      }),
    },
  );

  function actionFor(op: Operation, s: Act): OperationAction {
    // Cancelling ends a walk, so it is left to the wandering steps.
    const allowed = allowedOperationActions(op).filter((a) => a !== 'cancel');
    return s.wander || allowed.length === 0 ? s.any : (allowed[s.pick % allowed.length] ?? s.any);
  }

  function toCommand(action: OperationAction, s: Act): OperationCommand {
    const { facts, reason } = s;
    if (action === 'start') return { action, actor, at, facts };
    if (action === 'resume') return { action, actor, at, facts };
    if (action === 'complete') {
      return s.short ? { action, actor, at, closeShort: { reason: reason ?? '' } } : { action, actor, at };
    }
    return reason === undefined ? { action, actor, at } : { action, actor, at, reason };
  }

  it('never leaves completed or cancelled, never goes negative and starts only with guards met', () => {
    const visited = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80, size: 'max' }), (steps) => {
        let op = base;
        for (const s of steps) {
          const before = op;
          let action: OperationAction | null = null;
          let r: ReturnType<typeof applyOperationAction> | ReturnType<typeof reportOperationOutput>;
          if (s.kind === 'report') {
            r = reportOperationOutput(op, { good: qty(s.good), scrap: qty(s.scrap) }, { actor, at });
          } else {
            action = actionFor(op, s);
            r = applyOperationAction(op, toCommand(action, s));
            if (r.ok && action === 'start') assert.equal(startViolations(s.facts).length, 0);
            if (r.ok) assert.ok(OPERATION_TRANSITIONS[action].from.includes(before.status));
          }
          if (r.ok) {
            op = r.value.state;
            assert.equal(r.value.record.from, before.status);
            assert.equal(r.value.record.to, op.status);
          }
          visited.add(op.status);
          if (op.closedShort !== null) visited.add('closed short');
          if (before.status === 'completed' || before.status === 'cancelled') assert.equal(op, before);
          assert.ok(op.output.good >= 0 && op.output.scrap >= 0);
          assert.equal(op.status === 'on_hold', op.heldFrom !== null);
          if (op.status === 'cancelled') assert.deepEqual(op.output, { good: 0, scrap: 0 });
          if (op.status === 'completed')
            assert.ok(op.output.good >= op.plannedQty || op.closedShort !== null);
        }
      }),
      { numRuns: 300 },
    );
    // The walks must actually reach every status, or the invariants above prove little.
    assert.deepEqual([...visited].toSorted(), [...OPERATION_STATUSES, 'closed short'].toSorted());
  });
});
