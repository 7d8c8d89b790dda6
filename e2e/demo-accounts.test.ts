import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_PASSWORD,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

describe('demo accounts warning in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  const canSignIn = async (login: string) =>
    (
      await fetch(`${e.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password: DEMO_PASSWORD }),
      })
    ).status === 200;

  it('is not shown to a non-administrator', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'planner', DEMO_PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
    await page.getByText('Mode').first().waitFor();
    assert.equal(await page.locator('.takt-demo-accounts').count(), 0);
    await ctx.close();
  });

  it('warns the administrator in Chinese', async () => {
    const ctx = await e.context({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByText('演示账号仍使用公开密码 takt-demo').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-accounts-zh.png') });
    await ctx.close();
  });

  it('deactivates the demo accounts after a confirmation, and the warning goes away', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const alert = page.locator('.takt-demo-accounts');
    await alert.getByText('Demo accounts still use the public password takt-demo').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-accounts-en.png') });
    assert.ok(await canSignIn('planner'));

    await alert.getByRole('button', { name: 'Deactivate demo accounts' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title', { hasText: 'Deactivate the demo accounts?' }).waitFor();
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await page
      .getByText(/Demo accounts deactivated: 11/)
      .first()
      .waitFor();
    await alert.waitFor({ state: 'detached' });
    assert.equal(await canSignIn('planner'), false);

    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).first().waitFor();
    await page.getByText('Mode').first().waitFor();
    assert.equal(await page.locator('.takt-demo-accounts').count(), 0);
    await ctx.close();
  });
});
