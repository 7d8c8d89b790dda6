import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SalesOrderStatus as SalesOrderStatusSchema } from '@takt/contracts';
import type { Cents, Qty } from '@takt/domain';
import {
  SALES_ORDER_STATUSES,
  canChangeLines,
  checkNewQty,
  checkShipQty,
  effectiveDueDate,
  humanCode,
  orderAmounts,
  promiseLines,
  reservationTarget,
  rollupStatus,
  type SalesAction,
  type SalesOrderStatus,
  transition,
} from './salesorder.rules.ts';

const STATUSES = [...SALES_ORDER_STATUSES];
const ACTIONS: SalesAction[] = [
  'confirm',
  'start_production',
  'ship_partial',
  'ship_complete',
  'close',
  'cancel',
];

/** The whole lifecycle, written out: `status action` → target; anything absent is refused. */
const ALLOWED: Record<string, SalesOrderStatus> = {
  'draft confirm': 'confirmed',
  'draft cancel': 'cancelled',
  'confirmed start_production': 'in_production',
  'confirmed ship_partial': 'partially_shipped',
  'confirmed ship_complete': 'shipped',
  'confirmed cancel': 'cancelled',
  'in_production ship_partial': 'partially_shipped',
  'in_production ship_complete': 'shipped',
  'in_production cancel': 'cancelled',
  'partially_shipped ship_partial': 'partially_shipped',
  'partially_shipped ship_complete': 'shipped',
  'partially_shipped close': 'closed',
  'shipped close': 'closed',
};

describe('sales order lifecycle', () => {
  it('knows the statuses the API names (a list filter refuses any other)', () => {
    assert.deepEqual(
      SalesOrderStatusSchema.anyOf.map((s) => s.const),
      STATUSES,
    );
  });

  for (const status of STATUSES) {
    for (const action of ACTIONS) {
      const to = ALLOWED[`${status} ${action}`];
      it(`${to ? 'allows' : 'refuses'} ${action} from ${status}${to ? ` (to ${to})` : ''}`, () => {
        const r = transition(status, action, 'customer asked');
        if (to) assert.deepEqual(r, { ok: true, value: to });
        else {
          assert.equal(r.ok, false);
          assert.equal(!r.ok && r.code, 'INVALID_TRANSITION');
        }
      });
    }
  }

  it('asks for a reason to cancel a confirmed order but not a draft', () => {
    assert.equal(transition('draft', 'cancel').ok, true);
    const r = transition('confirmed', 'cancel', '  ');
    assert.equal(!r.ok && r.code, 'REASON_REQUIRED');
  });

  it('asks for a reason to close a partially shipped order short but not a shipped one', () => {
    assert.equal(transition('shipped', 'close').ok, true);
    const r = transition('partially_shipped', 'close');
    assert.equal(!r.ok && r.code, 'REASON_REQUIRED');
  });

  it('lets lines change while the order is draft or open, never after', () => {
    for (const s of STATUSES) {
      const open = ['draft', 'confirmed', 'in_production', 'partially_shipped'].includes(s);
      const r = canChangeLines(s);
      assert.equal(r.ok, open, s);
      if (!r.ok) assert.equal(r.code, 'NOT_CHANGEABLE');
    }
  });
});

