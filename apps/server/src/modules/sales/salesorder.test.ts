import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { freshItem, type SalesFixture, salesFixture } from './sales.fixture.ts';

for (const target of await testTargets()) {
  describe(`sales orders on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    let fx: SalesFixture;
    let widget: string;
    let gear: string;

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      fx = await salesFixture(h.runtime.db, '9101');
      widget = await freshItem(h.runtime.db, 'FG-910001');
      gear = await freshItem(h.runtime.db, 'FG-910002');
      await fx.receive(widget, 6000);
      await fx.receive(gear, 2000);
    });
    after(async () => h.close());

    const events = async (type: string, aggregateId: string) =>
      (
        await h.runtime.db.kysely
          .selectFrom('outbox')
          .select(['type', 'data'])
          .where('type', '=', type)
          .where('aggregate_id', '=', aggregateId)
          .orderBy('seq')
          .execute()
      ).map((e) => JSON.parse(e.data));
    const reservedFor = async (itemId: string) =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('reservations')
            .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('qty'), eb.lit(0)).as('n'))
            .where('item_id', '=', itemId)
            .where('status', '=', 'open')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const create = async (lines: object[], extra: object = {}) => {
      const res = await call('POST', '/api/v1/sales-orders', { customerId: fx.customerId, lines, ...extra });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };

    it('creates a draft with a day code, exact line amounts, order value and an explained priority', async () => {
      const so = await create(
        [
          { itemId: widget, qty: '3', unitPrice: '0.07', requestedDate: '2030-05-02' },
          { itemId: gear, qty: '2.5', unitPrice: '19.99', requestedDate: '2030-05-01' },
          { itemId: widget, qty: '1500', unitPrice: '3.50', pricePer: '1000' },
        ],
        { externalRef: 'PO-88', dueDate: '2030-05-10' },
      );
      assert.match(so.code, /^SO-\d{6}-\d{4}$/);
      assert.equal(so.status, 'draft');
      assert.equal(so.currency, 'CNY');
      assert.deepEqual(
        so.lines.map((l: { amount: string }) => l.amount),
        ['0.21', '49.98', '5.25'],
      );
      assert.equal(so.orderValue, '55.44');
      assert.equal(so.dueDate, '2030-05-01');
      assert.equal(so.lines[2].requestedDate, '2030-05-10');
      assert.equal(so.customerTier, 'A');
      assert.deepEqual(
        so.priority.breakdown.map((b: { factor: string }) => b.factor),
        ['urgency', 'customer_tier', 'order_value'],
      );
      assert.ok(so.priority.score > 0 && so.priority.score <= 100);
      assert.equal((await events('salesorder.created', so.id)).length, 1);
    });

    it('loads demo orders that stock can serve and orders that leave shortages for planning', async () => {
      const open = (await call('GET', '/api/v1/sales-orders?status=confirmed&q=C-000&limit=50')).json();
      const lines = open.items.length
        ? (
            await Promise.all(
              open.items.map((o: { id: string }) => call('GET', `/api/v1/sales-orders/${o.id}`)),
            )
          ).flatMap((r) => r.json().lines as { shortage: string }[])
        : [];
      assert.ok(lines.some((l) => l.shortage === '0'));
      assert.ok(lines.some((l) => Number(l.shortage) > 0));
    });

    it('refuses a line without any date, naming the field, and writes nothing', async () => {
      const before = await h.runtime.db.kysely
        .selectFrom('sales_orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const res = await call('POST', '/api/v1/sales-orders', {
        customerId: fx.customerId,
        lines: [{ itemId: widget, qty: '1', unitPrice: '1' }],
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/lines/0/requestedDate');
      const after = await h.runtime.db.kysely
        .selectFrom('sales_orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('confirms by reserving what is available, leaving the rest a shortage without a promised date', async () => {
      const before = await reservedFor(gear);
      const so = await create([
        { itemId: gear, qty: '5', unitPrice: '10', requestedDate: '2030-06-01' },
        { itemId: widget, qty: '1', unitPrice: '10', requestedDate: '2030-06-02' },
      ]);
      const res = await call('POST', `/api/v1/sales-orders/${so.id}/confirm`, { version: so.version });
      assert.equal(res.statusCode, 200, res.body);
      const c = res.json();
      assert.equal(c.status, 'confirmed');
      const free = 2000 - before;
      assert.equal(c.lines[0].reserved, String(free / 1000));
      assert.equal(c.lines[0].shortage, String((5000 - free) / 1000));
      assert.equal(c.lines[0].promisedDate, null);
      assert.deepEqual(
        [c.lines[1].reserved, c.lines[1].shortage, c.lines[1].promisedDate],
        ['1', '0', '2030-06-02'],
      );
      assert.equal(await reservedFor(gear), 2000);
      const [ev] = await events('salesorder.confirmed', so.id);
      assert.equal(ev.lines.length, 2);
      const again = await call('POST', `/api/v1/sales-orders/${so.id}/confirm`, {});
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'INVALID_STATE');
    });

    it('refuses a change against a stale version', async () => {
      const so = await create([{ itemId: widget, qty: '1', unitPrice: '1', requestedDate: '2030-06-01' }]);
      const ok = await call('PATCH', `/api/v1/sales-orders/${so.id}`, { version: 1, note: 'first' });
      assert.equal(ok.statusCode, 200, ok.body);
      const stale = await call('PATCH', `/api/v1/sales-orders/${so.id}`, { version: 1, note: 'second' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'STALE_VERSION');
    });

    it('re-computes reservations when a confirmed quantity or date changes and emits salesorder.changed', async () => {
      const so = await create([{ itemId: widget, qty: '2', unitPrice: '5', requestedDate: '2030-07-01' }]);
      const c = (await call('POST', `/api/v1/sales-orders/${so.id}/confirm`, {})).json();
      assert.equal(c.lines[0].reserved, '2');
      const down = await call('PATCH', `/api/v1/sales-orders/${so.id}`, {
        version: c.version,
        reason: 'customer cut the order',
        lines: [{ id: c.lines[0].id, qty: '1', requestedDate: '2030-06-20' }],
      });
      assert.equal(down.statusCode, 200, down.body);
      assert.equal(down.json().lines[0].reserved, '1');
      assert.equal(down.json().dueDate, '2030-06-20');
      assert.equal(down.json().orderValue, '5.00');
      const [ev] = await events('salesorder.changed', so.id);
      assert.equal(ev.reason, 'customer cut the order');
      assert.deepEqual(ev.changes[0].qty, { from: '2', to: '1' });
      assert.equal(ev.lines[0].reserved, '1');
    });

    it('cancels a confirmed order only with a reason, releasing its reservations into the event', async () => {
      const so = await create([{ itemId: widget, qty: '1', unitPrice: '5', requestedDate: '2030-07-01' }]);
      await call('POST', `/api/v1/sales-orders/${so.id}/confirm`, {});
      const held = await reservedFor(widget);
      const noReason = await call('POST', `/api/v1/sales-orders/${so.id}/cancel`, {});
      assert.equal(noReason.statusCode, 400);
      assert.equal(noReason.json().errors[0].field, '/reason');
      const res = await call('POST', `/api/v1/sales-orders/${so.id}/cancel`, { reason: '客户取消' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'cancelled');
      assert.equal(res.json().lines[0].reserved, '0');
      assert.equal(await reservedFor(widget), held - 1000);
      const [ev] = await events('salesorder.cancelled', so.id);
      assert.deepEqual(ev.lines[0].released, '1');
      const change = await call('PATCH', `/api/v1/sales-orders/${so.id}`, {
        version: res.json().version,
        note: 'x',
      });
      assert.equal(change.statusCode, 409, change.body);
      assert.equal(change.json().code, 'INVALID_STATE');
    });

    it('gives unique codes to orders created at the same time', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          call('POST', '/api/v1/sales-orders', {
            customerId: fx.customerId,
            lines: [{ itemId: widget, qty: '1', unitPrice: '1', requestedDate: '2030-08-01' }],
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode),
        Array(8).fill(201),
      );
      const codes = results.map((r) => r.json().code as string);
      assert.equal(new Set(codes).size, 8);
    });

    it('lists orders by status, customer, due date and text in cursor pages', async () => {
      const page1 = await call('GET', `/api/v1/sales-orders?customerId=${fx.customerId}&limit=3&sort=code`);
      assert.equal(page1.statusCode, 200, page1.body);
      const p1 = page1.json();
      assert.equal(p1.items.length, 3);
      assert.ok(p1.nextCursor);
      const p2 = (
        await call(
          'GET',
          `/api/v1/sales-orders?customerId=${fx.customerId}&limit=3&sort=code&cursor=${p1.nextCursor}`,
        )
      ).json();
      assert.ok(p2.items[0].code > p1.items[2].code);
      const drafts = (await call('GET', '/api/v1/sales-orders?status=confirmed,cancelled&limit=100')).json();
      assert.ok(drafts.items.every((o: { status: string }) => ['confirmed', 'cancelled'].includes(o.status)));
      const due = (
        await call('GET', '/api/v1/sales-orders?dueFrom=2030-07-01&dueTo=2030-07-31&limit=100')
      ).json();
      assert.ok(due.items.length >= 1);
      assert.ok(due.items.every((o: { dueDate: string }) => o.dueDate.startsWith('2030-07')));
      const text = (await call('GET', '/api/v1/sales-orders?q=PO-88')).json();
      assert.equal(text.items.length, 1);
      const lines = (await call('GET', `/api/v1/sales-orders/${text.items[0].id}/lines`)).json();
      assert.equal(lines.items.length, 3);
    });

    it('refuses an unknown status in the status filter with 400 naming the field, on the list and its export', async () => {
      for (const [url, named] of [
        ['/api/v1/sales-orders?status=open,bogus', '"open", "bogus"'],
        ['/api/v1/sales-orders?status=confirmed,bogus', '"bogus"'],
        ['/api/v1/sales-orders?status=Draft', '"Draft"'],
        ['/api/v1/sales-orders/export?status=confirmed,bogus&format=csv', '"bogus"'],
      ] as const) {
        const res = await call('GET', url);
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const problem = res.json() as { code: string; errors: { field: string; message: string }[] };
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          ['/querystring/status'],
          url,
        );
        assert.ok(problem.errors[0]!.message.startsWith(`${named} `), problem.errors[0]!.message);
      }
      // Lists of real statuses still filter, spaces around the commas too.
      const byStatus = async (status: string) => {
        const res = await call('GET', `/api/v1/sales-orders?status=${encodeURIComponent(status)}&limit=500`);
        assert.equal(res.statusCode, 200, res.body);
        return (res.json().items as { status: string }[]).map((o) => o.status);
      };
      const all = await byStatus('');
      const wanted = ['confirmed', 'draft'];
      const some = await byStatus('confirmed,draft');
      assert.ok(some.includes('confirmed') && some.includes('draft'), some.join());
      assert.ok(some.every((s) => wanted.includes(s)));
      assert.equal(some.length, all.filter((s) => wanted.includes(s)).length);
      assert.deepEqual(await byStatus(' confirmed , draft,'), some);
      const exported = await call('GET', '/api/v1/sales-orders/export?status=confirmed,draft&format=csv');
      assert.equal(exported.statusCode, 200, exported.body);
    });
  });
}
