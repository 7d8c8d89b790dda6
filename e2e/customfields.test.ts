import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_PASSWORD,
  adminApi,
  chooseOption,
  chromiumAvailable,
  type E2E,
  ok,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

describe('custom fields in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('an administrator adds a text field to items; it is filled on create and shown on the item', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);

    await page.goto('/master-data/custom-fields');
    await page.getByRole('button', { name: /Add field/i }).click();
    const modal = page.getByRole('dialog');
    await modal.locator('input#key').fill('drawing_no');
    await modal.locator('input#labelZh').fill('图号');
    await modal.locator('input#labelEn').fill('Drawing no.');
    await modal.getByRole('button', { name: /^Create$/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.ant-table-row').filter({ hasText: 'drawing_no' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'custom-fields-en.png') });

    await page.goto('/master-data/items');
    await page.getByRole('button', { name: /New item/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#code').fill('RM-880001');
    await drawer.locator('input#name').fill('Custom field steel bar');
    await chooseOption(page, drawer.locator('#type'), /Raw material/);
    await drawer.locator('input#uom').fill('pcs');
    await drawer.getByLabel('Drawing no.').fill('DWG-4711');
    await drawer.getByRole('button', { name: /^Create$/ }).click();
    await drawer.waitFor({ state: 'hidden' });

    await page.locator('.takt-search input').fill('RM-880001');
    await page.locator('.ant-table-row a').filter({ hasText: 'RM-880001' }).click();
    const detail = page.getByRole('dialog');
    const field = detail.getByLabel('Drawing no.');
    await field.waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('input#customFields_drawing_no') as HTMLInputElement | null)?.value ===
        'DWG-4711',
    );
    assert.equal(await field.inputValue(), 'DWG-4711');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'item-custom-field-en.png') });

    const res = await page.request.get('/api/v1/items?customField=drawing_no&customValue=4711');
    const found = (await res.json()) as { items: { code: string; customFields: Record<string, unknown> }[] };
    assert.deepEqual(
      found.items.map((i) => [i.code, i.customFields.drawing_no]),
      [['RM-880001', 'DWG-4711']],
    );
    await ctx.close();
  });

  it('edits a custom field of a work order on its detail page', async () => {
    const api = await adminApi(e.base);
    const post = (url: string, body: object) => ok<{ id: string; code: string }>(api, 'POST', url, body);
    await post('/api/v1/masterdata/custom-fields', {
      entity: 'work_orders',
      key: 'customer_po',
      kind: 'text',
      labelZh: '客户订单号',
      labelEn: 'Customer PO',
    });
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const items = (await (await page.request.get('/api/v1/items?type=finished&limit=1')).json()) as {
      items: { id: string }[];
    };
    const wo = await post('/api/v1/work-orders', {
      itemId: items.items[0]!.id,
      qty: '10',
      withChildren: false,
      customFields: { customer_po: 'PO-1' },
    });
    await page.goto(`/production/work-orders/${wo.id}`);
    const panel = page.getByTestId('custom-field-values');
    await panel.getByText('PO-1').waitFor();
    await page.getByTestId('custom-fields-edit').click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Customer PO').fill('PO-2026-77');
    await modal.getByRole('button', { name: /Save/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await panel.getByText('PO-2026-77').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-order-custom-field-en.png') });
    await ctx.close();
  });

  it('filters the customer list by a custom value and exports the custom column', async () => {
    const api = await adminApi(e.base);
    const post = (url: string, body: object) => ok<{ id: string; code: string }>(api, 'POST', url, body);
    await post('/api/v1/masterdata/custom-fields', {
      entity: 'customers',
      key: 'grade',
      kind: 'choice',
      labelZh: '等级',
      labelEn: 'Grade',
      options: ['gold', 'silver'],
    });
    await post('/api/v1/customers', {
      code: 'C-CFE-1',
      name: 'Gold Gear Co',
      customFields: { grade: 'gold' },
    });
    await post('/api/v1/customers', {
      code: 'C-CFE-2',
      name: 'Silver Gear Co',
      customFields: { grade: 'silver' },
    });
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/customers?q=C-CFE');
    const rows = page.locator('.ant-table-row');
    await rows.filter({ hasText: 'C-CFE-2' }).waitFor();
    const filter = page.getByTestId('custom-field-filter');
    await chooseOption(page, filter.getByLabel('Custom field'), 'Grade');
    // A field without a value lists the records that have one; choose the value once that list is in.
    await page.waitForURL((u) => u.searchParams.get('customField') === 'grade');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'C-CFE-2' }).waitFor();
    await chooseOption(page, filter.getByLabel('Grade'), 'gold');
    await page.waitForURL((u) => u.searchParams.get('customValue') === 'gold');
    await rows.filter({ hasText: 'C-CFE-2' }).waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'C-CFE-1' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(new URL(page.url()).searchParams.get('customField'), 'grade');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customer-custom-filter-en.png') });

    const res = await page.request.get('/api/v1/customers/export?format=csv');
    assert.equal(res.status(), 200);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .map((l) => l.split(','));
    const at = lines[0]!.indexOf('等级 Grade [grade]');
    assert.ok(at > 0, lines[0]!.join(','));
    assert.equal(lines.find((l) => l[0] === 'C-CFE-1')?.[at], 'gold');
    assert.equal(lines.find((l) => l[0] === 'C-CFE-2')?.[at], 'silver');
    await ctx.close();
  });

  it('merges a suspected duplicate customer from the data-quality page after showing what moves', async () => {
    const api = await adminApi(e.base);
    const post = (url: string, body: object) => ok<{ id: string; code: string }>(api, 'POST', url, body);
    const keep = await post('/api/v1/customers', { code: 'C-DUP-1', name: 'Duplicate Trading Co' });
    const dup = await post('/api/v1/customers', { code: 'C-DUP-2', name: 'Duplicate  Trading  Co' });
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/quality');
    const row = page.locator('.ant-table-row').filter({ hasText: 'C-DUP-1, C-DUP-2' });
    await row.getByRole('button', { name: /Merge/ }).click();
    const modal = page.getByRole('dialog');
    await modal
      .getByText(/Nothing refers to the records to be merged|References that will move/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'merge-preview-en.png') });
    await modal.getByTestId('merge-confirm').click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByText(/Merged C-DUP-2 into C-DUP-1/).waitFor();
    const after = (await (await page.request.get(`/api/v1/customers/${dup.id}`)).json()) as {
      active: boolean;
    };
    assert.equal(after.active, false);
    const kept = (await (await page.request.get(`/api/v1/customers/${keep.id}`)).json()) as {
      active: boolean;
    };
    assert.equal(kept.active, true);
    await ctx.close();
  });
});
