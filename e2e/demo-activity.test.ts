import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, chromiumAvailable, type E2E, signIn, startE2E } from './browser.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/demo-${name}.png`, fullPage: true });

/** A newcomer's first look at the demo plant: every planning and floor view has work to show. */
describe('demo plant at work in the browser', { skip: !chromiumAvailable }, () => {
  let e: E2E;
  let page: Page;
  before(async () => {
    e = await startE2E({ env: { TAKT_DEMO_ACTIVITY: '1' } });
    const context = await e.context({ locale: 'zh-CN' });
    page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
  });
  after(async () => e?.close());

  it('lists work orders in many states', async () => {
    await page.goto('/production/work-orders');
    const rows = page.locator('.ant-table-row');
    await rows.first().waitFor();
    await shot(page, 'work-orders');
    // The list is virtual: only the rows in view are in the page.
    assert.ok((await rows.count()) >= 8, `${await rows.count()} work orders in view`);
    const text = await page.locator('.ant-table').first().innerText();
    for (const status of ['草稿', '已完工', '已关闭']) assert.match(text, new RegExp(status));
  });

  it('shows cards in the columns of the production board', async () => {
    await page.goto('/production/board');
    const cards = page.locator('.takt-board-card');
    await cards.first().waitFor();
    assert.ok((await cards.count()) >= 10, `${await cards.count()} cards`);
    const columns = page.locator('.takt-board-column').filter({ has: page.locator('.takt-board-card') });
    assert.ok((await columns.count()) >= 4, 'work orders in at least four statuses');
    await shot(page, 'production-board');
  });

  it('draws the published plan on the machines of the planning board', async () => {
    await page.goto('/planning/board');
    const bars = page.locator('.takt-gantt-bar:not([data-ghost])');
    await bars.first().waitFor();
    assert.ok((await bars.count()) >= 8, `${await bars.count()} bars`);
    await shot(page, 'planning-board');
  });

  it('shows running machines and their progress on the floor view', async () => {
    await page.goto('/shop-floor/floor');
    const tiles = page.getByTestId('machine-tile');
    await tiles.first().waitFor();
    await page.locator('.sf-tile-running').first().waitFor();
    assert.equal(await page.locator('.sf-tile-running').count(), 2);
    assert.ok((await page.locator('.sf-tile-waiting').count()) >= 1, 'a machine with work waiting');
    const floor = await page.locator('.sf-floor').innerText();
    assert.match(floor, /SF-200500/);
    assert.match(floor, /125\/200/, 'the press brake has made 125 of 200');
    assert.match(floor, /SF-200700/);
    await shot(page, 'floor');
  });

  it('lists the open exception and the pending first-article inspection', async () => {
    await page.goto('/shop-floor/exceptions');
    await page
      .getByText(/MD-0001/)
      .first()
      .waitFor();
    await shot(page, 'exceptions');
    await page.goto('/quality');
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'quality');
  });
});
