import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_PASSWORD,
  chooseOption,
  chromiumAvailable,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

describe('identity in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('an admin creates a user with a role; that user sees only the menus of the role', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin/users');
    await page.getByRole('button', { name: /New user/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#login').fill('e2e-sales');
    await drawer.locator('input#displayName').fill('E2E 销售');
    await drawer.locator('input#password').fill('sales-pass-123');
    await drawer.getByText(/Must change the password/).click();
    await chooseOption(page, drawer.locator('#roles'), /^sales$/, 'sales');
    await page.keyboard.press('Escape');
    await drawer.getByRole('button', { name: /^Create$/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('e2e-sales').first().waitFor();
    await ctx.close();

    const userCtx = await e.context();
    const userPage = await userCtx.newPage();
    await signIn(userPage, 'e2e-sales', 'sales-pass-123');
    const nav = userPage.locator('.takt-side-menu').first();
    await nav.getByText('Sales', { exact: true }).waitFor();
    // the sales role reads master data and production (so MRP results) but has no administration rights
    assert.equal(await nav.getByText('Administration').count(), 0);
    assert.equal(await nav.getByText('Quality').count(), 0);
    await userPage.screenshot({ path: path.join(SCREENSHOTS, 'sales-user-menu-en.png') });
    await userPage.goto('/admin/users');
    await userPage
      .getByText(/No access/)
      .first()
      .waitFor();
    await userCtx.close();
  });

  it('shows a new API token once, with a warning', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin/tokens');
    await page.getByRole('button', { name: /New token/i }).click();
    const modal = page.getByRole('dialog');
    await modal.locator('input#name').fill('E2E sync');
    await modal.getByLabel('masterdata:read').check();
    const secretModal = page.getByRole('dialog').filter({ hasText: /Copy the token now/ });
    // On a loaded machine a click can land while the dialog is still moving in: press again while
    // the form stays open without an answer.
    for (let attempt = 1; ; attempt++) {
      await modal.getByRole('button', { name: /^Create$/ }).click();
      try {
        await secretModal.waitFor({ timeout: 8_000 });
        break;
      } catch (err) {
        if (attempt >= 3 || (await modal.locator('.ant-alert, .ant-form-item-explain-error').count()) > 0)
          throw err;
      }
    }
    const secret = (await secretModal.getByTestId('token-secret').innerText()).trim();
    assert.ok(secret.length > 20, `secret shown: ${secret}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'token-once-en.png') });
    await secretModal.getByRole('button', { name: /I have copied it/ }).click();
    await secretModal.waitFor({ state: 'hidden' });
    await page.getByText('E2E sync').first().waitFor();
    // the list shows only the prefix, never the secret
    assert.equal(await page.getByText(secret).count(), 0);
    const res = await fetch(`${e.base}/api/v1/items?limit=1`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    assert.equal(res.status, 200);
    await ctx.close();
  });
});