describe('sales order quantities and money', () => {
  it('rolls up to partially shipped, then shipped, and leaves unshipped or closed orders alone', () => {
    const lines = (a: number, b: number) => [
      { qty: 5000, shipped: a },
      { qty: 2000, shipped: b },
    ];
    assert.equal(rollupStatus('confirmed', lines(0, 0)), 'confirmed');
    assert.equal(rollupStatus('in_production', lines(1000, 0)), 'partially_shipped');
    assert.equal(rollupStatus('partially_shipped', lines(5000, 1999)), 'partially_shipped');
    assert.equal(rollupStatus('partially_shipped', lines(5000, 2000)), 'shipped');
    assert.equal(rollupStatus('closed', lines(5000, 2000)), 'closed');
  });

  it('refuses shipping beyond the ordered quantity and allows up to it', () => {
    assert.deepEqual(checkShipQty({ qty: 5000, shipped: 3000 }, 2000), { ok: true, value: 5000 });
    const r = checkShipQty({ qty: 5000, shipped: 3000 }, 2001);
    assert.equal(!r.ok && r.code, 'OVER_SHIPMENT');
    assert.equal(!r.ok && r.details?.allowed, 2000);
    assert.equal(checkShipQty({ qty: 5000, shipped: 3000 }, 2500, 500).ok, true);
  });

  it('refuses an ordered quantity below what was shipped', () => {
    assert.equal(checkNewQty({ qty: 5000, shipped: 3000 }, 3000).ok, true);
    const r = checkNewQty({ qty: 5000, shipped: 3000 }, 2999);
    assert.equal(!r.ok && r.code, 'QTY_BELOW_SHIPPED');
  });

  it('reserves the remaining quantity as far as free stock allows, never below zero', () => {
    assert.equal(reservationTarget(10, 0, 4), 4);
    assert.equal(reservationTarget(10, 3, 4), 7);
    assert.equal(reservationTarget(5, 3, 4), 5);
    assert.equal(reservationTarget(5, 3, -2), 3);
    assert.equal(reservationTarget(0, 3, 4), 0);
  });

  it('promises reserved lines on the requested date and the rest from receipts, each receipt used once', () => {
    const receipts = new Map([
      [
        'x',
        [
          { date: '2026-03-10', qty: 4 },
          { date: '2026-03-01', qty: 3 },
        ],
      ],
    ]);
    const out = promiseLines(
      [
        { itemId: 'x', remaining: 5, reserved: 5, requestedDate: '2026-02-20' },
        { itemId: 'x', remaining: 5, reserved: 1, requestedDate: '2026-02-20' },
        { itemId: 'x', remaining: 5, reserved: 0, requestedDate: '2026-03-20' },
        { itemId: 'y', remaining: 2, reserved: 0, requestedDate: '2026-01-01' },
      ],
      receipts,
      '2026-02-01',
    );
    assert.deepEqual(out, [
      { promisedDate: '2026-02-20', shortage: 0 },
      { promisedDate: '2026-03-10', shortage: 0 },
      { promisedDate: null, shortage: 2 },
      { promisedDate: null, shortage: 2 },
    ]);
  });

  it('promises a reserved line today when its requested date has passed', () => {
    const [p] = promiseLines(
      [{ itemId: 'x', remaining: 1, reserved: 1, requestedDate: '2026-01-01' }],
      new Map(),
      '2026-02-01',
    );
    assert.deepEqual(p, { promisedDate: '2026-02-01', shortage: 0 });
  });

  it('computes line amounts exactly and rounds each line once, half up', () => {
    const { amounts, total } = orderAmounts([
      { qty: 3000 as Qty, unitPrice: 7 as Cents, pricePer: 1000 as Qty },
      { qty: 2500 as Qty, unitPrice: 1999 as Cents, pricePer: 1000 as Qty },
      { qty: 1_500_000 as Qty, unitPrice: 350 as Cents, pricePer: 1_000_000 as Qty },
      { qty: 100 as Qty, unitPrice: 10 as Cents, pricePer: 1000 as Qty },
    ]);
    assert.deepEqual(amounts, [21, 4998, 525, 1]);
    assert.equal(total, 5545);
  });

  it('takes the earliest requested date as the due date', () => {
    assert.equal(effectiveDueDate(['2026-03-02', '2026-02-28', '2026-04-01']), '2026-02-28');
  });

  it('builds codes from the day and a counter of at least four digits', () => {
    assert.equal(humanCode('SO', '2026-11-24', 1), 'SO-261124-0001');
    assert.equal(humanCode('SH', '2026-01-05', 12345), 'SH-260105-12345');
  });
});
