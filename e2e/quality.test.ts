import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  type Api,
  adminApi,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  ok,
  openTerminal,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

const LOT = 'QE-LOT-2611';
const INSTRUCTIONS = 'https://wiki.example.com/wi/QE-FG-10';

interface Seeded {
  workOrderId: string;
  workOrderCode: string;
  operationId: string;
  rmId: string;
}

/**
 * A part whose turning step asks for a first-article check and links its work instructions, made
 * from a raw material received as one lot; its work order released and dispatched.
 */
async function seed(api: Api): Promise<Seeded> {
  const fg = await ok(api, 'POST', '/api/v1/items', {
    code: 'QE-FG',
    name: '法兰轴',
    type: 'finished',
    uom: 'pcs',
  });
  const rm = await ok(api, 'POST', '/api/v1/items', {
    code: 'QE-RM',
    name: '圆钢坯',
    type: 'raw',
    uom: 'pcs',
  });
  const wc = await ok(api, 'POST', '/api/v1/work-centers', { code: 'QE-WC', name: '车削组' });
  const machine = await ok(api, 'POST', '/api/v1/machines', {
    code: 'QE-M1',
    name: '数控车床',
    workCenterId: wc.id,
  });
  const bom = await ok(api, 'POST', '/api/v1/boms', {
    itemId: fg.id,
    versionLabel: 'A',
    lines: [{ componentItemId: rm.id, qtyPer: '1' }],
  });
  await ok(api, 'POST', `/api/v1/boms/${bom.id}/activate`, { version: bom.version });
  const routing = await ok(api, 'POST', '/api/v1/routings', {
    itemId: fg.id,
    versionLabel: 'A',
    operations: [
      {
        seq: 10,
        name: '精车',
        workCenterId: wc.id,
        runMinutes: '1',
        inspection: true,
        instructionsUrl: INSTRUCTIONS,
      },
    ],
  });
  await ok(api, 'POST', `/api/v1/routings/${routing.id}/activate`, { version: routing.version });
  const warehouses = await ok(api, 'GET', '/api/v1/warehouses?limit=10');
  const locations = await ok(api, 'GET', `/api/v1/warehouses/${warehouses.items[0].id}/locations`);
  const location = (Array.isArray(locations) ? locations : locations.items)[0];
  await ok(api, 'POST', '/api/v1/inventory/moves', {
    kind: 'receipt',
    itemId: rm.id,
    qty: '100',
    toLocationId: location.id,
    lot: LOT,
  });
  const wo = await ok(api, 'POST', '/api/v1/work-orders', { itemId: fg.id, qty: '10', withChildren: false });
  const released = await ok(api, 'POST', `/api/v1/work-orders/${wo.id}/actions`, {
    action: 'release',
    version: wo.version,
  });
  const op = released.operations[0];
  await ok(api, 'POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: machine.id });
  return { workOrderId: wo.id, workOrderCode: wo.code, operationId: op.id, rmId: rm.id };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `quality-${name}.png`) });
}

async function tapKeys(page: Page, digits: string): Promise<void> {
  for (const d of digits)
    await page.locator('.tk-sheet .tk-keypad').getByRole('button', { name: d, exact: true }).tap();
}

