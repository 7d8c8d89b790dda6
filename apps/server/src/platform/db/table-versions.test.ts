import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type CompiledQuery, sql } from 'kysely';
import { testTargets } from '../../testing/databases.ts';
import { insertWarehouse } from '../../testing/fixtures/plant.ts';
import { startHarness } from '../../testing/harness.ts';
import { newId, nowIso } from '../ids.ts';
import { Db } from './database.ts';
import { readsOf, writesOf } from './statement-tables.ts';
import { readTableLinks } from './table-links.ts';
import { observeStatement, ReadSet, TableVersions, trackReads } from './table-versions.ts';

type Compilable = { compile(): CompiledQuery };

const compiled = Db.open({ url: null });
after(() => compiled.close());
const k = compiled.kysely;

function reads(q: Compilable | CompiledQuery) {
  const c = 'compile' in q ? q.compile() : q;
  const r = readsOf(c.query as never, c.sql);
  return {
    full: [...r.full].sort(),
    lookups: r.lookups.map((l) => `${l.table} by ${l.via.join(' | ')}`).sort(),
  };
}

function writes(q: Compilable | CompiledQuery): string[] {
  const c = 'compile' in q ? q.compile() : q;
  return writesOf(c.query as never, c.sql)
    .map((w) => `${w.kind} ${w.table}`)
    .sort();
}

