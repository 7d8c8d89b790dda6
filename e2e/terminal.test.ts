import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { Db } from '../apps/server/src/platform/db/database.ts';
import {
  type Api,
  adminApi,
  chromiumAvailable,
  type E2E,
  enterBadge,
  type Json,
  openTerminal,
  SCREENSHOTS,
  signInAtTerminal,
  startE2E,
  TABLET,
} from './browser.ts';

interface Seeded {
  workOrderId: string;
  workOrderCode: string;
  op1: string;
  op2: string | null;
}

/** A released work order of a demo item with an active routing, its first (and second) operation dispatched. */
async function seedWorkOrder(api: Api): Promise<Seeded> {
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
    const ops = [...(released.json.operations as { id: string; seq: number; workCenterId: string }[])].sort(
      (a, b) => a.seq - b.seq,
    );
    const dispatched: string[] = [];
    for (const op of ops.slice(0, 2)) {
      const machines = await api(
        'GET',
        `/api/v1/machines?workCenterId=${op.workCenterId}&status=up&limit=50`,
      );
      const machine = (machines.json?.items ?? []).find((m: { active: boolean }) => m.active !== false);
      if (!machine) break;
      const d = await api('POST', `/api/v1/operations/${op.id}/dispatch`, { machineId: machine.id });
      if (d.status !== 200) break;
      dispatched.push(op.id);
    }
    if (dispatched.length === 0) continue;
    // Steps that ask for a first-article check get it passed, as quality would before the run.
    for (const opId of dispatched) await passFirstArticle(api, opId);
    return {
      workOrderId: released.json.id,
      workOrderCode: released.json.code,
      op1: dispatched[0]!,
      op2: dispatched[1] ?? null,
    };
  }
  throw new Error('no demo item could be made into a released, dispatched work order');
}

/** Requests and passes the first-article inspection of an operation whose routing step asks for one. */
async function passFirstArticle(api: Api, operationId: string): Promise<void> {
  const op = await api('GET', `/api/v1/operations/${operationId}`);
  if (op.json.firstArticle !== 'pending' && op.json.firstArticle !== 'failed') return;
  const req = await api('POST', '/api/v1/quality/inspections', { operationId });
  assert.ok(req.status < 300, JSON.stringify(req.json));
  const pass = await api('POST', `/api/v1/quality/inspections/${req.json.id}/result`, {
    version: req.json.version,
    result: 'pass',
    sampleQty: '1',
  });
  assert.equal(pass.status, 200, JSON.stringify(pass.json));
}

async function reportsOf(dataDir: string, operationId: string) {
  const db = Db.open({ url: null, sqliteFile: path.join(dataDir, 'takt.db') });
  try {
    return await db.kysely
      .selectFrom('operation_reports')
      .select(['id', 'idempotency_key', 'good', 'reported_at'])
      .where('operation_id', '=', operationId)
      .execute();
  } finally {
    await db.close();
  }
}

async function operationRow(dataDir: string, operationId: string) {
  const db = Db.open({ url: null, sqliteFile: path.join(dataDir, 'takt.db') });
  try {
    return await db.kysely
      .selectFrom('work_order_operations')
      .select(['status', 'started_at', 'status_since'])
      .where('id', '=', operationId)
      .executeTakeFirstOrThrow();
  } finally {
    await db.close();
  }
}

/** The work order as if released `ms` ago, earlier in the shift. */
async function backdateRelease(dataDir: string, workOrderId: string, ms: number): Promise<void> {
  const db = Db.open({ url: null, sqliteFile: path.join(dataDir, 'takt.db') });
  try {
    await db.kysely
      .updateTable('work_order_history')
      .set({ at: new Date(Date.now() - ms).toISOString() })
      .where('work_order_id', '=', workOrderId)
      .where('action', '=', 'release')
      .execute();
  } finally {
    await db.close();
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `terminal-${name}.png`) });
}

async function scan(page: Page, code: string): Promise<void> {
  const wedge = page.getByTestId('scan-input');
  await wedge.waitFor();
  await wedge.pressSequentially(code, { delay: 5 });
  await wedge.press('Enter');
}

async function reportGood(page: Page, qty: string): Promise<void> {
  await page.getByTestId('action-report').tap();
  for (const digit of qty)
    await page.locator('.tk-sheet .tk-keypad').getByRole('button', { name: digit, exact: true }).tap();
  await page.getByTestId('report-submit').tap();
}

/** What the terminal has stored in IndexedDB, read in the page. */
function storedQueue(
  page: Page,
): Promise<{ key: string; operationId: string; status: string; body: Json }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
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
}

