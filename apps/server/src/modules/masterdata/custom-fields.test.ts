import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, type Harness, signIn, startHarness } from '../../testing/harness.ts';

for (const target of await testTargets()) {
  describe(`custom fields on ${target.name}`, () => {
    let h: Harness;
    let call: ReturnType<typeof api>;
    const defs: Record<string, { id: string; version: number }> = {};

    before(async () => {
      h = await startHarness(target, { demo: true });
      call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      for (const body of [
        {
          entity: 'items',
          key: 'drawing_no',
          kind: 'text',
          labelZh: '图号',
          labelEn: 'Drawing no.',
          required: true,
        },
        { entity: 'items', key: 'weight_kg', kind: 'number', labelZh: '重量', labelEn: 'Weight (kg)' },
        { entity: 'items', key: 'approved_on', kind: 'date', labelZh: '批准日期', labelEn: 'Approved on' },
        {
          entity: 'items',
          key: 'finish',
          kind: 'choice',
          labelZh: '表面处理',
          labelEn: 'Finish',
          options: ['电镀', 'painted', 'raw'],
        },
      ]) {
        const res = await call('POST', '/api/v1/masterdata/custom-fields', body);
        assert.equal(res.statusCode, 201, res.body);
        defs[body.key] = res.json();
      }
    });
    after(async () => h.close());

    const newItem = (code: string, customFields?: object) =>
      call('POST', '/api/v1/items', {
        code,
        name: `定制字段 ${code}`,
        type: 'raw',
        uom: 'pcs',
        customFields,
      });

    it('lists definitions per entity and refuses a bad key, a duplicate key and a choice without options', async () => {
      const list = (await call('GET', '/api/v1/masterdata/custom-fields?entity=items')).json();
      assert.deepEqual(
        list.map((d: { key: string }) => d.key),
        ['approved_on', 'drawing_no', 'finish', 'weight_kg'],
      );
      const bad = await call('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'items',
        key: 'Bad-Key',
        kind: 'text',
        labelZh: 'x',
        labelEn: 'x',
      });
      assert.equal(bad.statusCode, 400);
      const dup = await call('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'items',
        key: 'drawing_no',
        kind: 'text',
        labelZh: 'x',
        labelEn: 'x',
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().errors[0].field, '/key');
      const noOptions = await call('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'customers',
        key: 'region',
        kind: 'choice',
        labelZh: '区域',
        labelEn: 'Region',
      });
      assert.equal(noOptions.statusCode, 400);
      assert.equal(noOptions.json().errors[0].field, '/options');
    });

    it('stores valid values of every kind and returns them in detail and list', async () => {
      const res = await newItem('CF-0001', {
        drawing_no: ' DWG-100 ',
        weight_kg: '2.5',
        approved_on: '2026-03-01',
        finish: '电镀',
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().customFields, {
        drawing_no: 'DWG-100',
        weight_kg: 2.5,
        approved_on: '2026-03-01',
        finish: '电镀',
      });
      const detail = (await call('GET', `/api/v1/items/${res.json().id}`)).json();
      assert.equal(detail.customFields.weight_kg, 2.5);
      const list = (await call('GET', '/api/v1/items?q=CF-0001')).json();
      assert.equal(list.items[0].customFields.drawing_no, 'DWG-100');
    });

    it('refuses wrong type, unknown key, missing required and a choice not offered, each by field, writing nothing', async () => {
      const res = await newItem('CF-0002', {
        weight_kg: 'heavy',
        approved_on: '2026-02-30',
        finish: 'gold',
        colour: 'red',
      });
      assert.equal(res.statusCode, 400, res.body);
      const p = res.json();
      assert.equal(p.code, 'VALIDATION_FAILED');
      const byField = Object.fromEntries(
        p.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      );
      assert.deepEqual(byField, {
        '/customFields/weight_kg': 'type',
        '/customFields/approved_on': 'type',
        '/customFields/finish': 'choice',
        '/customFields/colour': 'unknown',
        '/customFields/drawing_no': 'required',
      });
      const none = (await call('GET', '/api/v1/items?q=CF-0002')).json();
      assert.equal(none.items.length, 0);
    });

    it('updates only the keys sent and refuses clearing a required field', async () => {
      const item = (await newItem('CF-0003', { drawing_no: 'DWG-300', weight_kg: 1 })).json();
      const upd = await call('PATCH', `/api/v1/items/${item.id}`, {
        version: item.version,
        customFields: { weight_kg: 7, finish: 'raw' },
      });
      assert.equal(upd.statusCode, 200, upd.body);
      assert.deepEqual(upd.json().customFields, { drawing_no: 'DWG-300', weight_kg: 7, finish: 'raw' });
      const cleared = await call('PATCH', `/api/v1/items/${item.id}`, {
        version: upd.json().version,
        customFields: { drawing_no: null },
      });
      assert.equal(cleared.statusCode, 400);
      assert.equal(cleared.json().errors[0].field, '/customFields/drawing_no');
      const still = (await call('GET', `/api/v1/items/${item.id}`)).json();
      assert.equal(still.version, upd.json().version);
    });

    it('finds records by a custom value: text contains, number and choice exactly', async () => {
      await newItem('CF-0004', { drawing_no: 'ABC-77-X', weight_kg: 12, finish: 'painted' });
      await newItem('CF-0005', { drawing_no: 'ZZZ-1', weight_kg: 120, finish: 'painted' });
      const codes = async (query: string) =>
        (await call('GET', `/api/v1/items?${query}`)).json().items.map((i: { code: string }) => i.code);
      assert.deepEqual(await codes('customField=drawing_no&customValue=abc-77'), ['CF-0004']);
      assert.deepEqual(await codes('customField=weight_kg&customValue=12.0'), ['CF-0004']);
      assert.deepEqual(await codes('customField=finish&customValue=painted&sort=code'), [
        'CF-0004',
        'CF-0005',
      ]);
      assert.deepEqual(await codes('customField=finish&customValue=%E7%94%B5%E9%95%80'), ['CF-0001']);
      assert.ok((await codes('customField=approved_on')).includes('CF-0001'));
    });

    it('works the same on customers, suppliers, machines and work orders', async () => {
      for (const entity of ['customers', 'suppliers', 'machines', 'work_orders']) {
        const res = await call('POST', '/api/v1/masterdata/custom-fields', {
          entity,
          key: 'grade',
          kind: 'choice',
          labelZh: '等级',
          labelEn: 'Grade',
          options: ['gold', 'silver'],
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      const customer = await call('POST', '/api/v1/customers', {
        code: 'C-8801',
        name: '定制客户',
        customFields: { grade: 'gold' },
      });
      assert.equal(customer.statusCode, 201, customer.body);
      assert.equal(customer.json().customFields.grade, 'gold');
      const badCustomer = await call('POST', '/api/v1/customers', {
        code: 'C-8802',
        name: '定制客户2',
        customFields: { grade: 'bronze' },
      });
      assert.equal(badCustomer.statusCode, 400);
      const found = (await call('GET', '/api/v1/customers?customField=grade&customValue=gold')).json();
      assert.deepEqual(
        found.items.map((c: { code: string }) => c.code),
        ['C-8801'],
      );

      const supplier = await call('POST', '/api/v1/suppliers', {
        code: 'S-8801',
        name: '定制供应商',
        customFields: { grade: 'silver' },
      });
      assert.equal(supplier.statusCode, 201, supplier.body);
      const upd = await call('PATCH', `/api/v1/suppliers/${supplier.json().id}`, {
        version: 1,
        customFields: { grade: 'gold' },
      });
      assert.equal(upd.json().customFields.grade, 'gold');
      const suppliers = (await call('GET', '/api/v1/suppliers?customField=grade&customValue=gold')).json();
      assert.deepEqual(
        suppliers.items.map((s: { code: string }) => s.code),
        ['S-8801'],
      );

      const wc = (await call('GET', '/api/v1/work-centers?limit=1')).json().items[0];
      const machine = await call('POST', '/api/v1/machines', {
        code: 'M-CF1',
        name: '定制设备',
        workCenterId: wc.id,
        customFields: { grade: 'gold' },
      });
      assert.equal(machine.statusCode, 201, machine.body);
      const machines = (await call('GET', '/api/v1/machines?customField=grade&customValue=gold')).json();
      assert.deepEqual(
        machines.items.map((m: { code: string }) => m.code),
        ['M-CF1'],
      );

      const item = (await call('GET', '/api/v1/items?type=finished&limit=1')).json().items[0];
      const wo = await call('POST', '/api/v1/work-orders', {
        itemId: item.id,
        qty: '5',
        withChildren: false,
        customFields: { grade: 'silver' },
      });
      assert.equal(wo.statusCode, 201, wo.body);
      assert.equal(wo.json().customFields.grade, 'silver');
      const wos = (await call('GET', '/api/v1/work-orders?customField=grade&customValue=silver')).json();
      assert.deepEqual(
        wos.items.map((w: { id: string }) => w.id),
        [wo.json().id],
      );
      const woUpd = await call('PATCH', `/api/v1/work-orders/${wo.json().id}/custom-fields`, {
        version: wo.json().version,
        customFields: { grade: 'gold' },
      });
      assert.equal(woUpd.statusCode, 200, woUpd.body);
      assert.equal(woUpd.json().customFields.grade, 'gold');
      assert.equal(woUpd.json().version, wo.json().version + 1);
      const woStale = await call('PATCH', `/api/v1/work-orders/${wo.json().id}/custom-fields`, {
        version: wo.json().version,
        customFields: { grade: 'silver' },
      });
      assert.equal(woStale.statusCode, 409);
      const woBad = await call('PATCH', `/api/v1/work-orders/${wo.json().id}/custom-fields`, {
        version: woUpd.json().version,
        customFields: { grade: 'platinum' },
      });
      assert.equal(woBad.statusCode, 400);
      assert.equal(woBad.json().errors[0].field, '/customFields/grade');
      const badWo = await call('POST', '/api/v1/work-orders', {
        itemId: item.id,
        qty: '5',
        customFields: { grade: 5 },
      });
      assert.equal(badWo.statusCode, 400);
      assert.equal(badWo.json().errors[0].field, '/customFields/grade');
    });

    it('exports the custom columns and imports them, checked like the API', async () => {
      const res = await call('GET', '/api/v1/items/export?format=csv&q=CF-0004');
      assert.equal(res.statusCode, 200, res.body);
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      const header = lines[0]!.split(',');
      const at = header.indexOf('重量 Weight (kg) [weight_kg]');
      assert.ok(at > 0, lines[0]);
      assert.ok(header.includes('图号 Drawing no. [drawing_no]'));
      const row = lines.find((l) => l.startsWith('CF-0004'))!.split(',');
      assert.equal(row[at], '12');
      assert.equal(row[header.indexOf('图号 Drawing no. [drawing_no]')], 'ABC-77-X');

      const csv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
      const heads = ['Code', 'Name', 'Type', 'UoM', 'drawing_no', 'Finish', 'weight_kg'];
      const bad = await call(
        'POST',
        '/api/v1/items/import',
        csv([heads, ['CF-0100', 'imported', 'raw', 'pcs', 'D-100', 'gold', '1']]),
        {
          'content-type': 'text/csv',
        },
      );
      assert.equal(bad.statusCode, 422, bad.body);
      assert.equal(bad.json().status, 'invalid');
      assert.equal(bad.json().errors[0].column, '表面处理 Finish [finish]');
      const good = await call(
        'POST',
        '/api/v1/items/import?mode=upsert',
        csv([
          heads,
          ['CF-0100', 'imported', 'raw', 'pcs', 'D-100', 'raw', '1.25'],
          ['CF-0004', '定制字段 CF-0004', 'raw', 'pcs', 'ABC-77-X', 'painted', ''],
        ]),
        { 'content-type': 'text/csv' },
      );
      assert.equal(good.statusCode, 200, good.body);
      assert.equal(good.json().status, 'imported', good.body);
      const imported = (await call('GET', '/api/v1/items?q=CF-0100')).json().items[0];
      assert.deepEqual(imported.customFields, { drawing_no: 'D-100', finish: 'raw', weight_kg: 1.25 });
      const updated = (await call('GET', '/api/v1/items?q=CF-0004')).json().items[0];
      assert.deepEqual(updated.customFields, { drawing_no: 'ABC-77-X', finish: 'painted' });
      const noDrawing = await call(
        'POST',
        '/api/v1/items/import',
        csv([
          ['Code', 'Name', 'Type', 'UoM'],
          ['CF-0101', 'x', 'raw', 'pcs'],
        ]),
        {
          'content-type': 'text/csv',
        },
      );
      assert.equal(noDrawing.json().status, 'invalid');
      assert.equal(noDrawing.json().errors[0].column, '图号 Drawing no. [drawing_no]');
    });

    it('no longer accepts a deactivated field, but keeps stored values; changes are audited', async () => {
      const d = defs.weight_kg!;
      const off = await call('PATCH', `/api/v1/masterdata/custom-fields/${d.id}`, {
        version: d.version,
        active: false,
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().active, false);
      const res = await newItem('CF-0006', { drawing_no: 'D-6', weight_kg: 3 });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().errors[0].field, '/customFields/weight_kg');
      assert.equal(res.json().errors[0].code, 'inactive');
      const kept = (await call('GET', '/api/v1/items?q=CF-0100')).json().items[0];
      assert.equal(kept.customFields.weight_kg, 1.25);
      const audit = await h.runtime.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'custom_field')
        .where('entity_id', '=', d.id)
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['create', 'deactivate'],
      );
      const stale = await call('PATCH', `/api/v1/masterdata/custom-fields/${d.id}`, {
        version: d.version,
        labelEn: 'x',
      });
      assert.equal(stale.statusCode, 409);
    });

    it('needs an administrator to change definitions', async () => {
      await call('POST', '/api/v1/identity/users', {
        login: 'cfviewer',
        displayName: 'viewer',
        password: 'viewer-pass-1',
        roles: ['planner'],
      });
      const planner = api(h.runtime, await signIn(h.runtime, 'cfviewer', 'viewer-pass-1'));
      const res = await planner('POST', '/api/v1/masterdata/custom-fields', {
        entity: 'items',
        key: 'nope',
        kind: 'text',
        labelZh: 'x',
        labelEn: 'x',
      });
      assert.equal(res.statusCode, 403);
      assert.equal((await planner('GET', '/api/v1/masterdata/custom-fields')).statusCode, 200);
    });
  });
}
