import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumAvailable, DEMO_PASSWORD, type E2E, SCREENSHOTS, signIn, startE2E } from './browser.ts';

interface Ref {
  id: string;
  code: string;
  itemId?: string;
  status?: string;
  type?: string;
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
  return (await res.json()) as T;
}

/** Picks an option of a server-searched select: types the search, then clicks the option that matches. */
async function pickOption(page: Page, select: ReturnType<Page['locator']>, search: string, option: RegExp) {
  await select.click();
  await page.keyboard.type(search);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

describe('production and inventory in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('creates and releases a work order, shows its child order and operations, and a second tab updates live', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'planner', DEMO_PASSWORD);

    // A finished item with an active BOM and an active routing.
    const finished = await getJson<{ items: Ref[] }>(page, '/api/v1/items?type=finished&limit=100');
    const boms = await getJson<{ items: Ref[] }>(page, '/api/v1/boms?limit=500');
    const routings = await getJson<{ items: Ref[] }>(page, '/api/v1/routings?limit=500');
    const activeBom = new Set(boms.items.filter((b) => b.status === 'active').map((b) => b.itemId));
    const activeRouting = new Set(routings.items.filter((r) => r.status === 'active').map((r) => r.itemId));
    const item = finished.items.find((i) => activeBom.has(i.id) && activeRouting.has(i.id));
    assert.ok(item, 'the demo factory has a finished item with an active BOM and routing');

    const other = await ctx.newPage();
    await other.goto('/production/work-orders');
    await other.getByRole('heading', { name: 'Work orders' }).first().waitFor();
    await other.locator('.ant-table').first().waitFor();

    await page.goto('/production/work-orders');
    await page.getByRole('button', { name: /New work order/ }).click();
    const drawer = page.getByRole('dialog');
    await pickOption(page, drawer.locator('#itemId'), item.code, new RegExp(item.code));
    await drawer.locator('input#qty').fill('12');
    await drawer.locator('input#dueDate').fill('2030-06-30');
    await drawer.getByRole('button', { name: /^Create$/ }).click();
    await page.waitForURL(/\/production\/work-orders\/[^/]+$/);
    const heading = await page
      .getByRole('heading', { name: /Work order WO-/ })
      .first()
      .textContent();
    const code = /WO-[\w-]+/.exec(heading ?? '')?.[0];
    assert.ok(code, 'the detail page shows the new code');
    await page.getByText('Draft').first().waitFor();

    // The other tab was not reloaded: the new order arrives over SSE.
    await other.getByText(code).first().waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.locator('.ant-page-header, .takt-page-header').getByText('Released').first().waitFor();
    // Child order for the made component, and operations ready to dispatch.
    const children = page.locator('.takt-wo-child');
    await children.first().waitFor();
    assert.ok((await children.count()) >= 1);
    await page.getByRole('cell', { name: 'Ready' }).first().waitFor();
    await page.getByText('Retry dispatch').count();
    // The history shows the release.
    await page
      .getByText(/Release: Draft → Released/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-order-detail-en.png'), fullPage: true });

    // Status changes reach the other tab's list too.
    await other
      .locator('.ant-table-row', { hasText: code })
      .getByText('Released')
      .first()
      .waitFor({ timeout: 10_000 });
    await other.screenshot({ path: path.join(SCREENSHOTS, 'work-orders-en.png') });

    // The board shows it in the released column.
    await page.goto('/production/board');
    await page.locator('[data-column="released"]').getByText(code).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board-en.png') });
    await ctx.close();
  });

  it('moves a card on the board and shows it on a phone with stacked columns', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'supervisor', DEMO_PASSWORD);
    const list = await getJson<{ items: Ref[] }>(page, '/api/v1/work-orders?status=released&limit=5');
    const wo = list.items[0];
    assert.ok(wo, 'a released work order from the first test');
    await page.goto('/production/board');
    const card = page.locator(`[data-wo="${wo.code}"]`);
    await card.waitFor();
    await card.dragTo(page.locator('[data-column="dispatched"]'));
    await page
      .locator('[data-column="dispatched"]')
      .locator(`[data-wo="${wo.code}"]`)
      .waitFor({ timeout: 10_000 });
    // A move the lifecycle does not allow is refused on the spot and the card stays.
    await page.locator(`[data-wo="${wo.code}"]`).dragTo(page.locator('[data-column="completed"]'));
    await page.locator('[data-column="dispatched"]').locator(`[data-wo="${wo.code}"]`).waitFor();
    await ctx.close();

    const phone = await e.context({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'zh-CN' });
    const p = await phone.newPage();
    await signIn(p, 'supervisor', DEMO_PASSWORD);
    await p.goto('/production/board');
    await p.locator(`[data-wo="${wo.code}"]`).waitFor();
    const box1 = await p.locator('[data-column="released"]').boundingBox();
    const box2 = await p.locator('[data-column="dispatched"]').boundingBox();
    assert.ok(box1 && box2 && box2.y > box1.y + box1.height - 1, 'columns stack on a phone');
    await p.screenshot({ path: path.join(SCREENSHOTS, 'board-phone-zh.png'), fullPage: true });
    await phone.close();
  });

  it('posts a receipt in the UI and the balance changes', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'warehouse', DEMO_PASSWORD);
    const raw = await getJson<{ items: Ref[] }>(page, '/api/v1/items?type=raw&limit=5');
    const item = raw.items[0];
    assert.ok(item);
    const warehouses = await getJson<{ items: Ref[] }>(page, '/api/v1/warehouses?limit=50');
    const rm = warehouses.items.find((w) => w.code === 'WH-RM') ?? warehouses.items[0]!;
    const locations = await getJson<{ items: Ref[] }>(page, `/api/v1/warehouses/${rm.id}/locations?limit=50`);
    const loc = locations.items[0]!;

    await page.goto(`/inventory/balances?itemId=${item.id}&locationId=${loc.id}&includeZero=1`);
    await page.getByRole('heading', { name: 'Stock on hand' }).first().waitFor();
    await page.locator('.ant-table').first().waitFor();
    const cell = page.getByTestId(`onhand-${item.code}-${loc.code}`);
    const before = (await cell.count()) ? Number((await cell.textContent())?.replaceAll(',', '')) : 0;

    await page.getByRole('button', { name: /Post move/ }).click();
    const drawer = page.getByRole('dialog');
    await pickOption(page, drawer.locator('#itemId'), item.code, new RegExp(item.code));
    await drawer.locator('input#qty').fill('7');
    await drawer.locator('input#lot').fill('E2E-LOT-1');
    await pickOption(page, drawer.locator('#toLocationId'), loc.code, new RegExp(loc.code));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'post-receipt-en.png') });
    await drawer.getByRole('button', { name: /^Post$/ }).click();
    await drawer.waitFor({ state: 'hidden' });

    const lotRow = page.locator('.ant-table-row', { hasText: 'E2E-LOT-1' });
    await lotRow.first().waitFor({ timeout: 10_000 });
    assert.equal((await lotRow.getByTestId(`onhand-${item.code}-${loc.code}`).textContent())?.trim(), '7');
    assert.ok(before >= 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'balances-en.png') });

    await page.goto(`/inventory/moves?itemId=${item.id}`);
    const receiptRow = page.locator('.ant-table-row', { hasText: 'Receipt' }).first();
    await receiptRow.waitFor();
    await receiptRow.getByText(loc.code, { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'moves-en.png') });
    await ctx.close();
  });
});
