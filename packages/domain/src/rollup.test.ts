import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationStatus } from './operation-state.ts';
import { qty } from './quantity.ts';
import { flowPath, rollUpOutput, rollUpWorkOrderStatus } from './rollup.ts';

const ops = (...statuses: OperationStatus[]) => statuses.map((status) => ({ status }));

describe('rolling operation states up to the work order', () => {
  it('moves a released order to in progress when its first operation starts', () => {
    assert.deepEqual(rollUpWorkOrderStatus('released', ops('in_progress', 'pending')), {
      status: 'in_progress',
      actions: ['dispatch', 'start'],
      readyToComplete: false,
    });
  });

  it('marks the order dispatched when an operation is sent to the floor', () => {
    assert.equal(rollUpWorkOrderStatus('released', ops('dispatched', 'pending')).status, 'dispatched');
    assert.equal(rollUpWorkOrderStatus('released', ops('dispatch_failed', 'pending')).status, 'dispatched');
  });

  it('pauses the order when work is paused and nothing runs', () => {
    assert.deepEqual(rollUpWorkOrderStatus('in_progress', ops('completed', 'paused')).actions, ['pause']);
    assert.deepEqual(rollUpWorkOrderStatus('paused', ops('completed', 'in_progress')).actions, ['resume']);
  });

  it('keeps the order in progress between operations', () => {
    assert.deepEqual(rollUpWorkOrderStatus('in_progress', ops('completed', 'ready')), {
      status: 'in_progress',
      actions: [],
      readyToComplete: false,
    });
  });

  it('never moves the order backwards when an operation is requeued', () => {
    assert.equal(rollUpWorkOrderStatus('dispatched', ops('ready', 'pending')).status, 'dispatched');
  });

  it('says the order can complete once every live operation is completed', () => {
    const r = rollUpWorkOrderStatus('in_progress', ops('completed', 'cancelled', 'completed'));
    assert.equal(r.readyToComplete, true);
    assert.equal(r.status, 'in_progress');
  });

  it('leaves held, draft, finished and cancelled orders alone', () => {
    for (const status of ['on_hold', 'draft', 'completed', 'closed', 'cancelled'] as const) {
      assert.equal(rollUpWorkOrderStatus(status, ops('in_progress')).status, status);
    }
  });

  it('finds flow paths from the lifecycle table', () => {
    assert.deepEqual(flowPath('released', 'paused'), ['dispatch', 'start', 'pause']);
    assert.equal(flowPath('completed', 'in_progress'), null);
  });
});

describe('rolling output up to the work order', () => {
  it('takes good from the last live operation and scrap from all', () => {
    const out = rollUpOutput([
      { sequence: 10, status: 'completed', output: { good: qty(100_000), scrap: qty(2_000) } },
      { sequence: 30, status: 'cancelled', output: { good: qty(0), scrap: qty(0) } },
      { sequence: 20, status: 'in_progress', output: { good: qty(60_000), scrap: qty(1_000) } },
    ]);
    assert.deepEqual(out, { good: 60_000, scrap: 3_000 });
  });
});
