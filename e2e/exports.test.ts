import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Download, Page } from 'playwright-core';
import {
  adminApi,
  chooseOption,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  ok,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

interface WorkOrderRow {
  code: string;
  status: string;
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
  return (await res.json()) as T;
}

/** Every row of a cursor-paged list of the API. */
async function allPages<T>(page: Page, url: string): Promise<T[]> {
  const out: T[] = [];
  for (let cursor: string | null = null; ; ) {
    const sep = url.includes('?') ? '&' : '?';
    const res: { items: T[]; nextCursor: string | null } = await getJson(
      page,
      `${url}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...res.items);
    if (!res.nextCursor) return out;
    cursor = res.nextCursor;
  }
}

/** The records of a CSV file (quoted fields may hold commas, quotes and line breaks); a leading BOM is dropped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Opens the Export menu of the list and waits until it has finished sliding in. */
async function openExportMenu(page: Page): Promise<void> {
  await page.getByTestId('export-menu').click();
  await page.getByTestId('export-menu-csv').waitFor();
  // Settled: shown, no motion class left (an entering menu is still transparent), fully opaque.
  await page.waitForFunction(() => {
    const menu = document.querySelector('[data-testid="export-menu-csv"]')?.closest('.ant-dropdown');
    return (
      menu instanceof HTMLElement &&
      !/hidden|-(enter|appear|leave)/.test(menu.className) &&
      getComputedStyle(menu).opacity === '1'
    );
  });
}

/**
 * Opens the Export menu of the list (a screenshot of it open when `shot` names one) and chooses CSV;
 * returns the download, the link it followed and the file's non-empty records.
 */
async function exportCsv(
  page: Page,
  shot?: string,
): Promise<{ file: Download; href: string; rows: string[][] }> {
  await openExportMenu(page);
  if (shot) await page.screenshot({ path: path.join(SCREENSHOTS, shot) });
  const link = page.getByTestId('export-menu-csv');
  const href = (await link.getAttribute('href')) ?? '';
  const download = page.waitForEvent('download');
  await link.click();
  const file = await download;
  const saved = path.join(SCREENSHOTS, `export-${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  const rows = parseCsv(fs.readFileSync(saved, 'utf8')).filter((r) => r.some((f) => f !== ''));
  fs.rmSync(saved, { force: true });
  return { file, href, rows };
}

describe('list exports in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(async () => e?.close());

  it('exports the work orders of a status filter as CSV, row for row the list', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'planner', DEMO_PASSWORD);

    // Three orders, two of them cancelled: the filter by status must leave the draft out.
    const api = await adminApi(e.base);
    const items = await ok<{ items: { id: string }[] }>(api, 'GET', '/api/v1/items?type=finished&limit=1');
    for (const qty of ['3', '4', '5']) {
      const wo = await ok<{ id: string; version: number }>(api, 'POST', '/api/v1/work-orders', {
        itemId: items.items[0]!.id,
        qty,
        withChildren: false,
      });
      if (qty === '3') continue;
      await ok(api, 'POST', `/api/v1/work-orders/${wo.id}/actions`, {
        action: 'cancel',
        version: wo.version,
        reason: 'export test',
      });
    }
    const status = 'cancelled';
    const all = await allPages<WorkOrderRow>(page, '/api/v1/work-orders');
    const expected = await allPages<WorkOrderRow>(page, `/api/v1/work-orders?status=${status}`);
    assert.ok(expected.length >= 2 && expected.length < all.length, `${status}: ${expected.length}`);

    await page.goto('/production/work-orders');
    await page.getByRole('heading', { name: 'Work orders' }).first().waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await chooseOption(page, page.getByRole('combobox', { name: 'Status' }), 'Cancelled');
    await page.waitForURL(new RegExp(`status=${status}`));
    const rows = page.locator('.ant-table-row');
    await rows.filter({ hasText: expected[0]!.code }).waitFor();
    // The rows the list shows for the filter (all of them fit in the table: at most 8).
    const shown: string[] = [];
    if (expected.length <= 8) {
      await page.waitForFunction(
        (n) => document.querySelectorAll('.ant-table-row').length === n,
        expected.length,
      );
      for (const row of await rows.all()) {
        shown.push(((await row.locator('a.takt-mono').first().textContent()) ?? '').trim());
      }
      assert.deepEqual(
        shown,
        expected.map((w) => w.code),
      );
    }

    const { file, href, rows: csv } = await exportCsv(page);
    assert.ok(href.startsWith('/api/v1/work-orders/export?'), href);
    assert.ok(href.includes(`status=${status}`) && href.includes('format=csv'), href);
    assert.match(file.suggestedFilename(), /\.csv$/);
    assert.ok(csv.length >= 2, 'a header row and data rows');
    const [header, ...data] = csv;
    assert.match(header![0]!, /Code|工单号/);
    // Exactly the orders of the list, in its order (newest first).
    const codes = data.map((r) => r[0]);
    assert.deepEqual(
      codes,
      expected.map((w) => w.code),
    );
    if (shown.length > 0) assert.deepEqual(codes, shown);

    // The Export menu open, in Chinese.
    const zh = await e.context({ locale: 'zh-CN' });
    const zhPage = await zh.newPage();
    await zh.addCookies(await ctx.cookies());
    await zhPage.goto(`/production/work-orders?status=${status}`);
    await zhPage.locator('.ant-table-row').first().waitFor();
    await openExportMenu(zhPage);
    await zhPage.getByRole('link', { name: '导出为 CSV' }).waitFor();
    await zhPage.getByRole('link', { name: '导出为 Excel (.xlsx)' }).waitFor();
    await zhPage.screenshot({ path: path.join(SCREENSHOTS, 'work-orders-export-zh-CN.png') });
    await zh.close();
    await ctx.close();
  });

  it('links the exports of the sales-order, purchase-order and balance lists with their filters', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'planner', DEMO_PASSWORD);
    const lists = [
      { url: '/sales/orders?status=confirmed&sort=dueDate', export: '/api/v1/sales-orders/export?' },
      { url: '/purchasing/orders?status=draft', export: '/api/v1/purchase-orders/export?' },
      { url: '/inventory/balances?includeZero=1', export: '/api/v1/inventory/balances/export?' },
    ];
    for (const list of lists) {
      await page.goto(list.url);
      await openExportMenu(page);
      const href = (await page.getByTestId('export-menu-xlsx').getAttribute('href')) ?? '';
      assert.ok(href.startsWith(list.export), href);
      const filters = new URLSearchParams(list.url.split('?')[1]);
      const asked = new URLSearchParams(href.split('?')[1]);
      for (const [key, value] of filters) {
        assert.equal(asked.get(key), key === 'includeZero' ? 'true' : value, `${key} of ${href}`);
      }
      assert.equal(asked.get('format'), 'xlsx');
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, `${href}: ${await res.text()}`);
      assert.match(res.headers()['content-disposition'] ?? '', /^attachment/);
      assert.equal((await res.body()).subarray(0, 2).toString(), 'PK');
    }
    await ctx.close();
  });

  it('exports the stock moves as CSV; on a phone the button is an icon', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'warehouse', DEMO_PASSWORD);
    await page.goto('/inventory/moves');
    await page.locator('.ant-table-row').first().waitFor();

    const { href, rows } = await exportCsv(page, 'moves-export.png');
    assert.ok(href.startsWith('/api/v1/inventory/moves/export?'), href);
    assert.ok(rows.length >= 2, `a header row and at least one move: ${rows.length} rows`);
    assert.ok(rows[0]!.length > 3, rows[0]!.join(','));

    // A phone: the button keeps its name for screen readers but shows the icon only.
    const phone = await e.context({ viewport: { width: 390, height: 844 }, hasTouch: true });
    await phone.addCookies(await ctx.cookies());
    const phonePage = await phone.newPage();
    await phonePage.goto('/inventory/moves');
    const button = phonePage.getByRole('button', { name: 'Export' });
    await button.waitFor();
    assert.equal(((await button.textContent()) ?? '').trim(), '');
    await openExportMenu(phonePage);
    await phonePage.screenshot({ path: path.join(SCREENSHOTS, 'moves-export-phone.png') });
    await phone.close();
    await ctx.close();
  });
});
