import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
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
