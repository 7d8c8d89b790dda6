import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTimestamp } from './calendar.ts';
import { actorId, operationId, workOrderId } from './ids.ts';
import { type StartFacts, startViolations } from './operation-guards.ts';
import {
  allowedOperationActions,
  applyOperationAction,
  newOperation,
  OPERATION_ACTIONS,
  OPERATION_STATUSES,
  type Operation,
  type OperationAction,
  type OperationCommand,
  type OperationStatus,
  reportOperationOutput,
} from './operation-state.ts';
import { qty } from './quantity.ts';

const actor = actorId('u-li');
const at = isoTimestamp('2025-03-03T06:00:00+08:00');
const base = newOperation(operationId('OP-20'), workOrderId('WO-1'), 20, qty(50_000));

const EXPECTED: Record<OperationStatus, readonly OperationAction[]> = {
  pending: ['make_ready', 'hold', 'cancel'],
  ready: ['dispatch', 'hold', 'cancel'],
  dispatched: ['dispatch_fail', 'requeue', 'start', 'hold', 'cancel'],
  dispatch_failed: ['retry_dispatch', 'requeue', 'hold', 'cancel'],
  in_progress: ['pause', 'complete', 'hold', 'cancel'],
  paused: ['resume', 'complete', 'hold', 'cancel'],
  completed: [],
  on_hold: ['unhold', 'cancel'],
  cancelled: [],
};
const TARGET: Record<Exclude<OperationAction, 'unhold'>, OperationStatus> = {
  make_ready: 'ready',
  dispatch: 'dispatched',
  dispatch_fail: 'dispatch_failed',
  retry_dispatch: 'dispatched',
  requeue: 'ready',
  start: 'in_progress',
  pause: 'paused',
  resume: 'in_progress',
  complete: 'completed',
  hold: 'on_hold',
  cancel: 'cancelled',
};

const GOOD_FACTS: StartFacts = {
  workOrderStatus: 'in_progress',
  previousOperation: { completed: true, goodQty: qty(50_000) },
  overlapTransferQty: null,
  machine: 'up',
  requiredSkill: { skill: 'CNC', level: 2 },
  operatorSkills: { CNC: 3, 焊接: 1 },
  materialsIssued: true,
  backflush: false,
  firstArticle: 'passed',
};

function inStatus(status: OperationStatus, heldFrom: OperationStatus = 'dispatched'): Operation {
  return { ...base, status, heldFrom: status === 'on_hold' ? heldFrom : null };
}

function passing(action: OperationAction): OperationCommand {
  switch (action) {
    case 'start':
      return { action, actor, at, facts: GOOD_FACTS };
    case 'resume':
      return { action, actor, at, facts: { machine: 'up', workOrderStatus: 'in_progress' } };
    case 'complete':
      return { action, actor, at, closeShort: { reason: '毛坯不足' } };
    default:
      return { action, actor, at, reason: 'DNC 超时' };
  }
}

describe('operation lifecycle table', () => {
  for (const status of OPERATION_STATUSES) {
    for (const action of OPERATION_ACTIONS) {
      const allowed = EXPECTED[status].includes(action);
      it(`${allowed ? 'allows' : 'refuses'} ${action} from ${status}`, () => {
        const r = applyOperationAction(inStatus(status), passing(action));
        if (allowed) {
          assert.ok(r.ok, r.ok ? '' : r.message);
          const to = action === 'unhold' ? 'dispatched' : TARGET[action];
          assert.equal(r.value.state.status, to);
          assert.deepEqual([r.value.record.from, r.value.record.to], [status, to]);
        } else {
          assert.ok(!r.ok && r.code === 'INVALID_TRANSITION');
          assert.deepEqual(r.details, {
            from: status,
            to: action === 'unhold' ? null : TARGET[action],
            action,
          });
        }
      });
    }
  }

  it('lists exactly the allowed actions for each status', () => {
    for (const status of OPERATION_STATUSES) {
      assert.deepEqual(
        allowedOperationActions(inStatus(status)).toSorted(),
        [...EXPECTED[status]].toSorted(),
      );
    }
  });

  it('retries a failed dispatch or puts the job back in the queue', () => {
    const failed = applyOperationAction(inStatus('dispatched'), passing('dispatch_fail'));
    assert.ok(failed.ok);
    assert.equal(failed.value.record.reason, 'DNC 超时');
    const retried = applyOperationAction(failed.value.state, { action: 'retry_dispatch', actor, at });
    assert.ok(retried.ok && retried.value.state.status === 'dispatched');
    const requeued = applyOperationAction(failed.value.state, { action: 'requeue', actor, at });
    assert.ok(requeued.ok && requeued.value.state.status === 'ready');
  });

  it('needs a reason for a failed dispatch, a hold and a cancel', () => {
    for (const action of ['dispatch_fail', 'hold', 'cancel'] as const) {
      const r = applyOperationAction(inStatus('dispatched'), { action, actor, at, reason: ' ' });
      assert.equal(!r.ok && r.code, 'REASON_REQUIRED', action);
    }
  });
});

