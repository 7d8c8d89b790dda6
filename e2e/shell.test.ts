import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Db } from '../apps/server/src/platform/db/database.ts';
import {
  ADMIN_PASSWORD,
  chooseOption,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

describe('web shell in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('shows the login page, refuses a wrong password and signs in to a live dashboard', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-en.png') });
    await page.locator('input#login, input[name="login"]').first().fill('admin');
    await page.locator('input[type="password"]').first().fill('wrong-password');
    await page.locator('button[type="submit"]').click();
    await page.getByText(/wrong/i).first().waitFor();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
    await page.getByLabel(/^Live/).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-en.png') });
    await ctx.close();
  });

  it('shows a server field error on a duplicate item code, and a created item appears live in a second tab', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/items');
    await page.getByText('FG-100100').first().waitFor();
    const other = await ctx.newPage();
    // The second tab shows a filtered list in which the new item will belong.
    await other.goto('/master-data/items?q=E2E');
    await other.locator('.ant-empty').first().waitFor();

    await page.getByRole('button', { name: /New item/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#code').fill('FG-100100');
    await drawer.locator('input#name').fill('重复的法兰');
    await chooseOption(page, drawer.locator('#type'), /Finished/);
    await drawer.locator('input#uom').fill('pcs');
    await drawer.getByRole('button', { name: /Create|Save/ }).click();
    await drawer
      .getByText(/already in use/i)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'item-duplicate-en.png') });

    await drawer.locator('input#code').fill('FG-E2E-0001');
    await drawer.getByRole('button', { name: /Create|Save/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    // The other tab was not reloaded: the new row arrives over SSE.
    await other.getByText('FG-E2E-0001').first().waitFor({ timeout: 10_000 });
    await ctx.close();
  });

  it('lists a dead job on the admin page and puts it back in the queue with Retry', async () => {
    const db = Db.open({ url: null, sqliteFile: path.join(e.dataDir, 'takt.db') });
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('jobs')
      .values({
        id: '01900000-0000-7000-8000-00000000dead',
        queue: 'default',
        name: 'e2e.unhandled',
        payload: '{}',
        status: 'dead',
        attempts: 5,
        max_attempts: 5,
        run_at: now,
        lease_until: null,
        locked_by: null,
        last_error: 'gateway timeout after 3 retries',
        unique_key: null,
        created_at: now,
        updated_at: now,
        finished_at: now,
      })
      .execute();
    await db.close();
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin/jobs?tab=dead');
    await page.getByText('gateway timeout after 3 retries').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'jobs-dead-en.png') });
    await page.getByRole('button', { name: /Retry/ }).first().click();
    const confirm = page.locator('.ant-popconfirm, .ant-modal').getByRole('button', { name: /Retry|OK|Yes/ });
    if (await confirm.count()) await confirm.first().click();
    const check = Db.open({ url: null, sqliteFile: path.join(e.dataDir, 'takt.db') });
    try {
      // The job has no handler, so it may die again at once; the retry itself is what must be recorded.
      let retried = 0;
      for (let i = 0; i < 50 && retried === 0; i++) {
        const events = await check.kysely
          .selectFrom('outbox')
          .select('id')
          .where('type', '=', 'job.retried')
          .where('aggregate_id', '=', '01900000-0000-7000-8000-00000000dead')
          .execute();
        retried = events.length;
        if (retried === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(retried, 1);
    } finally {
      await check.close();
    }
    await ctx.close();
  });

  it('speaks Chinese and fits a 10-inch tablet in portrait', async () => {
    const ctx = await e.context({ locale: 'zh-CN', viewport: { width: 800, height: 1280 }, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    await signIn(page, 'planner', DEMO_PASSWORD);
    await page.goto('/master-data/items');
    await page.getByText('法兰盘 DN50').first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'items-zh-tablet.png') });
    await ctx.close();
  });

  it('answers an unknown page with the 404 page inside the shell', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'viewer', DEMO_PASSWORD);
    await page.goto('/no/such/page');
    await page
      .getByText(/404|not found/i)
      .first()
      .waitFor();
    await ctx.close();
  });
});
