import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminApi,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  ok,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

interface Order {
  id: string;
  code: string;
  version: number;
}

describe('archived work orders in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('archives cancelled orders through the archive run, finds one with the Archived switch, opens it read-only and exports it', async () => {
    const api = await adminApi(e.base);
    const call = <T>(method: 'GET' | 'POST', url: string, body?: object) => ok<T>(api, method, url, body);
    const items = await call<{ items: { id: string }[] }>('GET', '/api/v1/items?type=finished&limit=1');
    const orders: Order[] = [];
    for (const qty of ['4', '5']) {
      const wo = await call<Order>('POST', '/api/v1/work-orders', {
        itemId: items.items[0]!.id,
        qty,
        withChildren: false,
      });
      await call('POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: wo.version,
        reason: 'customer withdrew',
      });
      orders.push(wo);
    }
    const open = await call<Order>('POST', '/api/v1/work-orders', {
      itemId: items.items[0]!.id,
      qty: '6',
      withChildren: false,
    });
    const [target] = orders as [Order, Order];

    // A run with a horizon of 0 days moves every order already closed or cancelled.
    const run = await call<{ jobId: string }>('POST', '/api/v1/archive/runs', { afterDays: 0 });
    assert.ok(run.jobId);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = await call<{ items: { id: string }[] }>(
        'GET',
        `/api/v1/work-orders?archived=true&q=${target.code}`,
      );
      if (found.items.some((w) => w.id === target.id)) break;
      assert.ok(Date.now() < deadline, 'the archive run moved the cancelled order within a minute');
      await new Promise((r) => setTimeout(r, 250));
    }

    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'planner', DEMO_PASSWORD);

    // The current list no longer has it; the archive does, and only there.
    await page.goto(`/production/work-orders?q=${target.code}`);
    await page.getByRole('heading', { name: 'Work orders' }).first().waitFor();
    await page.getByText('No work orders match these filters.').waitFor();
    await page.getByText('Archived', { exact: true }).click();
    await page.waitForURL(/archived=1/);
    await page.getByTestId('archive-note').waitFor();
    const row = page.locator('.ant-table-row').filter({ hasText: target.code });
    await row.waitFor();
    assert.equal(await page.locator('.ant-table-row').count(), 1);
    assert.match((await row.textContent()) ?? '', /Cancelled/);

    // The open order stays out of the archive.
    await page.getByRole('searchbox').fill(open.code);
    await page.getByText('No work orders match these filters.').waitFor();
    await page.getByRole('searchbox').fill(target.code);
    await row.waitFor();

    // Export: the sheet carries the filters of the list, the archive among them.
    await page.getByRole('button', { name: 'Export' }).click();
    const csvLink = page.getByRole('link', { name: 'Export as CSV' });
    await csvLink.waitFor();
    const href = await csvLink.getAttribute('href');
    assert.ok(href?.includes(`q=${target.code}`) && href.includes('archived=true'), href ?? '');
    const csv = await page.request.get(href!);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.ok(lines[1]!.startsWith(`${target.code},`), lines[1]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-orders-archived.png') });

    // The detail opens read-only: marked archived, no actions.
    await row.getByRole('link', { name: target.code }).click();
    await page.waitForURL(new RegExp(`/production/work-orders/${target.id}$`));
    await page.getByTestId('wo-archived').waitFor();
    assert.equal(await page.locator('.takt-wo-actions').count(), 0);
    await page.getByRole('link', { name: /All work orders/ }).click();
    await page.waitForURL(/archived=1/);

    // The same switch in Chinese.
    const zh = await e.context({ locale: 'zh-CN' });
    const zhPage = await zh.newPage();
    await zhPage.context().addCookies(await ctx.cookies());
    await zhPage.goto('/production/work-orders?archived=1');
    await zhPage.getByText('早已关闭或取消、已移入归档的工单：只读，可搜索、可导出。').waitFor();
    await zh.close();
    await ctx.close();
  });
});
