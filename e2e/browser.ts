import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { startServerProcess, stopProcess } from '../apps/server/src/testing/process.ts';

export const CHROMIUM = process.env.TAKT_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.TAKT_REQUIRE_SERVICES === '1') {
  throw new Error(`Chromium is required (TAKT_REQUIRE_SERVICES=1) but not found at ${CHROMIUM}`);
}
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../test-results/screenshots');

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface E2E {
  readonly base: string;
  readonly dataDir: string;
  readonly browser: Browser;
  context(options?: {
    locale?: string;
    viewport?: { width: number; height: number };
    hasTouch?: boolean;
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A real Takt server (SQLite, demo factory) and headless Chromium. */
export async function startE2E(): Promise<E2E> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-e2e-'));
  const { child, base } = await startServerProcess({
    TAKT_DATA_DIR: dataDir,
    TAKT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TAKT_DEMO: '1',
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    base,
    dataDir,
    browser,
    context: (o = {}) =>
      browser.newContext({
        baseURL: base,
        locale: o.locale ?? 'en-US',
        viewport: o.viewport ?? { width: 1440, height: 900 },
        hasTouch: o.hasTouch ?? false,
      }),
    async close() {
      await browser.close();
      await stopProcess(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chooses an option of an Ant Design select and checks that the select now shows it.
 * Under load a click can land while the dropdown is still opening; the choice is retried then.
 * (No Escape between tries: inside a modal it would close the modal.)
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  option: string | RegExp,
  shown: string | RegExp = option,
): Promise<void> {
  const holder = select.locator('xpath=ancestor::*[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    if ((await dropdown.count()) === 0) await select.click();
    const item = dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first();
    await item.click();
    try {
      await holder.filter({ hasText: shown }).waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}
