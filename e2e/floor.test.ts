import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Api,
  adminApi,
  chromiumAvailable,
  DEMO_PASSWORD,
  type E2E,
  type Json,
  openTerminal,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

const PHONE = { width: 390, height: 844 };

interface Seeded {
  workOrderCode: string;
  operationId: string;
  machineId: string;
  machineCode: string;
}

/** A released work order of a demo item with its first operation dispatched to a machine that is up. */
async function seed(api: Api): Promise<Seeded> {
  const routings = await api('GET', '/api/v1/routings?status=active&limit=100');
  assert.equal(routings.status, 200, JSON.stringify(routings.json));
  for (const routing of routings.json.items as { itemId: string }[]) {
    const created = await api('POST', '/api/v1/work-orders', {
      itemId: routing.itemId,
      qty: '10',
      withChildren: false,
    });
    if (created.status !== 201) continue;
    const released = await api('POST', `/api/v1/work-orders/${created.json.id}/actions`, {
      action: 'release',
      version: created.json.version,
    });
    if (released.status !== 200) continue;
    const first = [...(released.json.operations as { id: string; seq: number; workCenterId: string }[])].sort(
      (a, b) => a.seq - b.seq,
    )[0];
    if (!first) continue;
    const machines = await api(
      'GET',
      `/api/v1/machines?workCenterId=${first.workCenterId}&status=up&limit=50`,
    );
    const machine = (machines.json?.items ?? []).find((m: { active: boolean }) => m.active !== false);
    if (!machine) continue;
    const d = await api('POST', `/api/v1/operations/${first.id}/dispatch`, { machineId: machine.id });
    if (d.status !== 200) continue;
    return {
      workOrderCode: released.json.code,
      operationId: first.id,
      machineId: machine.id,
      machineCode: machine.code,
    };
  }
  throw new Error('no demo item could be made into a released, dispatched work order');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('floor map, terminal exceptions, pay & points in Chromium', {
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

  it('a breakdown raised at the terminal shows the machine down on the floor map without reloading', async () => {
    // The supervisor watches the floor map.
    const office = await e.context({ locale: 'zh-CN' });
    const map = await office.newPage();
    await signIn(map, 'supervisor', DEMO_PASSWORD);
    await map.goto('/shop-floor/floor');
    const tile = map.locator(`[data-testid="machine-tile"][data-machine="${seeded.machineCode}"]`);
    await tile.waitFor();
    await map
      .locator(`[data-testid="machine-tile"][data-machine="${seeded.machineCode}"][data-state="waiting"]`)
      .waitFor();
    await map.getByText('实时更新').first().waitFor();
    let reloads = 0;
    map.on('framenavigated', (frame) => {
      if (frame === map.mainFrame()) reloads++;
    });
    await shot(map, 'floor-map');

    // The operator opens the operation at the tablet and reports a breakdown with a note.
    const { context: tablet, page: term } = await openTerminal(e, 'E1001', '1234');
    await term.getByTestId('problem').waitFor();
    const wedge = term.getByTestId('scan-input');
    await wedge.pressSequentially(`OP:${seeded.operationId}`, { delay: 5 });
    await wedge.press('Enter');
    await term.getByTestId('operation-screen').waitFor();
    await term.getByTestId('wo-code').getByText(seeded.workOrderCode).waitFor();
    await term.getByTestId('problem').getByText('异常').waitFor();
    await shot(term, 'terminal-exception-button');
    await term.getByTestId('problem').tap();
    await term.getByTestId('problem-breakdown').getByText('设备故障').waitFor();
    for (const label of ['缺料', '质量问题', '工装问题'])
      await term.getByText(label, { exact: true }).waitFor();
    await shot(term, 'terminal-exception-kinds');
    await term.getByTestId('problem-breakdown').tap();
    await term.getByTestId('problem-note').fill('主轴异响，已停机');
    await shot(term, 'terminal-exception-form');
    await term.getByTestId('problem-send').tap();
    await term.locator('[data-testid="notice"][data-kind="ok"]').getByText('已上报').waitFor();
    // The machine-down reaction takes the work off the machine; the terminal shows it.
    await term.getByTestId('op-status').getByText('就绪').waitFor({ timeout: 15_000 });
    await shot(term, 'terminal-exception-sent');

    // The floor map turns the machine red over the live stream, with no reload.
    await map
      .locator(`[data-testid="machine-tile"][data-machine="${seeded.machineCode}"][data-state="down"]`)
      .waitFor({
        timeout: 15_000,
      });
    await tile.getByText('停机').waitFor();
    assert.equal(reloads, 0, 'the floor map was not reloaded');
    await tile.getByTestId('tile-exceptions').waitFor();
    await shot(map, 'floor-map-down');
    await tile.click();
    const details = map.getByTestId('machine-details');
    await details.getByText('主轴异响，已停机').waitFor();
    await map.waitForTimeout(500); // the drawer slides in
    await shot(map, 'floor-machine-details');

    // The machine-down job ran: the work came off the machine, and an alert is open.
    const op = await until('the operation to be requeued', async () => {
      const r = await api('GET', `/api/v1/operations/${seeded.operationId}`);
      return r.json?.status === 'ready' ? r.json : null;
    });
    assert.equal(op.machineId, null);
    const alert = await until('a machine_down alert', async () => {
      const r = await api('GET', '/api/v1/alerts?open=true');
      const items: Json[] = Array.isArray(r.json) ? r.json : (r.json?.items ?? []);
      return items.find((a) => a.kind === 'machine_down');
    });
    assert.ok(alert);
    const ex = await api('GET', `/api/v1/exceptions?machineId=${seeded.machineId}`);
    assert.equal(ex.status, 200);
    assert.equal(ex.json[0].kind, 'breakdown');
    assert.equal(ex.json[0].note, '主轴异响，已停机');
    assert.equal(ex.json[0].operationId, seeded.operationId);

    // The exceptions page: acknowledge, then resolve with a resolution.
    await map.goto('/shop-floor/exceptions');
    const row = map.locator('tr', { hasText: ex.json[0].code });
    await row.waitFor();
    await shot(map, 'floor-exceptions');
    await row.getByTestId('ex-ack').click();
    await row.getByText('已受理').waitFor();
    await row.getByTestId('ex-resolve').click();
    await map.locator('.ant-modal textarea').fill('更换主轴轴承');
    await map.locator('.ant-modal .ant-btn-primary').click();
    await map.locator('.ant-modal').waitFor({ state: 'hidden' });
    await map.locator('tr', { hasText: ex.json[0].code }).waitFor({ state: 'detached' });
    await map.locator('.ant-segmented-item', { hasText: '已解决' }).click();
    await map.locator('.ant-segmented-item-selected', { hasText: '已解决' }).waitFor();
    await map.locator('tr', { hasText: ex.json[0].code }).getByText('更换主轴轴承').waitFor();
    await shot(map, 'floor-exceptions-resolved');
    const resolved = await api('GET', `/api/v1/exceptions?state=resolved&machineId=${seeded.machineId}`);
    assert.equal(resolved.json[0].resolution, '更换主轴轴承');

    // Pay & points opens with the wage statement and its CSV link.
    await map.goto('/shop-floor/pay');
    await map.getByTestId('wages-csv').waitFor();
    await shot(map, 'floor-pay');
    await map.getByRole('tab', { name: '积分排行' }).click();
    await map.getByText('个人排行').waitFor();
    await map.waitForTimeout(400); // the tab slides in
    await shot(map, 'floor-pay-leaderboard');
    await map.getByRole('tab', { name: '计件单价' }).click();
    await map.getByText('保存单价').waitFor();
    await map.waitForTimeout(400);
    await shot(map, 'floor-pay-rates');

    await tablet.close();
    await office.close();
  });

  it('the floor map stacks its tiles on a phone and the scan screen has the problem button', async () => {
    const phone = await e.context({ locale: 'en-US', viewport: PHONE, hasTouch: true });
    const page = await phone.newPage();
    await signIn(page, 'supervisor', DEMO_PASSWORD);
    await page.goto('/shop-floor/floor');
    const tiles = page.getByTestId('machine-tile');
    await tiles.first().waitFor();
    const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
    assert.ok(a && b && b.y > a.y && Math.abs(a.x - b.x) < 2, 'tiles stack in one column');
    await shot(page, 'floor-map-phone');
    await phone.close();

    const { context: tablet, page: term } = await openTerminal(e, 'E1002', '2345', 'en-US');
    await term.getByTestId('problem').tap();
    await term.getByTestId('problem-quality').tap();
    await tablet.setOffline(true);
    await term.getByTestId('problem-offline').waitFor();
    assert.equal(await term.getByTestId('problem-send').isDisabled(), true);
    await shot(term, 'terminal-exception-offline');
    await tablet.close();
  });
});
