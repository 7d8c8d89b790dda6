import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyMove, balanceKey, type MoveInput, type Qty, reversalOf } from '@takt/domain';
import fc from 'fast-check';
import { systemCtx } from '../../platform/context.ts';
import { testTargets } from '../../testing/databases.ts';
import { insertWarehouse } from '../../testing/fixtures/plant.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';
import { archiveOld } from '../archive/archive.service.ts';
import { ledgerFindings } from './inventory.query.ts';
import { postMove, reverseMove } from './inventory.service.ts';

for (const target of await testTargets()) {
  describe(`inventory ledger on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const loc: Record<string, string> = {};
    const item: Record<string, string> = {};

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const db = h.runtime.db.kysely;
      Object.assign(loc, await insertWarehouse(db, 'T-WH', ['A', 'B', 'C']));
      for (const code of ['RM-300100', 'PP-400100', 'FG-100100']) {
        item[code] = (
          await db.selectFrom('items').select('id').where('code', '=', code).executeTakeFirstOrThrow()
        ).id;
      }
      await db.updateTable('items').set({ tracking: 'lot' }).where('id', '=', item['FG-100100']!).execute();
    });
    after(async () => h.close());

    const balance = async (itemId: string, locationId: string) => {
      const r = await h.runtime.db.kysely
        .selectFrom('stock_balances')
        .select((eb) => eb.fn.sum<number>('on_hand').as('n'))
        .where('item_id', '=', itemId)
        .where('location_id', '=', locationId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    };
    const moveCount = async () =>
      Number(
        (
          await h.runtime.db.kysely
            .selectFrom('stock_moves')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('receives stock and refuses to issue more than is on hand, writing nothing', async () => {
      const rm = item['RM-300100']!;
      const res = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: rm,
        qty: '100.5',
        toLocationId: loc.A,
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(await balance(rm, loc.A!), 100_500);
      const before = await moveCount();
      const tooMuch = await call('POST', '/api/v1/inventory/moves', {
        kind: 'issue',
        itemId: rm,
        qty: '100.501',
        fromLocationId: loc.A,
      });
      assert.equal(tooMuch.statusCode, 409);
      assert.equal(tooMuch.json().code, 'INSUFFICIENT_STOCK');
      assert.equal(tooMuch.json().onHand, 100_500);
      assert.equal(await moveCount(), before);
      assert.equal(await balance(rm, loc.A!), 100_500);
    });

    it('names the field when a move has the wrong shape', async () => {
      const rm = item['RM-300100']!;
      const noFrom = await call('POST', '/api/v1/inventory/moves', { kind: 'issue', itemId: rm, qty: '1' });
      assert.equal(noFrom.statusCode, 400);
      assert.equal(noFrom.json().errors[0].field, '/fromLocationId');
      const scrap = await call('POST', '/api/v1/inventory/moves', {
        kind: 'scrap',
        itemId: rm,
        qty: '1',
        fromLocationId: loc.A,
      });
      assert.equal(scrap.json().errors[0].field, '/reason');
      const zero = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: rm,
        qty: '0',
        toLocationId: loc.A,
      });
      assert.equal(zero.json().errors[0].field, '/qty');
      const ghost = await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: rm,
        qty: '1',
        toLocationId: 'nowhere',
      });
      assert.equal(ghost.json().errors[0].field, '/toLocationId');
    });

    it('transfers between locations and undoes a move once with a compensating move', async () => {
      const rm = item['RM-300100']!;
      const t = (
        await call('POST', '/api/v1/inventory/moves', {
          kind: 'transfer',
          itemId: rm,
          qty: '40',
          fromLocationId: loc.A,
          toLocationId: loc.B,
        })
      ).json();
      assert.equal(await balance(rm, loc.A!), 60_500);
      assert.equal(await balance(rm, loc.B!), 40_000);
      const rev = await call('POST', `/api/v1/inventory/moves/${t.id}/reverse`, { reason: 'wrong bin' });
      assert.equal(rev.statusCode, 201, rev.body);
      assert.equal(rev.json().reversesId, t.id);
      assert.equal(await balance(rm, loc.A!), 100_500);
      assert.equal(await balance(rm, loc.B!), 0);
      const again = await call('POST', `/api/v1/inventory/moves/${t.id}/reverse`, { reason: 'again' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'ALREADY_REVERSED');
    });

    it('requires a lot for a lot-tracked item and records which lots went into an output lot', async () => {
      const fg = item['FG-100100']!;
      const rm = item['RM-300100']!;
      const noLot = await call('POST', '/api/v1/inventory/moves', {
        kind: 'output',
        itemId: fg,
        qty: '10',
        toLocationId: loc.C,
      });
      assert.equal(noLot.statusCode, 400);
      assert.equal(noLot.json().errors[0].field, '/lot');
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: rm,
        qty: '5',
        toLocationId: loc.C,
        lot: 'STEEL-2611',
      });
      const out = await call('POST', '/api/v1/inventory/moves', {
        kind: 'output',
        itemId: fg,
        qty: '10',
        toLocationId: loc.C,
        lot: 'FL-261124-01',
        ref: { type: 'work_order', id: 'WO-1' },
        inputLots: [{ itemId: rm, lot: 'STEEL-2611', qty: '4.2' }],
      });
      assert.equal(out.statusCode, 201, out.body);
      const lot = await h.runtime.db.kysely
        .selectFrom('lots')
        .select('id')
        .where('code', '=', 'FL-261124-01')
        .executeTakeFirstOrThrow();
      const g = (await call('GET', `/api/v1/inventory/lots/${lot.id}/genealogy`)).json();
      assert.deepEqual(
        g.inputs.map((i: { code: string; qty: string }) => [i.code, i.qty]),
        [['STEEL-2611', '4.2']],
      );
      const steel = await h.runtime.db.kysely
        .selectFrom('lots')
        .select('id')
        .where('code', '=', 'STEEL-2611')
        .executeTakeFirstOrThrow();
      const down = (await call('GET', `/api/v1/inventory/lots/${steel.id}/genealogy`)).json();
      assert.deepEqual(
        down.outputs.map((o: { code: string }) => o.code),
        ['FL-261124-01'],
      );
    });

    it('reserves no more than is available and frees a released reservation', async () => {
      const pp = item['PP-400100']!;
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: pp,
        qty: '10',
        toLocationId: loc.A,
      });
      const r1 = await call('POST', '/api/v1/inventory/reservations', {
        itemId: pp,
        qty: '7',
        demandType: 'manual',
        demandId: 'SO-1',
      });
      assert.equal(r1.statusCode, 201);
      const r2 = await call('POST', '/api/v1/inventory/reservations', {
        itemId: pp,
        qty: '4',
        demandType: 'manual',
        demandId: 'SO-2',
      });
      assert.equal(r2.statusCode, 409);
      assert.equal(r2.json().code, 'INSUFFICIENT_AVAILABLE');
      const av = (await call('GET', `/api/v1/inventory/items/${pp}/availability`)).json();
      assert.deepEqual([av.onHand, av.reserved, av.available], ['10', '7', '3']);
      await call('POST', `/api/v1/inventory/reservations/${r1.json().id}/release`, {});
      assert.equal(
        (
          await call('POST', '/api/v1/inventory/reservations', {
            itemId: pp,
            qty: '4',
            demandType: 'manual',
            demandId: 'SO-2',
          })
        ).statusCode,
        201,
      );
    });

    it('turns a cycle count into adjustment moves for the differences only', async () => {
      const pp = item['PP-400100']!;
      const rm = item['RM-300100']!;
      const res = await call('POST', '/api/v1/inventory/counts', {
        locationId: loc.A,
        reason: '月末盘点',
        lines: [
          { itemId: pp, countedQty: '8' },
          { itemId: rm, countedQty: '100.5' },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().unchanged, 1);
      assert.deepEqual(
        res.json().adjustments.map((m: { kind: string; qty: string }) => [m.kind, m.qty]),
        [['adjustment_out', '2']],
      );
      assert.equal(await balance(pp, loc.A!), 8000);
    });

    it('posts 200 concurrent issues of one item without losing or doubling any', async () => {
      const pp = item['PP-400100']!;
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'transfer',
        itemId: pp,
        qty: '8',
        fromLocationId: loc.A,
        toLocationId: loc.B,
      });
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: pp,
        qty: '142',
        toLocationId: loc.B,
      });
      assert.equal(await balance(pp, loc.B!), 150_000);
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          call('POST', '/api/v1/inventory/moves', {
            kind: 'issue',
            itemId: pp,
            qty: '1',
            fromLocationId: loc.B,
            ref: { type: 'work_order', id: 'WO-RUSH' },
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode);
      assert.equal(
        codes.filter((c) => c === 201).length,
        150,
        JSON.stringify(results.find((r) => r.statusCode >= 500)?.json()),
      );
      assert.equal(codes.filter((c) => c === 409).length, 50);
      assert.equal(await balance(pp, loc.B!), 0);
      const issued = await h.runtime.db.kysely
        .selectFrom('stock_moves')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ref_id', '=', 'WO-RUSH')
        .executeTakeFirstOrThrow();
      assert.equal(Number(issued.n), 150);
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
    });

    it('moves stock both ways between two locations at once without deadlock', async () => {
      const rm = item['RM-300100']!;
      await call('POST', '/api/v1/inventory/moves', {
        kind: 'receipt',
        itemId: rm,
        qty: '100',
        toLocationId: loc.B,
      });
      const both = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          call('POST', '/api/v1/inventory/moves', {
            kind: 'transfer',
            itemId: rm,
            qty: '1',
            fromLocationId: i % 2 ? loc.A : loc.B,
            toLocationId: i % 2 ? loc.B : loc.A,
          }),
        ),
      );
      assert.deepEqual([...new Set(both.map((r) => r.statusCode))], [201]);
      assert.equal((await balance(rm, loc.A!)) + (await balance(rm, loc.B!)), 200_500);
      assert.deepEqual(await ledgerFindings(h.runtime.db), []);
    });

    it('keeps balance = Σ moves and no negative stock through thousands of random postings and reversals', async () => {
      const rm = item['RM-300100']!;
      const pp = item['PP-400100']!;
      const locations = [loc.A!, loc.B!, loc.C!];
      const kinds = [
        'receipt',
        'issue',
        'return',
        'output',
        'scrap',
        'transfer',
        'shipment',
        'adjustment_in',
        'adjustment_out',
      ] as const;
      const sides = {
        receipt: [0, 1],
        issue: [1, 0],
        return: [0, 1],
        output: [0, 1],
        scrap: [1, 0],
        transfer: [1, 1],
        shipment: [1, 0],
        adjustment_in: [0, 1],
        adjustment_out: [1, 0],
      } as const;
      const command = fc.record({
        kind: fc.constantFrom(...kinds),
        item: fc.constantFrom(rm, pp),
        from: fc.integer({ min: 0, max: 2 }),
        to: fc.integer({ min: 0, max: 2 }),
        qty: fc.integer({ min: 1, max: 50_000 }),
        // One command in five cancels an earlier posting of the sequence with a compensating move.
        cancel: fc.option(fc.nat(), { freq: 4 }),
      });
      const ctx = systemCtx();
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => {
          // The model starts from what the database holds now.
          const rows = await h.runtime.db.kysely
            .selectFrom('stock_balances')
            .selectAll()
            .where('lot_id', '=', '')
            .execute();
          let model = new Map(rows.map((r) => [balanceKey(r.item_id, r.location_id, ''), Number(r.on_hand)]));
          const posted: { id: string; move: MoveInput; reversed: boolean }[] = [];
          for (const c of commands) {
            if (c.cancel !== null && posted.length > 0) {
              const target = posted[c.cancel % posted.length]!;
              const expectedUndo = target.reversed ? null : applyMove(model, reversalOf(target.move, 'undo'));
              const outcome = await reverseMove(h.runtime.db, ctx, target.id, 'property test undo').then(
                () => 'ok',
                (err: { code?: string }) => err.code,
              );
              if (target.reversed) assert.equal(outcome, 'ALREADY_REVERSED');
              else if (expectedUndo?.ok) {
                assert.equal(outcome, 'ok');
                model = expectedUndo.value;
                target.reversed = true;
              } else assert.equal(outcome, 'INSUFFICIENT_STOCK');
              continue;
            }
            const [f, t] = sides[c.kind];
            const from = f ? locations[c.from]! : null;
            let to = t ? locations[c.to]! : null;
            if (c.kind === 'transfer' && to === from) to = locations[(c.from + 1) % 3]!;
            const move: MoveInput = {
              kind: c.kind,
              itemId: c.item,
              qty: c.qty as Qty,
              fromLocationId: from,
              toLocationId: to,
              lot: '',
              reason: 'property test',
            };
            const expected = applyMove(model, move);
            const result = await postMove(h.runtime.db, ctx, {
              kind: c.kind,
              itemId: c.item,
              qty: (c.qty / 1000).toFixed(3),
              ...(from ? { fromLocationId: from } : {}),
              ...(to ? { toLocationId: to } : {}),
              reason: 'property test',
            }).then(
              (m) => m,
              (err: { code?: string }) => {
                assert.equal(err.code, 'INSUFFICIENT_STOCK');
                return null;
              },
            );
            assert.equal(result !== null, expected.ok, `${c.kind} ${c.qty}`);
            if (expected.ok && result) {
              model = expected.value;
              posted.push({ id: result.id, move, reversed: false });
            }
          }
          const after = await h.runtime.db.kysely
            .selectFrom('stock_balances')
            .selectAll()
            .where('lot_id', '=', '')
            .execute();
          for (const r of after) {
            assert.ok(Number(r.on_hand) >= 0);
            assert.equal(Number(r.on_hand), model.get(balanceKey(r.item_id, r.location_id, '')) ?? 0);
          }
          assert.deepEqual(await ledgerFindings(h.runtime.db), []);
        }),
        // About 2,000 postings on SQLite and 600 on PostgreSQL per run of the suite.
        { numRuns: target.name === 'sqlite' ? 100 : 30, seed: 20261124 },
      );
    });

    it('finds a balance that was changed behind the ledger’s back', async () => {
      const rm = item['RM-300100']!;
      await h.runtime.db.kysely
        .updateTable('stock_balances')
        .set({ on_hand: 1 })
        .where('item_id', '=', rm)
        .where('location_id', '=', loc.C!)
        .where('lot_id', '=', '')
        .execute();
      const findings = await ledgerFindings(h.runtime.db);
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.itemId, rm);
      assert.equal(findings[0]!.balance, '0.001');
    });
  });
}

for (const target of await testTargets()) {
  describe(`archived stock moves on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const loc: Record<string, string> = {};
    const item: Record<string, string> = {};
    /** The moves made, old (archived) and recent (left in the ledger), by id. */
    const old = new Set<string>();
    const recent = new Set<string>();

    before(async () => {
      h = await startHarness(target, { demo: true, start: false });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const k = h.runtime.db.kysely;
      Object.assign(loc, await insertWarehouse(k, 'ARC-WH', ['A', 'B', 'C']));
      for (const code of ['RM-300100', 'PP-400100', 'FG-100100']) {
        item[code] = (
          await k.selectFrom('items').select('id').where('code', '=', code).executeTakeFirstOrThrow()
        ).id;
      }
      await k.updateTable('items').set({ tracking: 'lot' }).where('id', '=', item['FG-100100']!).execute();
      const [rm, pp, fg] = [item['RM-300100']!, item['PP-400100']!, item['FG-100100']!];
      const post = async (into: Set<string>, body: Record<string, unknown>) => {
        const r = await call('POST', '/api/v1/inventory/moves', body);
        assert.equal(r.statusCode, 201, r.body);
        into.add(r.json().id);
        return r.json() as { id: string };
      };
      const woA = { type: 'work_order', id: 'WO-ARCH-A' };
      const woB = { type: 'work_order', id: 'WO-ARCH-B' };
      await post(old, { kind: 'receipt', itemId: rm, qty: '10', toLocationId: loc.A, ref: woA });
      const transfer = await post(old, {
        kind: 'transfer',
        itemId: rm,
        qty: '3',
        fromLocationId: loc.A,
        toLocationId: loc.B,
        ref: woA,
      });
      const undo = await call('POST', `/api/v1/inventory/moves/${transfer.id}/reverse`, {
        reason: 'wrong bin',
      });
      assert.equal(undo.statusCode, 201, undo.body);
      old.add(undo.json().id);
      await post(old, { kind: 'receipt', itemId: pp, qty: '5', toLocationId: loc.C, ref: woB });
      await post(old, { kind: 'issue', itemId: rm, qty: '2', fromLocationId: loc.A, ref: woB });
      await post(old, { kind: 'receipt', itemId: fg, qty: '7', toLocationId: loc.B, lot: 'ARC-LOT-1' });
      await post(old, {
        kind: 'transfer',
        itemId: fg,
        qty: '2',
        fromLocationId: loc.B,
        toLocationId: loc.C,
        lot: 'ARC-LOT-1',
      });
      await post(old, { kind: 'receipt', itemId: rm, qty: '1.5', toLocationId: loc.C });
      // Made after the horizon: these stay in the ledger.
      await post(recent, { kind: 'receipt', itemId: pp, qty: '4', toLocationId: loc.A, ref: woB });
      await post(recent, { kind: 'issue', itemId: rm, qty: '1', fromLocationId: loc.A });
      await k
        .updateTable('stock_moves')
        .set({ created_at: '2020-01-15T08:00:00.000Z' })
        .where('id', 'in', [...old])
        .execute();
      const result = await archiveOld(h.runtime.db, { afterDays: 365, batchMoves: 3 });
      assert.equal(result.stockMoves, old.size);
    });
    after(async () => h.close());

    interface Listed {
      readonly id: string;
      readonly seq: number;
      readonly itemId: string;
      readonly fromLocationId: string | null;
      readonly toLocationId: string | null;
      readonly lot: string | null;
      readonly ref: { type: string; id: string } | null;
      readonly archived?: boolean;
      readonly [key: string]: unknown;
    }

    /** Every move a list gives, through all its pages of `limit`; a move twice fails. */
    const listAll = async (filters: Record<string, string>, limit = 2): Promise<Listed[]> => {
      const out: Listed[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ ...filters, limit: String(limit), ...(cursor ? { cursor } : {}) });
        const res = await call('GET', `/api/v1/inventory/moves?${qs}`);
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json() as { items: Listed[]; nextCursor: string | null };
        assert.ok(page.items.length <= limit);
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(new Set(out.map((m) => m.id)).size, out.length, 'no move twice');
      return out;
    };

    /** The archive as its table holds it, newest first, lot codes looked up: what the list must give. */
    const archiveRows = async () => {
      const rows = await h.runtime.db.kysely
        .selectFrom('stock_moves_archive as m')
        .leftJoin('lots as l', 'l.id', 'm.lot_id')
        .select([
          'm.id',
          'm.seq',
          'm.kind',
          'm.item_id',
          'm.qty',
          'm.from_location_id',
          'm.to_location_id',
          'l.code as lot',
          'm.ref_type',
          'm.ref_id',
          'm.reverses_id',
          'm.created_at',
        ])
        .orderBy('m.seq', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        seq: Number(r.seq),
        kind: r.kind,
        itemId: r.item_id,
        qty: Number(r.qty),
        fromLocationId: r.from_location_id,
        toLocationId: r.to_location_id,
        lot: r.lot ?? null,
        ref: r.ref_type && r.ref_id ? { type: r.ref_type, id: r.ref_id } : null,
        reversesId: r.reverses_id,
        createdAt: r.created_at,
      }));
    };
    type Oracle = Awaited<ReturnType<typeof archiveRows>>[number];
    const shape = (m: Listed) => ({
      id: m.id,
      seq: m.seq,
      kind: m.kind,
      itemId: m.itemId,
      qty: Math.round(Number(m.qty) * 1000),
      fromLocationId: m.fromLocationId,
      toLocationId: m.toLocationId,
      lot: m.lot,
      ref: m.ref,
      reversesId: m.reversesId,
      createdAt: m.createdAt,
    });

    it('takes the archived moves out of the ledger list and lists exactly them with archived=true', async () => {
      const oracle = await archiveRows();
      assert.deepEqual(new Set(oracle.map((m) => m.id)), old);
      const live = await listAll({});
      assert.ok(!live.some((m) => old.has(m.id)), 'the live list no longer has them');
      assert.ok([...recent].every((id) => live.some((m) => m.id === id)));
      assert.deepEqual(
        (await listAll({ archived: 'false' })).map((m) => m.id),
        live.map((m) => m.id),
      );
      const archived = await listAll({ archived: 'true' });
      assert.deepEqual(archived.map(shape), oracle);
      assert.ok(archived.every((m) => m.archived === true));
      assert.ok(live.every((m) => m.archived === undefined));
      // One page holds them all alike, and the lot of a lot-tracked move is shown by its code.
      assert.deepEqual(await listAll({ archived: 'true' }, 500), archived);
      assert.ok(archived.some((m) => m.lot === 'ARC-LOT-1'));
      // Every move ever made is in one of the two lists.
      const all = await h.runtime.db.kysely
        .selectFrom('stock_moves_all')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(live.length + archived.length, Number(all.n));
    });

    it('filters the archive by item, reference and location, newest first, in pages', async () => {
      const oracle = await archiveRows();
      const cases: [Record<string, string>, (m: Oracle) => boolean][] = [
        [{ itemId: item['RM-300100']! }, (m) => m.itemId === item['RM-300100']],
        [{ itemId: item['FG-100100']! }, (m) => m.itemId === item['FG-100100']],
        [{ refType: 'work_order', refId: 'WO-ARCH-A' }, (m) => m.ref?.id === 'WO-ARCH-A'],
        [{ refType: 'work_order' }, (m) => m.ref?.type === 'work_order'],
        [{ refId: 'WO-ARCH-B' }, (m) => m.ref?.id === 'WO-ARCH-B'],
        [{ locationId: loc.B! }, (m) => m.fromLocationId === loc.B || m.toLocationId === loc.B],
        [
          { itemId: item['RM-300100']!, locationId: loc.A! },
          (m) => m.itemId === item['RM-300100'] && (m.fromLocationId === loc.A || m.toLocationId === loc.A),
        ],
      ];
      for (const [filters, keep] of cases) {
        const expected = oracle.filter(keep);
        assert.ok(expected.length > 0 && expected.length < oracle.length, JSON.stringify(filters));
        const got = await listAll({ ...filters, archived: 'true' });
        assert.deepEqual(got.map(shape), expected, JSON.stringify(filters));
      }
      // The recent moves of an item stay out of its archived list.
      const pp = await listAll({ itemId: item['PP-400100']!, archived: 'true' });
      assert.ok(pp.length > 0 && pp.every((m) => old.has(m.id)));
    });

    it('refuses an archived flag that is not a boolean, naming the field', async () => {
      const res = await call('GET', '/api/v1/inventory/moves?archived=maybe');
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(
        (res.json() as { errors: { field: string }[] }).errors.some(
          (e) => e.field === '/querystring/archived',
        ),
        res.body,
      );
    });
  });
}
