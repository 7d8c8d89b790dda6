import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ADMIN_PASSWORD,
  adminApi,
  chooseOption,
  clickUntil,
  chromiumAvailable,
  type E2E,
  SCREENSHOTS,
  signIn,
  startE2E,
} from './browser.ts';

/** A receiving system on 127.0.0.1 that answers 200 and counts what it got. */
async function receiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/takt`;
  return { bodies, url, close: () => new Promise((r) => server.close(r)) };
}

/** Creates an item through the API as the admin: the event the webhook receives. */
async function createItem(base: string, code: string): Promise<void> {
  const api = await adminApi(base);
  const res = await api('POST', '/api/v1/items', {
    code,
    name: 'Webhook probe',
    type: 'purchased',
    uom: 'pcs',
  });
  assert.equal(res.status, 201, JSON.stringify(res.json));
}

/**
 * Damages the demo data the way a bad manual fix would: one stock balance no longer matches its moves.
 * Reconciliation exists to find exactly this.
 */
function damageOneBalance(dataDir: string): void {
  const db = new DatabaseSync(path.join(dataDir, 'takt.db'));
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const res = db
      .prepare(
        'UPDATE stock_balances SET on_hand = on_hand + 7000 WHERE rowid = (SELECT min(rowid) FROM stock_balances)',
      )
      .run();
    assert.equal(Number(res.changes), 1, 'the demo factory has stock');
  } finally {
    db.close();
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

describe('integration pages in Chromium', { skip: !chromiumAvailable && 'Chromium is not installed' }, () => {
  let e: E2E;
  let rx: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    rx = await receiver();
    e = await startE2E();
  });
  after(async () => {
    await e?.close();
    await rx?.close();
  });

  it('monitor, webhook subscription, reconciliation run, request log and alert channels', async () => {
    const ctx = await e.context({ viewport: { width: 1440, height: 1000 } });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);

    // The menu group leads to the monitor.
    const nav = page.locator('.takt-side-menu').first();
    await nav.getByText('Integration', { exact: true }).click();
    await nav.getByText('Monitor', { exact: true }).click();
    await page.waitForURL('**/integration/monitor');
    await page.getByRole('heading', { name: 'Integration monitor' }).waitFor();
    await page.getByText('Outbox backlog').waitFor();
    await page
      .getByTestId('broker-card')
      .getByText(/Not configured|Connected|Disconnected/)
      .waitFor();
    await shot(page, 'integration-monitor-en');

    // A new webhook subscription shows its secret once and is listed.
    await page.goto('/integration/webhooks');
    await page.getByRole('button', { name: /New subscription/ }).click();
    const modal = page.getByRole('dialog').filter({ hasText: 'New subscription' });
    await modal.locator('input#name').fill('ERP sync');
    await modal.locator('input#url').fill(rx.url);
    await modal.locator('input#eventTypes').fill('item.*');
    await page.keyboard.press('Enter');
    await modal.locator('input#eventTypes').fill('workorder.released');
    await page.keyboard.press('Enter');
    await modal.getByRole('button', { name: /Add condition/ }).click();
    await modal.getByPlaceholder('Field path').fill('aggregateType');
    await modal.getByPlaceholder('Value').fill('item');
    await shot(page, 'integration-webhook-form-en');
    await modal.getByRole('button', { name: /^Create$/ }).click();
    const secretModal = page.getByRole('dialog').filter({ hasText: 'Signing secret' });
    await secretModal.waitFor();
    const secret = (await secretModal.getByTestId('webhook-secret').innerText()).trim();
    assert.match(secret, /^whsec_/);
    await clickUntil(
      secretModal.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }),
      secretModal,
      3,
      'hidden',
    );
    const subs = page.getByTestId('webhook-subscriptions');
    await subs.getByText('ERP sync').waitFor();
    await subs.getByText('aggregateType=item').waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    // Editing starts from the stored subscription.
    await subs.getByRole('button', { name: 'Edit subscription' }).click();
    const edit = page.getByRole('dialog').filter({ hasText: 'Edit subscription' });
    assert.equal(await edit.locator('input#name').inputValue(), 'ERP sync');
    assert.equal(await edit.locator('input#url').inputValue(), rx.url);
    // Under load the click can land while the dialog is still opening (the zoom animation).
    await clickUntil(edit.getByRole('button', { name: 'Cancel' }), edit, 3, 'hidden');

    // An event reaches the receiver; its delivery is logged with request and response, and can be sent again.
    await createItem(e.base, 'E2E-HOOK-1');
    const delivery = page.locator('tbody tr.ant-table-row').filter({ hasText: 'item.created' }).first();
    for (let i = 0; i < 30 && !(await delivery.getByText('Delivered').count()); i++) {
      await page
        .locator('.takt-page-header')
        .getByRole('button', { name: /Refresh/ })
        .click();
      await page.waitForTimeout(1000);
    }
    await delivery.getByText('Delivered').waitFor();
    assert.equal(rx.bodies.length, 1);
    assert.match(rx.bodies[0]!, /E2E-HOOK-1/);
    await shot(page, 'integration-webhooks-en');
    await delivery.getByRole('button', { name: 'Details' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: 'Payload' });
    await drawer.getByText('Attempt 1').waitFor();
    await drawer.getByText('{"received":true}').or(drawer.getByText('"received": true')).first().waitFor();
    await shot(page, 'integration-delivery-en');
    await drawer.getByRole('button', { name: 'Send again' }).click();
    await page.getByText('Queued to send again').waitFor();
    for (let i = 0; i < 30 && rx.bodies.length < 2; i++) await page.waitForTimeout(500);
    assert.equal(rx.bodies.length, 2, 'the replay reached the receiver');
    await page.keyboard.press('Escape');

    // Reconciliation: run now, the run appears and finishes.
    await page.goto('/integration/reconciliation');
    await page.getByRole('heading', { name: 'Reconciliation' }).waitFor();
    damageOneBalance(e.dataDir);
    await page.getByRole('button', { name: /Run now/ }).click();
    const runs = page.getByTestId('recon-runs');
    await runs.locator('tbody tr.ant-table-row').first().waitFor();
    await runs.getByText('Done').first().waitFor({ timeout: 30_000 });
    const finding = page
      .getByTestId('recon-findings')
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: 'Stock ledger vs balance' })
      .first();
    await finding.getByText('Open').waitFor();
    await shot(page, 'integration-reconciliation-en');
    // Explain the finding with a note, then mark it fixed.
    // Clicks in a dialog that is still opening can be lost under load: they are tried again.
    const explain = page.getByRole('dialog').filter({ hasText: 'Explain finding' });
    await clickUntil(finding.getByRole('button', { name: 'Explain' }), explain);
    await clickUntil(explain.getByRole('button', { name: 'Explain' }), explain.getByText('Write a note'));
    await explain.locator('textarea#note').fill('Counted again: the ledger is right');
    await clickUntil(
      explain.getByRole('button', { name: 'Explain' }),
      finding.getByText('Explained', { exact: true }),
    );
    await explain.waitFor({ state: 'hidden' });
    await finding.getByText('Counted again: the ledger is right').waitFor();
    const fixed = page.getByRole('dialog').filter({ hasText: 'Mark fixed' });
    await clickUntil(finding.getByRole('button', { name: /Mark fixed/ }), fixed);
    await clickUntil(
      fixed.getByRole('button', { name: /Mark fixed/ }),
      finding.getByText('Fixed', { exact: true }),
    );
    await fixed.waitFor({ state: 'hidden' });
    await finding.getByText('Counted again: the ledger is right').waitFor();
    await shot(page, 'integration-reconciliation-fixed-en');

    // The request log lists the admin's own calls; the drawer shows the bodies.
    await page.goto('/integration/requests');
    await page.getByRole('heading', { name: 'API request log' }).waitFor();
    await page.getByLabel('Path contains').fill('webhooks/subscriptions');
    const row = page
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: 'POST' })
      .filter({ hasText: '/api/v1/integration/webhooks/subscriptions' })
      .first();
    await row.waitFor();
    assert.match(await row.innerText(), /admin/i);
    await shot(page, 'integration-requests-en');
    await row.getByRole('button', { name: 'Details' }).click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    await detail.getByText('ERP sync').first().waitFor();
    assert.equal(await detail.getByText(secret).count(), 0, 'the secret is redacted in the log');
    await shot(page, 'integration-request-detail-en');
    await page.keyboard.press('Escape');

    // Alert channels: an email channel with its SMTP settings, then a rule for it.
    await page.goto('/integration/alerts');
    await page.getByRole('button', { name: /New channel/ }).click();
    const ch = page.getByRole('dialog').filter({ hasText: 'New channel' });
    await ch.locator('input#name').fill('Maintenance mail');
    await chooseOption(page, ch.locator('#kind'), 'Email (SMTP)');
    await ch.locator('input#host').fill('smtp.plant.example');
    await ch.locator('input#user').fill('alerts');
    await ch.locator('input#secret').fill('mail-password');
    await ch.locator('input#from').fill('takt@plant.example');
    await ch.locator('input#to').fill('maintenance@plant.example');
    await page.keyboard.press('Enter');
    await shot(page, 'integration-email-channel-form-en');
    await ch.getByRole('button', { name: /^Create$/ }).click();
    await ch.waitFor({ state: 'hidden' });
    await page.getByText('maintenance@plant.example · smtp.plant.example:465').waitFor();
    await page.getByText('Password stored').waitFor();
    // The SMTP server does not exist: the test message fails and the log says so.
    await page.getByRole('button', { name: /Send test message/ }).click();
    await page.getByText(/Test message failed: SMTP/).waitFor({ timeout: 20_000 });
    await page
      .locator('tbody tr')
      .filter({ hasText: 'Takt test message for Maintenance mail' })
      .getByText('Failed')
      .waitFor();
    await page.getByRole('button', { name: /New rule/ }).click();
    const rule = page.getByRole('dialog').filter({ hasText: 'New rule' });
    await rule.locator('input#pattern').fill('machine.*');
    await rule.getByRole('button', { name: /^Create$/ }).click();
    await rule.waitFor({ state: 'hidden' });
    await page
      .locator('tbody tr')
      .filter({ hasText: 'machine.*' })
      .filter({ hasText: 'Maintenance mail' })
      .waitFor();
    await shot(page, 'integration-alerts-en');
    await ctx.close();
  });

  it('shows the integration pages in Chinese', async () => {
    const ctx = await e.context({ locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/integration/monitor');
    await page.getByRole('heading', { name: '集成监控' }).waitFor();
    await page.getByText('发件箱积压').waitFor();
    await shot(page, 'integration-monitor-zh');
    await page.goto('/integration/alerts');
    await page.getByRole('heading', { name: '告警渠道与规则' }).waitFor();
    await shot(page, 'integration-alerts-zh');
    await ctx.close();
  });
});
