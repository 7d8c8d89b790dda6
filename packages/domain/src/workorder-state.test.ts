import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderCommand,
  type WorkOrderStatus,
} from './workorder-state.ts';

const actor = actorId('u-zhang');
const at = isoTimestamp('2025-03-03T01:30:00Z');
const base = newWorkOrder(workOrderId('WO-1'), qty(10_000));

// Written out independently of the implementation's table, so a change there must be deliberate.
const EXPECTED: Record<WorkOrderStatus, readonly WorkOrderAction[]> = {
  draft: ['release', 'cancel'],
  released: ['dispatch', 'hold', 'cancel'],
  dispatched: ['start', 'hold', 'cancel'],
  in_progress: ['pause', 'complete', 'hold', 'cancel'],
  paused: ['resume', 'complete', 'hold', 'cancel'],
  completed: ['close'],
  closed: [],
  on_hold: ['unhold', 'cancel'],
  cancelled: [],
};
const TARGET: Record<Exclude<WorkOrderAction, 'unhold'>, WorkOrderStatus> = {
  release: 'released',
  dispatch: 'dispatched',
  start: 'in_progress',
  pause: 'paused',
  resume: 'in_progress',
  complete: 'completed',
  close: 'closed',
  hold: 'on_hold',
  cancel: 'cancelled',
};

function inStatus(status: WorkOrderStatus, heldFrom: WorkOrderStatus = 'in_progress'): WorkOrder {
  return { ...base, status, heldFrom: status === 'on_hold' ? heldFrom : null };
}

/** A command for `action` whose guards all pass (on an order without output). */
function passing(action: WorkOrderAction): WorkOrderCommand {
  switch (action) {
    case 'release':
      return { action, actor, at, facts: { hasActiveBom: true, hasActiveRouting: true } };
    case 'complete':
      return { action, actor, at, closeShort: { reason: '客户减单' } };
    default:
      return { action, actor, at, reason: '来料不良' };
  }
}