describe('first-article inspection and lot scanning in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  let api: Api;
  let seeded: Seeded;
  before(async () => {
    e = await startE2E();
    api = await adminApi(e.base);
    seeded = await seed(api);
  });
  after(async () => e?.close());

  it('requests a first article at the terminal, records the pass on the quality page, then reports with a lot', async () => {
    const { context: terminal, page } = await openTerminal(e, 'E1001', '1234');

    // The job card's QR code, typed by a keyboard-wedge scanner.
    const wedge = page.getByTestId('scan-input');
    await wedge.pressSequentially(`WO:${seeded.workOrderId}`, { delay: 5 });
    await wedge.press('Enter');
    await page.locator('.tk-op-choice').first().tap();
    await page.getByTestId('operation-screen').waitFor();

    // Starting the run waits for the first article; the reason is on the screen.
    await page.locator('[data-testid="fai-panel"][data-state="pending"]').waitFor();
    await page.getByTestId('start-blocked').getByText('申请首件检验').waitFor();
    assert.equal(await page.getByTestId('action-start').isDisabled(), true);
    const link = page.getByTestId('open-instructions');
    assert.equal(await link.getAttribute('href'), INSTRUCTIONS);
    await shot(page, 'terminal-fai-pending');

    await page.getByTestId('fai-request').tap();
    await page.locator('[data-testid="fai-panel"][data-state="requested"]').waitFor();
    await page.getByTestId('notice').getByText('已申请首件检验').waitFor();
    await shot(page, 'terminal-fai-requested');

    // Quality records the pass with a measurement.
    const office = await e.context({ locale: 'zh-CN' });
    const qp = await office.newPage();
    await signIn(qp, 'quality', DEMO_PASSWORD);
    await qp.goto('/quality');
    const row = qp.locator('tr', { hasText: seeded.workOrderCode });
    await row.waitFor();
    await shot(qp, 'page-waiting');
    await row.getByRole('button', { name: '录入结果' }).click();
    const dialog = qp.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByTestId('record-sample').fill('2');
    await dialog.getByTestId('add-characteristic').click();
    await dialog.getByLabel('特性').fill('外径 Ø20');
    await dialog.getByLabel('名义值').fill('20');
    await dialog.getByLabel('下公差').fill('0.05');
    await dialog.getByLabel('上公差').fill('0.05');
    await dialog.getByLabel('实测值').fill('20.02');
    await dialog.getByLabel('单位').fill('mm');
    await shot(qp, 'record-dialog');
    await qp.locator('#quality-record-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await qp.locator('.ant-segmented-item', { hasText: '全部' }).click();
    await qp.locator('tr', { hasText: seeded.workOrderCode }).locator('[data-state="passed"]').waitFor();
    await shot(qp, 'page-passed');

    // Back at the terminal, which looks for the result by itself: the run starts, and the report
    // carries the scanned lot.
    await page.locator('[data-testid="fai-panel"][data-state="passed"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('action-start').tap();
    await page.getByTestId('op-status').getByText('加工中').waitFor();
    await page.getByTestId('action-report').tap();
    await tapKeys(page, '10');
    const lotInput = page.getByTestId('lot-scan-input');
    await lotInput.pressSequentially(`LOT:${LOT}`, { delay: 5 });
    await lotInput.press('Enter');
    await page.getByTestId('lot-row').getByText(LOT).waitFor();
    await tapKeys(page, '10');
    await shot(page, 'terminal-report-lot');
    await page.getByTestId('report-submit').tap();
    await page.locator('[data-testid="notice"][data-kind="ok"]').waitFor();
    await page.getByTestId('qty-good').getByText('10', { exact: true }).waitFor();
    await shot(page, 'terminal-reported');

    let wo = await ok(api, 'GET', `/api/v1/work-orders/${seeded.workOrderId}`);
    assert.equal(wo.materials[0].qtyIssued, '10', 'the lot was issued to the work order with the report');

    // Offline, the queued report keeps its lots and issues them once when it goes out.
    await terminal.setOffline(true);
    await page.getByTestId('action-report').tap();
    await tapKeys(page, '5');
    await lotInput.pressSequentially(LOT, { delay: 5 });
    await lotInput.press('Enter');
    await tapKeys(page, '5');
    await page.getByTestId('report-submit').tap();
    await page.locator('[data-testid="notice"][data-kind="queued"]').waitFor();
    await page.getByTestId('queue-badge').tap();
    await page.getByTestId('queue-lots').getByText(`${LOT} × 5`).waitFor();
    await shot(page, 'terminal-queue-lot');
    const stored = await page.evaluate(
      () =>
        new Promise<{ body: { lots?: { lotCode: string; qty: string }[] } }[]>((resolve, reject) => {
          const open = indexedDB.open('takt-terminal');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('reports', 'readonly').objectStore('reports').getAll();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result);
            };
            req.onerror = () => reject(req.error);
          };
        }),
    );
    assert.deepEqual(stored[0]?.body.lots, [{ lotCode: LOT, qty: '5' }]);
    await page.getByTestId('queue-panel').getByRole('button', { name: '返回' }).tap();
    await terminal.setOffline(false);
    await page.locator('[data-testid="queue-badge"][data-count="0"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('qty-good').getByText('15', { exact: true }).waitFor();

    wo = await ok(api, 'GET', `/api/v1/work-orders/${seeded.workOrderId}`);
    assert.equal(wo.materials[0].qtyIssued, '15');
    const moves = await ok(api, 'GET', `/api/v1/inventory/moves?itemId=${seeded.rmId}&limit=50`);
    const issues = (moves.items ?? moves).filter((m: { kind: string }) => m.kind === 'issue');
    assert.deepEqual(issues.map((m: { lot: string; qty: string }) => [m.lot, m.qty]).sort(), [
      [LOT, '10'],
      [LOT, '5'],
    ]);
    await terminal.close();
    await office.close();
  });

  it('edits the work-instructions link of a routing step, and lists inspections in English', async () => {
    const wc = (await ok(api, 'GET', '/api/v1/work-centers?limit=500')).items.find(
      (w: { code: string }) => w.code === 'QE-WC',
    );
    const draft = await ok(api, 'POST', '/api/v1/routings', {
      itemId: seeded.rmId,
      versionLabel: 'A',
      operations: [{ seq: 10, name: 'Saw', workCenterId: wc.id, runMinutes: '0.5' }],
    });
    const ctx = await e.context({ locale: 'en-US' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/master-data/routings');
    await page.locator('tr', { hasText: 'QE-RM' }).locator('.takt-mono').first().click();
    const link = page.getByLabel('Work instructions link');
    await link.fill('https://wiki.example.com/wi/QE-RM-10');
    await page.getByLabel('Drawing link').fill('https://plm.example.com/QE-RM.pdf');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quality-routing-links.png') });
    await page.getByRole('button', { name: 'Save' }).click();
    await (async () => {
      for (let i = 0; i < 50; i++) {
        const r = await ok(api, 'GET', `/api/v1/routings/${draft.id}`);
        if (r.operations[0].instructionsUrl) return;
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    const saved = await ok(api, 'GET', `/api/v1/routings/${draft.id}`);
    assert.equal(saved.operations[0].instructionsUrl, 'https://wiki.example.com/wi/QE-RM-10');
    assert.equal(saved.operations[0].drawingUrl, 'https://plm.example.com/QE-RM.pdf');

    await page.goto('/quality');
    await page.locator('.ant-segmented-item', { hasText: 'All' }).click();
    await page.locator('tr', { hasText: seeded.workOrderCode }).locator('[data-state="passed"]').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'quality-page-en.png') });
    await ctx.close();
  });
});