describe('shop-floor terminal in Chromium', {
  skip: !chromiumAvailable && 'Chromium is not installed',
}, () => {
  let e: E2E;
  let api: Api;
  let seeded: Seeded;
  before(async () => {
    e = await startE2E();
    api = await adminApi(e.base);
    seeded = await seedWorkOrder(api);
  });
  after(async () => e?.close());

  it('signs in with badge and PIN, starts an operation, queues a report offline and sends it exactly once', async () => {
    const ctx = await e.context({ locale: 'zh-CN', viewport: TABLET, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto('/terminal');
    await page.getByTestId('badge').waitFor();
    await page.getByText('塔克特终端').first().waitFor();
    await shot(page, 'signin');

    // A wrong PIN is refused with a clear message.
    await enterBadge(page, 'E1001', '9999');
    await page.getByTestId('signin-error').getByText('工牌或密码错误').waitFor();
    await shot(page, 'signin-wrong-pin');
    await page.getByTestId('badge').fill('');
    await signInAtTerminal(page, 'E1001', '1234');
    await shot(page, 'scan');

    await scan(page, `OP:${seeded.op1}`);
    await page.getByTestId('operation-screen').waitFor();
    await page.getByTestId('wo-code').getByText(seeded.workOrderCode).waitFor();
    await shot(page, 'operation');

    await page.getByTestId('action-start').tap();
    await page.getByTestId('op-status').getByText('加工中').waitFor();

    // Pause with a reason, then resume.
    await page.getByTestId('action-pause').tap();
    await page.getByTestId('pause-WAIT_MATERIAL').waitFor();
    await shot(page, 'pause-reasons');
    await page.getByTestId('pause-WAIT_MATERIAL').tap();
    await page.getByTestId('op-status').getByText('已暂停').waitFor();
    await page.getByTestId('action-resume').tap();
    await page.getByTestId('op-status').getByText('加工中').waitFor();

    // No network: the report is stored on the device and shown in the queue.
    await ctx.setOffline(true);
    await page.getByTestId('net').getByText('离线').waitFor();
    await page.getByTestId('action-report').tap();
    await page.locator('.tk-sheet .tk-keypad').getByRole('button', { name: '5', exact: true }).tap();
    await shot(page, 'report-keypad');
    await page.getByTestId('report-submit').tap();
    await page.locator('[data-testid="notice"][data-kind="queued"]').waitFor();
    await page.locator('[data-testid="queue-badge"][data-count="1"]').waitFor();
    await page.getByText('+5 待上传').waitFor();
    await shot(page, 'offline-queued');
    await page.getByTestId('queue-badge').tap();
    await page.getByTestId('queue-item').getByText(seeded.workOrderCode, { exact: false }).waitFor();
    await shot(page, 'queue');
    await page.getByTestId('queue-panel').getByRole('button', { name: '返回' }).tap();

    const stored = await storedQueue(page);
    assert.equal(stored.length, 1);
    const queued = stored[0]!;
    assert.equal(queued.operationId, seeded.op1);
    assert.equal(queued.body.good, '5');
    assert.match(queued.key, /^[0-9a-f-]{36}$/);
    assert.equal(queued.body.idempotencyKey, queued.key);
    assert.ok(Date.parse(queued.body.reportedAt) > 0, 'stamped with the time it was taken');
    assert.equal((await reportsOf(e.dataDir, seeded.op1)).length, 0, 'nothing reached the server offline');

    // Network back: the queue empties and the server has the report once.
    await ctx.setOffline(false);
    await page.locator('[data-testid="queue-badge"][data-count="0"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('qty-good').getByText('5', { exact: true }).waitFor();
    await shot(page, 'online-sent');
    let state = await api('GET', `/api/v1/operations/${seeded.op1}`);
    assert.equal(state.json.qtyGood, '5');
    let reports = await reportsOf(e.dataDir, seeded.op1);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.idempotency_key, queued.key);
    assert.equal(reports[0]!.reported_at, queued.body.reportedAt, 'the time the report was taken, not sent');

    // The same stored report sent again, twice at once: both answered as duplicates, still counted once.
    const replays = await page.evaluate(
      async ({ opId, body }) => {
        const session = await (await fetch('/api/v1/auth/session')).json();
        const send = () =>
          fetch(`/api/v1/operations/${opId}/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
            body: JSON.stringify(body),
          }).then(async (r) => ({ status: r.status, duplicate: (await r.json()).duplicate }));
        return Promise.all([send(), send()]);
      },
      { opId: seeded.op1, body: queued.body },
    );
    assert.deepEqual(replays, [
      { status: 200, duplicate: true },
      { status: 200, duplicate: true },
    ]);
    state = await api('GET', `/api/v1/operations/${seeded.op1}`);
    assert.equal(state.json.qtyGood, '5');
    reports = await reportsOf(e.dataDir, seeded.op1);
    assert.equal(reports.length, 1);
    await ctx.close();
  });

  it('resends a report whose answer was lost and counts it once', async () => {
    // Service workers blocked so the test can cut the answer of one request on its way back.
    const ctx: BrowserContext = await e.browser.newContext({
      baseURL: e.base,
      locale: 'zh-CN',
      viewport: TABLET,
      hasTouch: true,
      serviceWorkers: 'block',
    });
    const page = await ctx.newPage();
    await page.goto('/terminal');
    await signInAtTerminal(page, 'E1002', '2345');
    await scan(page, `OP:${seeded.op1}`);
    await page.getByTestId('operation-screen').waitFor();
    await page.getByTestId('op-status').getByText('加工中').waitFor();

    let delivered = 0;
    await page.route('**/api/v1/operations/*/reports', async (route) => {
      // The server records the report, then the connection drops before the answer arrives.
      const response = await route.fetch();
      assert.equal(response.status(), 201);
      delivered++;
      await route.abort('connectionreset');
    });
    await reportGood(page, '3');
    await page.locator('[data-testid="notice"][data-kind="queued"]').waitFor();
    await page.locator('[data-testid="queue-badge"][data-count="1"]').waitFor();
    assert.equal(delivered, 1);
    await page.unrouteAll();

    await page.getByTestId('queue-badge').tap();
    await page.getByTestId('queue-panel').getByRole('button', { name: '立即上传' }).tap();
    await page.locator('[data-testid="queue-badge"][data-count="0"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('queue-panel').getByText('全部已上传。').waitFor();
    await page.getByTestId('queue-panel').getByRole('button', { name: '返回' }).tap();
    await page.getByTestId('qty-good').getByText('8', { exact: true }).waitFor();

    const state = await api('GET', `/api/v1/operations/${seeded.op1}`);
    assert.equal(state.json.qtyGood, '8');
    assert.equal((await reportsOf(e.dataDir, seeded.op1)).length, 2);
    await ctx.close();
  });

  it('starts an operation at the time the operator says it really started', async () => {
    const late = await seedWorkOrder(api);
    const { context: ctx, page } = await openTerminal(e, 'E1001', '1234');
    await scan(page, `OP:${late.op1}`);
    await page.getByTestId('operation-screen').waitFor();

    // Just released: an hour ago the order was not on the floor yet.
    await page.getByTestId('action-start-earlier').tap();
    await page.getByTestId('start-at-clock').waitFor();
    // The clock is 24-hour whatever the browser's locale: 17:48, never 05:48 PM.
    const hours = await page.getByTestId('start-at-hour').locator('option').allTextContents();
    assert.deepEqual([hours.length, hours[0], hours[23]], [24, '00', '23']);
    await page.getByTestId('start-at-hour').selectOption('17');
    await page.getByTestId('start-at-minute').selectOption('48');
    await page.getByTestId('start-at-confirm').getByText('按 17:48 开工').waitFor();
    assert.equal(await page.getByTestId('start-at-clock').getAttribute('data-value'), '17:48');
    await shot(page, 'start-earlier');
    await page.getByTestId('start-ago-60').tap();
    await page
      .locator('[data-testid="notice"][data-kind="error"]')
      .getByText('该时间工单还未下达。')
      .waitFor();
    assert.equal((await operationRow(e.dataDir, late.op1)).status, 'dispatched');

    // Released earlier in the shift, the operator says half an hour ago.
    await backdateRelease(e.dataDir, late.workOrderId, 2 * 3_600_000);
    const tapped = Date.now();
    await page.getByTestId('action-start-earlier').tap();
    await page.getByTestId('start-ago-30').tap();
    await page.getByTestId('op-status').getByText('加工中').waitFor();
    const row = await operationRow(e.dataDir, late.op1);
    const startedAt = Date.parse(row.started_at ?? '');
    assert.ok(Math.abs(tapped - 30 * 60_000 - startedAt) < 60_000, `${row.started_at} is half an hour ago`);
    assert.equal(row.status_since, row.started_at);
    await ctx.close();
  });

  it('shows a refusal from the server in big, translated words', async (t) => {
    if (!seeded.op2) return t.skip('the demo routing has one operation');
    const { context: ctx, page } = await openTerminal(e, 'E1003', '3456');
    await scan(page, `OP:${seeded.op2}`);
    await page.getByTestId('action-start').tap();
    await page.locator('[data-testid="notice"][data-kind="error"]').getByText('上道工序尚未完成').waitFor();
    await shot(page, 'refusal');
    // A work-order code scanned without prefix opens the work order and its operations.
    await page.getByTestId('scan-next').tap();
    await scan(page, seeded.workOrderCode);
    await page.locator('.tk-op-choice').first().waitFor();
    await shot(page, 'work-order');
    await ctx.close();
  });
  it('opens from the cached shell without network and signs back in when the network returns', async () => {
    const { context: ctx, page } = await openTerminal(e, 'E1001', '1234');
    // The service worker is in control and holds the terminal's code.
    await page.waitForFunction(
      async () => {
        if (!navigator.serviceWorker.controller) return false;
        const cache = await caches.open('takt-terminal-shell-v1');
        const keys = (await cache.keys()).map((r) => r.url);
        return (
          keys.some((u) => u.includes('/assets/TerminalApp-')) && keys.some((u) => u.endsWith('/terminal'))
        );
      },
      undefined,
      { timeout: 15_000, polling: 250 },
    );
    await ctx.setOffline(true);
    await page.reload();
    await page.getByTestId('badge').waitFor();
    await page.getByTestId('net').getByText('离线').waitFor();
    await page.getByText('没有网络，登录需要连接服务器').waitFor();
    await shot(page, 'offline-start');
    // The session is still valid on the server: back online, the terminal carries on without a new sign-in.
    await ctx.setOffline(false);
    await page.getByTestId('scan-input').waitFor({ timeout: 20_000 });
    await ctx.close();
  });
});
