import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, chromiumAvailable, type E2E, SCREENSHOTS, signIn, startE2E } from './browser.ts';

describe('performance page in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('shows latency by route, backlogs and the answering process, and refreshes on its own', async () => {
    const ctx = await e.context({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin/performance');
    await page.getByRole('heading', { name: '性能监控' }).waitFor();
    await page.getByText('各接口响应时间').waitFor();
    await page.getByText('等待中的任务').waitFor();
    // The page's own request shows up in the route table with its percentiles.
    const row = page.locator('tr', { hasText: '/api/v1/system/performance' });
    await row.first().waitFor();
    const note = await page.locator('.ant-alert').first().innerText();
    assert.match(note, /进程 \d+/);
    assert.match(note, /角色 all/);

    // After one refresh period the request count of the page's own route has grown.
    const countOf = async () => Number(await row.first().locator('td').nth(1).innerText());
    const first = await countOf();
    await page.waitForFunction(
      (n) => {
        const tr = [...document.querySelectorAll('tr')].find((r) =>
          r.textContent?.includes('/api/v1/system/performance'),
        );
        return tr ? Number(tr.querySelectorAll('td')[1]?.textContent) > n : false;
      },
      first,
      { timeout: 8000 },
    );
    assert.ok((await countOf()) > first);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'performance-zh-CN.png'), fullPage: true });
    await ctx.close();

    const en = await e.context({ locale: 'en-US' });
    const enPage = await en.newPage();
    await signIn(enPage, 'admin', ADMIN_PASSWORD);
    await enPage.goto('/admin/performance');
    await enPage.getByRole('heading', { name: 'Performance' }).waitFor();
    await enPage.getByText('Latency by route').waitFor();
    await enPage.getByText(/Process \d+ on .* \(role all, 1 per host\)/).waitFor();
    await enPage.screenshot({ path: path.join(SCREENSHOTS, 'performance-en.png'), fullPage: true });
    await en.close();
  });
});