describe('work order lifecycle table', () => {
  for (const status of WORK_ORDER_STATUSES) {
    for (const action of WORK_ORDER_ACTIONS) {
      const allowed = EXPECTED[status].includes(action);
      it(`${allowed ? 'allows' : 'refuses'} ${action} from ${status}`, () => {
        const r = applyWorkOrderAction(inStatus(status), passing(action));
        if (allowed) {
          assert.ok(r.ok, r.ok ? '' : r.message);
          const to = action === 'unhold' ? 'in_progress' : TARGET[action];
          assert.equal(r.value.state.status, to);
          assert.equal(r.value.record.from, status);
          assert.equal(r.value.record.to, to);
          assert.equal(r.value.record.action, action);
        } else {
          assert.equal(r.ok, false);
          assert.ok(!r.ok && r.code === 'INVALID_TRANSITION');
          assert.equal(r.details?.from, status);
          assert.equal(r.details?.action, action);
        }
      });
    }
  }

  it('lists exactly the allowed actions for each status', () => {
    for (const status of WORK_ORDER_STATUSES) {
      assert.deepEqual(
        allowedWorkOrderActions(inStatus(status)).toSorted(),
        [...EXPECTED[status]].toSorted(),
      );
    }
  });

  it('writes a history record with actor, time and trimmed reason', () => {
    const r = applyWorkOrderAction(inStatus('in_progress'), {
      action: 'pause',
      actor,
      at,
      reason: '  换刀 ',
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.record, {
      entity: 'work_order',
      entityId: 'WO-1',
      from: 'in_progress',
      to: 'paused',
      action: 'pause',
      actor,
      at,
      reason: '换刀',
    });
  });

  it('does not change the order it was given', () => {
    const before = inStatus('draft');
    const copy = structuredClone(before);
    applyWorkOrderAction(before, passing('release'));
    assert.deepEqual(before, copy);
  });
});

describe('work order guards', () => {
  const release = (hasActiveBom: boolean, hasActiveRouting: boolean) =>
    applyWorkOrderAction(inStatus('draft'), {
      action: 'release',
      actor,
      at,
      facts: { hasActiveBom, hasActiveRouting },
    });

  it('releases only with an active BOM and routing', () => {
    assert.equal(release(true, true).ok, true);
    const noBom = release(false, true);
    assert.equal(!noBom.ok && noBom.code, 'NO_ACTIVE_BOM');
    const noRouting = release(true, false);
    assert.equal(!noRouting.ok && noRouting.code, 'NO_ACTIVE_ROUTING');
  });

  it('reports every failed release guard at once', () => {
    const r = release(false, false);
    assert.ok(!r.ok);
    assert.equal(r.code, 'NO_ACTIVE_BOM');
    assert.deepEqual(
      (r.details?.violations as { code: string }[] | undefined)?.map((v) => v.code),
      ['NO_ACTIVE_BOM', 'NO_ACTIVE_ROUTING'],
    );
  });

  it('returns from a hold to exactly the status it was held in', () => {
    for (const from of ['released', 'dispatched', 'in_progress', 'paused'] as const) {
      const held = applyWorkOrderAction(inStatus(from), { action: 'hold', actor, at, reason: '质量异常' });
      assert.ok(held.ok);
      assert.equal(held.value.state.heldFrom, from);
      const back = applyWorkOrderAction(held.value.state, { action: 'unhold', actor, at });
      assert.ok(back.ok);
      assert.equal(back.value.state.status, from);
      assert.equal(back.value.state.heldFrom, null);
    }
  });

  it('needs a reason to hold or cancel', () => {
    for (const action of ['hold', 'cancel'] as const) {
      for (const reason of [undefined, '', '   ']) {
        const r = applyWorkOrderAction(inStatus('released'), { action, actor, at, reason });
        assert.equal(!r.ok && r.code, 'REASON_REQUIRED');
      }
    }
  });

  it('cancels only before any output is reported', () => {
    const withScrap: WorkOrder = { ...inStatus('in_progress'), output: { good: qty(0), scrap: qty(1) } };
    const r = applyWorkOrderAction(withScrap, passing('cancel'));
    assert.equal(!r.ok && r.code, 'OUTPUT_ALREADY_REPORTED');
    assert.equal(applyWorkOrderAction(inStatus('in_progress'), passing('cancel')).ok, true);
  });

  it('completes when good output reaches the plan', () => {
    const done: WorkOrder = { ...inStatus('in_progress'), output: { good: qty(10_000), scrap: qty(0) } };
    const r = applyWorkOrderAction(done, { action: 'complete', actor, at });
    assert.ok(r.ok);
    assert.equal(r.value.state.closedShort, null);
  });

  it('refuses to complete below plan unless closed short with a reason', () => {
    const short: WorkOrder = { ...inStatus('in_progress'), output: { good: qty(9_500), scrap: qty(500) } };
    const plain = applyWorkOrderAction(short, { action: 'complete', actor, at });
    assert.equal(!plain.ok && plain.code, 'PLANNED_QTY_NOT_REACHED');
    const blank = applyWorkOrderAction(short, { action: 'complete', actor, at, closeShort: { reason: ' ' } });
    assert.equal(!blank.ok && blank.code, 'REASON_REQUIRED');
    const closed = applyWorkOrderAction(short, {
      action: 'complete',
      actor,
      at,
      closeShort: { reason: '材料用完' },
    });
    assert.ok(closed.ok);
    assert.deepEqual(closed.value.state.closedShort, { reason: '材料用完', shortBy: 500 });
    assert.equal(closed.value.record.reason, '材料用完');
  });
});

describe('work order output reports', () => {
  const report = (wo: WorkOrder, good: number, scrap: number) =>
    reportWorkOrderOutput(wo, { good: qty(good), scrap: qty(scrap) }, { actor, at });

  it('adds reports and accepts corrections', () => {
    const first = report(inStatus('in_progress'), 3000, 100);
    assert.ok(first.ok);
    const corrected = report(first.value.state, -1000, 0);
    assert.ok(corrected.ok);
    assert.deepEqual(corrected.value.state.output, { good: 2000, scrap: 100 });
    assert.equal(corrected.value.record.action, 'report_output');
  });

  it('refuses a correction that would make a total negative', () => {
    const r = report(inStatus('paused'), -1, 0);
    assert.equal(!r.ok && r.code, 'REPORTED_QTY_NEGATIVE');
  });

  it('refuses reports unless running or paused', () => {
    for (const status of ['draft', 'released', 'completed', 'cancelled', 'on_hold'] as const) {
      const r = report(inStatus(status), 1000, 0);
      assert.equal(!r.ok && r.code, 'OUTPUT_NOT_ALLOWED');
    }
  });
});
