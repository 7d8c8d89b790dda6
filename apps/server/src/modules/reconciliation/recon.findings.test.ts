import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { testTargets } from '../../testing/databases.ts';
import { startHarness } from '../../testing/harness.ts';
import { findDiscrepancies, runChecks } from './recon.findings.ts';
import { DEFAULT_CHECK_OPTIONS } from './recon.service.ts';

for (const target of await testTargets()) {
  describe(`reconciliation checks off the server's thread on ${target.name}`, () => {
    it('finds on an SQLite file, in a thread of its own, what the checks find in the server', async (t) => {
      const h = await startHarness(target, { demo: true, start: false });
      t.after(() => h.close());
      const k = h.runtime.db.kysely;
      // A balance no move explains: one ledger finding.
      const item = await k.selectFrom('items').select('id').orderBy('code').executeTakeFirstOrThrow();
      const location = await k.selectFrom('locations').select('id').orderBy('code').executeTakeFirstOrThrow();
      await k
        .deleteFrom('stock_balances')
        .where('item_id', '=', item.id)
        .where('location_id', '=', location.id)
        .execute();
      await k
        .insertInto('stock_balances')
        .values({
          item_id: item.id,
          location_id: location.id,
          lot_id: '',
          on_hand: 7,
          updated_at: '2026-01-01',
        })
        .execute();

      const here = await runChecks(h.runtime.db, DEFAULT_CHECK_OPTIONS);
      const answer = await findDiscrepancies(h.runtime.db, DEFAULT_CHECK_OPTIONS);
      assert.equal(here.thread, threadId);
      // node:sqlite answers synchronously: on a file the sums run where they stall no request.
      if (target.name === 'sqlite') assert.notEqual(answer.thread, threadId);
      else assert.equal(answer.thread, threadId);
      assert.ok(answer.ok && here.ok);
      assert.deepEqual(answer.byCheck, here.byCheck);
      assert.deepEqual(answer.found, here.found);
      assert.ok(answer.found.some((f) => f.check === 'ledger_balance' && f.details.itemId === item.id));
    });
  });
}
