import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseSupplier,
  daysLate,
  localDate,
  type PoAction,
  type PoStatus,
  poCode,
  receivableLimit,
  rollupStatus,
  transition,
  withinTolerance,
} from './purchaseorder.rules.ts';

const STATUSES: PoStatus[] = [
  'draft',
  'approved',
  'sent',
  'partially_received',
  'received',
  'closed',
  'cancelled',
];
const ACTIONS: PoAction[] = ['edit', 'approve', 'send', 'receive', 'close', 'cancel'];

describe('purchase order rules', () => {
  it('allows exactly the documented transitions and refuses every other one', () => {
    const expected: Record<string, PoStatus> = {
      'draft edit': 'draft',
      'draft approve': 'approved',
      'draft cancel': 'cancelled',
      'approved send': 'sent',
      'approved receive': 'approved',
      'approved cancel': 'cancelled',
      'sent receive': 'sent',
      'sent cancel': 'cancelled',
      'partially_received receive': 'partially_received',
      'partially_received close': 'closed',
      'received receive': 'received',
      'received close': 'closed',
    };
    for (const s of STATUSES)
      for (const a of ACTIONS) {
        const r = transition(s, a);
        const want = expected[`${s} ${a}`];
        if (want) assert.deepEqual(r, { ok: true, value: want }, `${s} ${a}`);
        else assert.equal(r.ok ? 'allowed' : r.code, 'INVALID_STATE', `${s} ${a}`);
      }
  });

  it('never leaves closed or cancelled', () => {
    for (const s of ['closed', 'cancelled'] as const)
      for (const a of ACTIONS) assert.equal(transition(s, a).ok, false);
  });

  it('rolls line statuses up to the order', () => {
    assert.equal(rollupStatus('sent', [{ status: 'received' }, { status: 'open' }]), 'partially_received');
    assert.equal(rollupStatus('sent', [{ status: 'received' }, { status: 'cancelled' }]), 'received');
    assert.equal(rollupStatus('received', [{ status: 'open' }]), 'sent');
    assert.equal(rollupStatus('approved', [{ status: 'open' }]), 'approved');
  });

  it('computes the over-receipt limit exactly', () => {
    assert.equal(receivableLimit(100_000, 500), 105_000);
    assert.equal(receivableLimit(3, 500), 3);
    assert.ok(withinTolerance({ qty: 100_000, receivedQty: 60_000 }, 45_000, 500));
    assert.ok(!withinTolerance({ qty: 100_000, receivedQty: 60_000 }, 45_001, 500));
  });

  it('chooses the cheapest supplier, then the shortest lead time, then the code', () => {
    const o = (supplierCode: string, price: number, leadDays: number | null) => ({
      supplierId: supplierCode,
      supplierCode,
      itemId: 'i',
      price,
      leadDays,
    });
    assert.equal(chooseSupplier([o('B', 10, 5), o('A', 12, 1)])?.supplierCode, 'B');
    assert.equal(chooseSupplier([o('B', 10, 5), o('A', 10, 3)])?.supplierCode, 'A');
    assert.equal(chooseSupplier([o('B', 10, 5), o('A', 10, 5)])?.supplierCode, 'A');
    assert.equal(chooseSupplier([]), null);
  });

  it('formats codes and dates in the plant time zone', () => {
    assert.equal(poCode('2026-11-24', 1), 'PO-261124-0001');
    assert.equal(localDate(new Date('2026-11-23T17:30:00Z'), 'Asia/Shanghai'), '2026-11-24');
    assert.equal(daysLate('2026-02-27', '2026-03-02'), 3);
  });
});
