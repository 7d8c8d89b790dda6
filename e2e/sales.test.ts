import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_PASSWORD,
  chromiumAvailable,
  clickUntil,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

interface OrderRow {
  id: string;
  code: string;
  status: string;
}

describe('sales, purchasing and MRP in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('confirms a draft order, makes its work orders, and a second tab sees them arrive live', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);

    // the demo factory has a draft order for a finished item with an active BOM
    const drafts = (await (await page.request.get('/api/v1/sales-orders?status=draft')).json()) as {
      items: OrderRow[];
    };
    const order = drafts.items[0];
    assert.ok(order, 'the demo data has a draft sales order');

    await page.goto('/sales/orders');
    await page.getByRole('heading', { name: 'Sales orders' }).waitFor();
    await page.getByText(order.code).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sales-orders-en.png') });

    await page.getByText(order.code).first().click();
    await page.waitForURL(`**/sales/orders/${order.id}`);
    const progress = page.getByTestId('progress-panel');
    await progress.getByText(/none/).first().waitFor();

    // the second tab shows the same order before anything happens
    const other = await ctx.newPage();
    await other.goto(`/sales/orders/${order.id}`);
    const otherProgress = other.getByTestId('progress-panel');
    await otherProgress.getByText(/none/).first().waitFor();
    await other.getByLabel(/^Live/).first().waitFor({ timeout: 10_000 });

    // A click in the confirmation while it still opens can be lost under load: it is tried again.
    const confirmation = page.locator('.ant-modal-confirm');
    await clickUntil(page.getByRole('button', { name: 'Confirm' }).first(), confirmation);
    await clickUntil(
      confirmation.getByRole('button', { name: 'Confirm' }),
      page.locator('.ant-page-header, .takt-page-header').getByText('Confirmed').first(),
    );

    await page.getByRole('button', { name: 'Make work orders' }).click();
    const made = page.getByTestId('made-work-orders');
    await made.getByText(/^WO-/).first().waitFor();
    const codes = await made.locator('a.takt-mono').allTextContents();
    assert.ok(codes.length > 0, 'work orders were made');
    // let the dialog finish opening before the picture
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sales-make-work-orders-en.png') });
    await page.keyboard.press('Escape');

    // no reload in the other tab: the work orders arrive over SSE
    for (const code of codes) await otherProgress.getByText(code).first().waitFor({ timeout: 10_000 });
    await other.locator('.takt-page-header').getByText('In production').first().waitFor({ timeout: 10_000 });
    await other.screenshot({ path: path.join(SCREENSHOTS, 'sales-order-live-en.png'), fullPage: true });
    await ctx.close();

    const phone = await e.context({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'zh-CN' });
    const mobile = await phone.newPage();
    await signIn(mobile, 'admin', ADMIN_PASSWORD);
    await mobile.goto(`/sales/orders/${order.id}`);
    await mobile.getByTestId('progress-panel').getByText(codes[0]!).first().waitFor();
    await mobile.screenshot({ path: path.join(SCREENSHOTS, 'sales-order-phone-zh.png'), fullPage: true });
    await phone.close();
  });

  it('runs MRP with live progress and lists purchase orders', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/planning/mrp');
    await page.getByRole('heading', { name: 'MRP' }).waitFor();
    await page.getByRole('button', { name: 'Run MRP' }).click();
    await page.getByTestId('mrp-runs').getByText('Done').first().waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /Planned orders/ }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mrp-en.png') });

    await page.goto('/purchasing/orders');
    await page.getByRole('heading', { name: 'Purchase orders' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'purchase-orders-en.png') });
    await ctx.close();
  });
});