describe('operation start guards', () => {
  const start = (facts: Partial<StartFacts>) =>
    applyOperationAction(inStatus('dispatched'), {
      action: 'start',
      actor,
      at,
      facts: { ...GOOD_FACTS, ...facts },
    });
  const codeOf = (facts: Partial<StartFacts>) => {
    const r = start(facts);
    return r.ok ? 'OK' : r.code;
  };

  it('starts when every guard holds', () => {
    assert.equal(codeOf({}), 'OK');
  });

  it('waits for the previous operation unless overlap lets a transfer batch through', () => {
    const running = { completed: false, goodQty: qty(10_000) };
    assert.equal(codeOf({ previousOperation: running }), 'PREVIOUS_OPERATION_NOT_DONE');
    assert.equal(codeOf({ previousOperation: running, overlapTransferQty: qty(10_000) }), 'OK');
    assert.equal(
      codeOf({ previousOperation: running, overlapTransferQty: qty(10_001) }),
      'PREVIOUS_OPERATION_NOT_DONE',
    );
    assert.equal(
      codeOf({ previousOperation: { completed: false, goodQty: qty(0) }, overlapTransferQty: qty(0) }),
      'PREVIOUS_OPERATION_NOT_DONE',
    );
    assert.equal(codeOf({ previousOperation: null }), 'OK');
  });

  it('refuses a machine that is down and ignores machines for manual work', () => {
    assert.equal(codeOf({ machine: 'down' }), 'MACHINE_DOWN');
    assert.equal(codeOf({ machine: 'none' }), 'OK');
  });

  it('needs the operator at or above the required skill level', () => {
    assert.equal(codeOf({ operatorSkills: { CNC: 1 } }), 'OPERATOR_NOT_QUALIFIED');
    assert.equal(codeOf({ operatorSkills: { 焊接: 5 } }), 'OPERATOR_NOT_QUALIFIED');
    assert.equal(codeOf({ operatorSkills: { CNC: 2 } }), 'OK');
    assert.equal(codeOf({ requiredSkill: null, operatorSkills: {} }), 'OK');
  });

  it('needs materials issued unless they are backflushed', () => {
    assert.equal(codeOf({ materialsIssued: false }), 'MATERIAL_NOT_ISSUED');
    assert.equal(codeOf({ materialsIssued: false, backflush: true }), 'OK');
  });

  it('needs a passed first-article check where the routing requires one', () => {
    assert.equal(codeOf({ firstArticle: 'pending' }), 'FIRST_ARTICLE_PENDING');
    assert.equal(codeOf({ firstArticle: 'failed' }), 'FIRST_ARTICLE_FAILED');
    assert.equal(codeOf({ firstArticle: 'not_required' }), 'OK');
  });

  it('does not start while the work order is on hold', () => {
    assert.equal(codeOf({ workOrderStatus: 'on_hold' }), 'WORK_ORDER_NOT_ACTIVE');
  });

  it('names the first failed guard and lists all of them', () => {
    const r = start({ machine: 'down', materialsIssued: false, firstArticle: 'failed' });
    assert.ok(!r.ok);
    assert.equal(r.code, 'MACHINE_DOWN');
    assert.deepEqual(
      (r.details?.violations as { code: string }[] | undefined)?.map((v) => v.code),
      ['MACHINE_DOWN', 'MATERIAL_NOT_ISSUED', 'FIRST_ARTICLE_FAILED'],
    );
    assert.equal(startViolations(GOOD_FACTS).length, 0);
  });

  it('rechecks the machine when resuming after a pause', () => {
    const down = applyOperationAction(inStatus('paused'), {
      action: 'resume',
      actor,
      at,
      facts: { machine: 'down', workOrderStatus: 'in_progress' },
    });
    assert.equal(!down.ok && down.code, 'MACHINE_DOWN');
    assert.equal(applyOperationAction(inStatus('paused'), passing('resume')).ok, true);
  });
});

describe('operation completion and output', () => {
  const running = (good: number): Operation => ({
    ...inStatus('in_progress'),
    output: { good: qty(good), scrap: qty(0) },
  });

  it('completes at the planned quantity and refuses below it without a close-short reason', () => {
    assert.equal(applyOperationAction(running(50_000), { action: 'complete', actor, at }).ok, true);
    const r = applyOperationAction(running(49_999), { action: 'complete', actor, at });
    assert.equal(!r.ok && r.code, 'PLANNED_QTY_NOT_REACHED');
    assert.deepEqual(!r.ok && r.details, { planned: 50_000, good: 49_999, shortBy: 1 });
  });

  it('cannot be cancelled once output exists', () => {
    const r = applyOperationAction(running(1), passing('cancel'));
    assert.equal(!r.ok && r.code, 'OUTPUT_ALREADY_REPORTED');
  });

  it('takes reports while running or paused only', () => {
    const delta = { good: qty(1000), scrap: qty(0) };
    assert.equal(reportOperationOutput(inStatus('paused'), delta, { actor, at }).ok, true);
    const r = reportOperationOutput(inStatus('dispatched'), delta, { actor, at });
    assert.equal(!r.ok && r.code, 'OUTPUT_NOT_ALLOWED');
  });
});
