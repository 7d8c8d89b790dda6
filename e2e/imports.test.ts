import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import {
  ADMIN_PASSWORD,
  chooseOption,
  chromiumAvailable,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

/** A small customer workbook with Chinese headers, as a user fills in the template. */
async function customerWorkbook(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['编码', '名称', '等级', '联系人', '电话']);
  sheet.addRow(['C-XL-01', '导入测试客户一', 'A', '赵经理', '13900000001']);
  sheet.addRow(['C-XL-02', '导入测试客户二', 'C', '', '']);
  await workbook.xlsx.writeFile(file);
}

describe('sheet import and export in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('shows the error of an item with a bad code', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/items');
    await page.getByRole('button', { name: /New item/i }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('input#code').fill('BAD CODE!');
    await drawer.locator('input#name').fill('Bad code');
    await chooseOption(page, drawer.locator('#type'), /Raw material/);
    await drawer.locator('input#uom').fill('pcs');
    await drawer.getByRole('button', { name: /Create/ }).click();
    await drawer
      .locator('.ant-form-item')
      .filter({ has: page.locator('input#code') })
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: /code rule/i })
      .waitFor();
    await ctx.close();
  });

  it('imports a small xlsx of customers through the dialog and lists them', async () => {
    const file = path.join(e.dataDir, 'customers.xlsx');
    await customerWorkbook(file);
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/customers');
    await page.getByText('C-0001').first().waitFor();
    await page.getByRole('button', { name: /Import$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Template \(\.xlsx\)/).waitFor();
    await dialog.locator('input[type="file"]').setInputFiles(file);
    await dialog.getByText('customers.xlsx').waitFor();

    await dialog.getByLabel(/dry run/i).check();
    await dialog.getByRole('button', { name: /^Check$/ }).click();
    await dialog.getByText(/All 2 rows are valid/).waitFor();
    assert.equal(await page.locator('.ant-table-row').filter({ hasText: 'C-XL-01' }).count(), 0);

    await dialog.getByLabel(/dry run/i).uncheck();
    await dialog.getByRole('button', { name: /Check and import/ }).click();
    await dialog.getByText(/2 created, 0 updated from 2 rows/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customers-import-en.png') });
    await dialog
      .locator('.ant-modal-footer')
      .getByRole('button', { name: /^Close$/ })
      .click();
    await page.locator('.ant-table-row').filter({ hasText: 'C-XL-01' }).first().waitFor();
    await page.locator('.ant-table-row').filter({ hasText: '赵经理' }).first().waitFor();
    await page.locator('.ant-table-row').filter({ hasText: 'C-XL-02' }).first().waitFor();

    // the same file again: the codes exist, nothing is written and the rows are named
    await page.getByRole('button', { name: /Import$/ }).click();
    const again = page.getByRole('dialog');
    await again.locator('input[type="file"]').setInputFiles(file);
    await again.getByRole('button', { name: /Check and import/ }).click();
    await again.getByText(/2 problems found; nothing was written/).waitFor();
    await again.locator('.ant-table-row').filter({ hasText: 'exists already' }).first().waitFor();
    assert.ok(
      (await again.getByRole('link', { name: /Download error report/ }).count()) > 0 ||
        (await again.getByRole('button', { name: /Download error report/ }).count()) > 0,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'customers-import-errors-en.png') });
    await ctx.close();
    fs.rmSync(file, { force: true });
  });

  it('offers the same dialog in Chinese on the machines page', async () => {
    const ctx = await e.context({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/machines');
    await page.getByRole('button', { name: /导入$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('模板 (.xlsx)').waitFor();
    await dialog.getByText('仅校验（试运行），不写入').waitFor();
    const template = await dialog.getByRole('link', { name: /模板 \(CSV\)/ }).getAttribute('href');
    assert.equal(template, '/api/v1/machines/import/template?format=csv');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'machines-import-zh.png') });
    await ctx.close();
  });
});
