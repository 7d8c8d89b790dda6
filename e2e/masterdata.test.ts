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

describe('master data in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('shows the code-rule error on the code field of a new item', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/items');
    await page.getByRole('button', { name: /New item/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#code').fill('BAD CODE!');
    await drawer.locator('input#name').fill('Bad code test');
    await chooseOption(page, drawer.locator('#type'), /Raw material/);
    await drawer.locator('input#uom').fill('pcs');
    await drawer.getByRole('button', { name: /Create/ }).click();
    // the server's rule message sits under the code input, not only in the alert
    const codeItem = drawer.locator('.ant-form-item').filter({ has: page.locator('input#code') });
    await codeItem
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: /code rule/i })
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'item-code-rule-en.png') });
    await ctx.close();
  });

  it('creates a customer with a contact and finds it in the list', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/customers');
    await page.getByText('C-0001').first().waitFor();
    await page.getByRole('button', { name: /New customer/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#code').fill('c-e2e-01');
    // codes are typed in capitals
    assert.equal(await drawer.locator('input#code').inputValue(), 'C-E2E-01');
    await drawer.locator('input#name').fill('E2E 测试客户有限公司');
    await drawer.getByRole('button', { name: /Add contact/i }).click();
    await drawer.getByLabel('Name', { exact: true }).last().fill('王经理');
    await drawer.getByLabel('Phone').last().fill('13800000000');
    await drawer.getByRole('button', { name: /^Create$/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('C-E2E-01').first().waitFor();
    await page.getByText('王经理').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customers-en.png') });
    await ctx.close();
  });
});