describe('statement tables', () => {
  it('tells a join that looks rows up by key from the tables read in full', () => {
    assert.deepEqual(
      reads(
        k
          .selectFrom('work_orders as w')
          .innerJoin('items as i', 'i.id', 'w.item_id')
          .select(['w.id', 'i.code'])
          .where('i.name', '=', 'x'),
      ),
      { full: ['work_orders'], lookups: ['items by work_orders.item_id>items.id'] },
    );
    // Unaliased, operands swapped, a LEFT JOIN, extra conditions in ON, a chain of lookups.
    assert.deepEqual(
      reads(
        k
          .selectFrom('stock_balances')
          .innerJoin('items', 'stock_balances.item_id', 'items.id')
          .leftJoin('lots as l', (j) => j.onRef('l.id', '=', 'stock_balances.lot_id').on('l.code', '!=', ''))
          .innerJoin('locations as loc', 'loc.id', 'stock_balances.location_id')
          .innerJoin('warehouses as wh', 'wh.id', 'loc.warehouse_id')
          .selectAll(),
      ),
      {
        full: ['stock_balances'],
        lookups: [
          'items by stock_balances.item_id>items.id',
          'locations by stock_balances.location_id>locations.id',
          'lots by stock_balances.lot_id>lots.id',
          'warehouses by locations.warehouse_id>warehouses.id',
        ],
      },
    );
    // Inside a subquery, against the subquery's own FROM and against the outer query's.
    assert.deepEqual(
      reads(
        k
          .selectFrom('work_orders as w')
          .select((eb) => [
            'w.id',
            eb
              .selectFrom('work_order_operations as o')
              .innerJoin('machines as m', 'm.id', 'o.machine_id')
              .innerJoin('items as i', 'i.id', 'w.item_id')
              .select('m.code')
              .whereRef('o.work_order_id', '=', 'w.id')
              .limit(1)
              .as('machine'),
          ]),
      ),
      {
        full: ['work_order_operations', 'work_orders'],
        lookups: [
          'items by work_orders.item_id>items.id',
          'machines by work_order_operations.machine_id>machines.id',
        ],
      },
    );
  });

  it('reads a table in full wherever else it appears', () => {
    const cases: [Compilable | CompiledQuery, string[]][] = [
      // Also in FROM of the same statement (a self-join included).
      [
        k.selectFrom('items as a').innerJoin('items as b', 'b.id', 'a.default_warehouse_id').select('a.id'),
        ['items'],
      ],
      // Also in a subquery's FROM.
      [
        k
          .selectFrom('work_orders as w')
          .innerJoin('items as i', 'i.id', 'w.item_id')
          .where('w.item_id', 'in', k.selectFrom('items').select('id').where('type', '=', 'raw'))
          .select('w.id'),
        ['items', 'work_orders'],
      ],
      // Joined on a value, not on another table's column.
      [
        k
          .selectFrom('work_orders as w')
          .innerJoin('items as i', (j) => j.on('i.id', '=', 'x'))
          .select('w.id'),
        ['items', 'work_orders'],
      ],
      // An unqualified column cannot be told apart.
      [
        k
          .selectFrom('work_orders as w')
          .innerJoin('items as i', (j) => j.onRef('id' as never, '=', 'w.item_id'))
          .select('w.id'),
        ['items', 'work_orders'],
      ],
      // Right and full joins keep every row of the joined table.
      [
        k.selectFrom('work_orders as w').rightJoin('items as i', 'i.id', 'w.item_id').select('w.id'),
        ['items', 'work_orders'],
      ],
      [
        k.selectFrom('work_orders as w').fullJoin('items as i', 'i.id', 'w.item_id').select('w.id'),
        ['items', 'work_orders'],
      ],
      // Joined against a derived table: its column is no table's column.
      [
        k
          .selectFrom(k.selectFrom('work_orders').select(['item_id']).as('d'))
          .innerJoin('items as i', 'i.id', 'd.item_id')
          .select('i.code'),
        ['items', 'work_orders'],
      ],
      // The joined side itself a subquery.
      [
        k
          .selectFrom('work_orders as w')
          .innerJoin(k.selectFrom('items').select(['id', 'code']).as('i'), 'i.id', 'w.item_id')
          .select('i.code'),
        ['items', 'work_orders'],
      ],
      // Raw SQL: every table it names.
      [
        sql`select w.id, i.code from work_orders w join items i on i.id = w.item_id`.compile(k),
        ['items', 'work_orders'],
      ],
    ];
    for (const [q, full] of cases)
      assert.deepEqual(reads(q), { full, lookups: [] }, 'compile' in q ? q.compile().sql : q.sql);
    // A CTE named like a table is not that table.
    const cte = reads(
      k
        .with('items', (db) => db.selectFrom('customers').select(['id', 'code']))
        .selectFrom('sales_orders as so')
        .innerJoin('items as c', 'c.id', 'so.customer_id')
        .select('c.code'),
    );
    assert.deepEqual(cte, { full: ['customers', 'sales_orders'], lookups: [] });
  });

  it('tells writes that only add rows from writes that may change or remove rows', () => {
    const row = { id: '1', code: 'c' } as never;
    assert.deepEqual(writes(k.insertInto('items').values(row)), ['insert items']);
    assert.deepEqual(
      writes(
        k
          .insertInto('items')
          .values(row)
          .onConflict((oc) => oc.column('id').doNothing()),
      ),
      ['insert items'],
    );
    assert.deepEqual(writes(k.insertInto('items').values(row).orIgnore()), ['insert items']);
    assert.deepEqual(
      writes(
        k
          .insertInto('items')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet({ code: 'd' })),
      ),
      ['change items'],
    );
    assert.deepEqual(writes(k.replaceInto('items').values(row)), ['change items']);
    assert.deepEqual(writes(k.insertInto('items').values(row).orReplace()), ['change items']);
    assert.deepEqual(
      writes(k.insertInto('audit_log').columns(['id']).expression(k.selectFrom('items').select('id'))),
      ['insert audit_log'],
    );
    assert.deepEqual(writes(k.updateTable('items').set({ name: 'x' }).where('id', '=', '1')), [
      'change items',
    ]);
    assert.deepEqual(writes(k.deleteFrom('items').where('id', '=', '1')), ['change items']);
    assert.deepEqual(writes(k.selectFrom('items').selectAll()), []);
    // A data-modifying CTE (PostgreSQL) writes too.
    assert.deepEqual(
      writes(
        k
          .with('moved', (db) => db.updateTable('items').set({ name: 'x' }).returning('id'))
          .insertInto('audit_log')
          .columns(['id'])
          .expression((eb) => eb.selectFrom('moved').select('id')),
      ),
      ['change items', 'insert audit_log'],
    );
    // Raw SQL: the bulk inserts of both databases add rows; anything else changes.
    const raw = (text: string) => writes(sql.raw(text).compile(k));
    assert.deepEqual(raw('insert into "items" ("id", "code") values (?, ?), (?, ?)'), ['insert items']);
    assert.deepEqual(
      raw('insert into "items" ("id") select "id" from json_populate_recordset(null::"items", $1::json)'),
      ['insert items'],
    );
    assert.deepEqual(
      raw('insert into items (id) values (?) on conflict (id) do update set code = excluded.code'),
      ['change items'],
    );
    assert.deepEqual(raw('INSERT OR REPLACE INTO items (id) VALUES (?)'), ['change items']);
    assert.deepEqual(raw('insert into items (id) values (?); delete from lots'), [
      'change items',
      'change lots',
    ]);
    assert.deepEqual(raw('UPDATE "stock_balances" SET on_hand = 0 WHERE item_id IN (SELECT id FROM items)'), [
      'change stock_balances',
    ]);
    assert.deepEqual(raw('truncate table stock_moves'), ['change stock_moves']);
  });
});

