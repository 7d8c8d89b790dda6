import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  adminApi,
  chooseLanguage,
  chooseOption,
  chromiumAvailable,
  type E2E,
  ok,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

/** The value shown on the KPI card with this title. */
async function kpi(page: Page, title: string): Promise<string> {
  const card = page.locator('.rp-kpi', { hasText: title });
  return (await card.locator('.ant-statistic-content').innerText()).trim();
}

describe('reports page in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('shows the KPI cards, follows the range, downloads a workbook and speaks Chinese', async () => {
    // An open order in US dollars next to the demo's yuan: its money is shown on its own.
    const api = await adminApi(e.base);
    const item = (await ok(api, 'GET', '/api/v1/items?type=finished&limit=1')).items[0];
    const customer = (await ok(api, 'GET', '/api/v1/customers?limit=1')).items[0];
    const order = await ok(api, 'POST', '/api/v1/sales-orders', {
      customerId: customer.id,
      currency: 'USD',
      lines: [{ itemId: item.id, qty: '3', unitPrice: '12.50', requestedDate: '2026-01-05' }],
    });
    await ok(api, 'POST', `/api/v1/sales-orders/${order.id}/confirm`, {});

    const ctx = await e.context({ locale: 'en-US' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.locator('.ant-menu-item', { hasText: /^Reports$/ }).click();
    await page.waitForURL(/\/reports$/);
    await page.getByRole('heading', { name: 'Reports' }).waitFor();

    // Every card shows a figure once the reports have loaded (the demo factory has stock and WIP).
    await page.locator('.rp-kpi').first().waitFor();
    for (const title of [
      'On-time delivery',
      'Order backlog',
      'Work in progress',
      'Scrap rate',
      'Inventory value',
    ]) {
      assert.match(await kpi(page, title), /\d|—/, title);
    }
    assert.match(await kpi(page, 'Inventory value'), /\d/);
    assert.match(await kpi(page, 'Work in progress'), /^\d+$/);
    const backlog = await kpi(page, 'Order backlog');
    assert.match(backlog, /USD/, backlog);
    const facts = page.locator('.rp-section[data-report="delivery"] .rp-facts');
    await facts.getByText('Open value (USD)').waitFor();
    assert.match(await facts.innerText(), /Open value \(USD\)\s+37\.50/);
    await page.locator('.rp-section[data-report="utilisation"] canvas').first().waitFor();
    await page.screenshot({ path: '/tmp/reports-desktop.png', fullPage: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-en.png'), fullPage: true });

    // A new range asks again, with the range in the query.
    const asked = page.waitForRequest((r) => r.url().includes('/api/v1/reports/delivery?from=2026-01-01'));
    await page.locator('input[name="from"]').fill('2026-01-01');
    await asked;
    const monthly = page.waitForRequest(
      (r) => r.url().includes('/api/v1/reports/production?') && r.url().includes('groupBy=month'),
    );
    await page.locator('.ant-segmented-item', { hasText: 'Month' }).click();
    await monthly;
    const lastYear = page.waitForRequest((r) => r.url().includes('/api/v1/reports/utilisation?'));
    await chooseOption(page, page.locator('.rp-preset').getByRole('combobox'), 'Last 12 months');
    await lastYear;

    // The workbook of a section downloads as a real xlsx (a zip).
    const download = page.waitForEvent('download');
    await page
      .locator('.rp-section[data-report="delivery"]')
      .getByRole('link', { name: /Export to Excel/ })
      .click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^delivery-report-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const saved = path.join(SCREENSHOTS, file.suggestedFilename());
    await file.saveAs(saved);
    assert.equal(fs.readFileSync(saved).subarray(0, 2).toString(), 'PK');

    // 中文
    await chooseLanguage(page, '简体中文', page.getByRole('heading', { name: '报表' }));
    for (const title of ['准时交付率', '未交订单', '在制工单', '报废率', '库存金额', '设备利用率']) {
      await page.locator('.rp-kpi', { hasText: title }).waitFor();
    }
    await page.getByText('导出 Excel').first().waitFor();
    // Full-page shots draw the sticky header where the page was scrolled to.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/reports-zh-CN.png', fullPage: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-zh-CN.png'), fullPage: true });
    await ctx.close();

    // A manager's phone.
    const phone = await e.context({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, hasTouch: true });
    const mobile = await phone.newPage();
    await signIn(mobile, 'admin', ADMIN_PASSWORD);
    await mobile.goto('/reports');
    await mobile.getByRole('heading', { name: '报表' }).waitFor();
    await mobile.locator('.rp-kpi').first().waitFor();
    await mobile.locator('.rp-section[data-report="utilisation"] canvas').first().waitFor();
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await mobile.screenshot({ path: '/tmp/reports-phone.png', fullPage: true });
    await mobile.screenshot({ path: path.join(SCREENSHOTS, 'reports-phone.png'), fullPage: true });
    await phone.close();
  });
});