describe('table versions', () => {
  it('keeps a clock of any write and one of changes, per table', () => {
    const v = new TableVersions();
    v.bump(['items']);
    const epoch = v.epoch;
    assert.equal(v.changedSince(['items', 'work_orders'], epoch), false);
    v.bump(['+items']);
    assert.equal(v.changedSince(['items'], epoch), true, 'an added row is a write');
    assert.equal(v.staleSince([], ['items'], epoch), false, 'but no change to a row looked up');
    assert.equal(v.staleSince(['items'], [], epoch), true, 'and stales what read the table in full');
    v.bump(['items']);
    assert.equal(v.staleSince([], ['items'], epoch), true);
    const later = v.epoch;
    v.bumpAll();
    assert.equal(v.staleSince([], ['anything'], later), true);
  });

  it('hands its listeners the tokens, and takes tokens from elsewhere without passing them on', () => {
    const v = new TableVersions();
    const heard: string[][] = [];
    v.onBump((w) => heard.push([...w]));
    v.bump(['+items', 'audit_log']);
    const epoch = v.epoch;
    v.bump(['items'], true);
    assert.deepEqual(heard, [['+items', 'audit_log']]);
    assert.equal(v.staleSince([], ['items'], epoch), true);
  });

  it('changes the tables that ON DELETE actions reach, and reads the tables under a view', () => {
    const v = new TableVersions();
    v.learn({
      foreignKeys: ['item_uom_conversions.item_id>items.id'],
      cascades: [
        { parent: 'items', child: 'item_uom_conversions' },
        { parent: 'work_orders', child: 'work_orders' },
      ],
      views: [{ view: 'stock_moves_all', tables: ['stock_moves', 'stock_moves_archive'] }],
    });
    const epoch = v.epoch;
    v.bump(['+items']);
    assert.equal(v.changedSince(['item_uom_conversions'], epoch), false, 'an insert sets off no action');
    v.bump(['items']);
    assert.equal(v.staleSince([], ['item_uom_conversions'], epoch), true);
    v.bump(['work_orders']);
    assert.deepEqual(v.readTables('stock_moves_all'), [
      'stock_moves_all',
      'stock_moves',
      'stock_moves_archive',
    ]);
    assert.equal(v.trusts(['work_orders.item_id>items.id', 'item_uom_conversions.item_id>items.id']), true);
    assert.equal(v.trusts(['work_orders_archive.item_id>items.id']), false);
  });
});

for (const target of await testTargets()) {
  describe(`table links on ${target.name}`, () => {
    it('knows the enforced keys, their actions and the view of all moves; the database refuses a dangling key', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const links = await readTableLinks(db.kysely, db.dialect);
      const keys = new Set(links.foreignKeys);
      for (const key of [
        'work_orders.item_id>items.id',
        'work_order_materials.item_id>items.id',
        'stock_balances.item_id>items.id',
        'stock_moves.lot_id>lots.id',
        'sales_orders.customer_id>customers.id',
        'work_order_operations.work_order_id>work_orders.id',
      ])
        assert.ok(keys.has(key), `${target.name}: ${key}`);
      // Archived rows keep their ids without a constraint, and a balance without a lot holds '':
      // a join along either reads the other table in full.
      assert.ok(![...keys].some((key) => key.startsWith('work_orders_archive.')), target.name);
      assert.ok(!keys.has('stock_balances.lot_id>lots.id'), target.name);
      assert.ok(
        links.cascades.some((c) => c.parent === 'work_orders' && c.child === 'work_order_operations'),
        target.name,
      );
      assert.deepEqual([...(links.views.find((v) => v.view === 'stock_moves_all')?.tables ?? [])].sort(), [
        'stock_moves',
        'stock_moves_archive',
      ]);
      const now = nowIso();
      await assert.rejects(
        db.kysely
          .insertInto('stock_balances')
          .values({
            item_id: newId(),
            location_id: (await insertWarehouse(db.kysely, 'TV-WH', ['A'])).A!,
            lot_id: '',
            on_hand: 1,
            updated_at: now,
          } as never)
          .execute(),
        /foreign key|FOREIGN KEY/,
      );
    });

    it('notes lookups along enforced keys and everything else in full while a computation runs', async (t) => {
      const h = await startHarness(target, { demo: false, start: false });
      t.after(() => h.close());
      const { db } = h.runtime;
      const v = new TableVersions();
      const run = async (fn: () => Promise<unknown>) => {
        const seen = new ReadSet();
        await trackReads(seen, fn);
        return { full: [...seen.full].sort(), lookedUp: seen.onlyLookedUp().sort() };
      };
      const q = () =>
        db.kysely
          .selectFrom('work_orders as w')
          .innerJoin('items as i', 'i.id', 'w.item_id')
          .select(['w.id', 'i.code'])
          .compile();
      const observe = async () => {
        const c = q();
        observeStatement(v, c.query as never, c.sql);
      };
      assert.deepEqual(
        await run(observe),
        { full: ['items', 'work_orders'], lookedUp: [] },
        'no keys known yet',
      );
      v.learn(await readTableLinks(db.kysely, db.dialect));
      assert.deepEqual(await run(observe), { full: ['work_orders'], lookedUp: ['items'] });
      // Through the Db itself: raw SQL reads in full.
      assert.deepEqual(
        await run(async () => {
          await sql`select count(*) from stock_moves_all`.execute(db.kysely);
        }),
        { full: ['stock_moves_all'], lookedUp: [] },
      );
    });
  });
}
