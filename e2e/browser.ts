import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

/** The admin password of the browser tests' server, made at random for each test process. */
export const ADMIN_PASSWORD = `e-${randomBytes(12).toString('base64url')}`;

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

/** A real Takt server (SQLite, demo factory) and headless Chromium; `env` adds server settings. */
export async function startE2E(options: { env?: Record<string, string> } = {}): Promise<E2E> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-e2e-'));
  const { child, base } = await startServerProcess({
    TAKT_DATA_DIR: dataDir,
    TAKT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TAKT_DEMO: '1',
    ...options.env,
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

/** The password of every demo user (planner, supervisor, quality, warehouse…) when TAKT_DEMO=1. */
export const DEMO_PASSWORD = 'takt-demo';

/** A shop-floor tablet held in landscape. */
export const TABLET = { width: 1280, height: 800 };

/** Signs in on the login page and waits until the app has moved on from it. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('input#login, input[name="login"]').first().fill(login);
  await page.locator('input#password, input[name="password"], input[type="password"]').first().fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Types a badge at the terminal as a keyboard-wedge scanner does (ending with Enter), taps the PIN and signs in. */
export async function enterBadge(page: Page, badge: string, pin: string): Promise<void> {
  const badgeInput = page.getByTestId('badge');
  await badgeInput.waitFor();
  await badgeInput.pressSequentially(badge, { delay: 10 });
  await badgeInput.press('Enter');
  for (const digit of pin)
    await page.locator('.tk-keypad').getByRole('button', { name: digit, exact: true }).tap();
  await page.getByTestId('signin-submit').tap();
}

/** Signs in at the terminal with badge and PIN and waits for its scan screen. */
export async function signInAtTerminal(page: Page, badge: string, pin: string): Promise<void> {
  await enterBadge(page, badge, pin);
  await page.getByTestId('scan-input').waitFor();
}

/** A touch tablet on the shop-floor terminal, signed in with badge and PIN. */
export async function openTerminal(
  e: E2E,
  badge: string,
  pin: string,
  locale = 'zh-CN',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e.context({ locale, viewport: TABLET, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/terminal');
  await signInAtTerminal(page, badge, pin);
  return { context, page };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, checked by the tests' assertions
export type Json = any;
export type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; json: Json }>;

/** An API session (cookie + CSRF token) of a user, for seeding data and checking what the server did. */
export async function apiAs(base: string, login: string, password: string): Promise<Api> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method, url, body) => {
    const answer = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie,
        accept: 'application/json',
        ...(method === 'GET' ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrfToken }),
      },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await answer.text();
    return { status: answer.status, json: text ? JSON.parse(text) : undefined };
  };
}

/** The administrator's API session. */
export function adminApi(base: string): Promise<Api> {
  return apiAs(base, 'admin', ADMIN_PASSWORD);
}

/** Calls the API and asserts it answered 2xx; returns the answer's JSON. */
export async function ok<T = Json>(api: Api, method: string, url: string, body?: unknown): Promise<T> {
  const res = await api(method, url, body);
  assert.ok(
    res.status >= 200 && res.status < 300,
    `${method} ${url} → ${res.status} ${JSON.stringify(res.json)}`,
  );
  return res.json as T;
}

/**
 * Clicks `target` until `shown` is there (or, with `state: 'hidden'`, gone; up to `attempts` times,
 * 10 s each): under load a click can land while a dialog is still opening and be lost. A click on a
 * target already gone (its dialog closed by the previous click) is let go.
 */
export async function clickUntil(
  target: Locator,
  shown: Locator,
  attempts = 3,
  state: 'visible' | 'hidden' = 'visible',
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await target.click({ timeout: 5000 }).catch(() => undefined);
    try {
      await shown.waitFor({ state, timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

/**
 * Switches the interface language from the header and waits until `shown` appears in it. Under load a
 * click can land while the menu is still opening; the switch is tried again then (up to 3 times).
 */
export async function chooseLanguage(page: Page, language: string, shown: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const item = page.getByRole('menuitem', { name: language });
    if (!(await item.isVisible())) await page.getByRole('button', { name: /^(Language|语言)$/ }).click();
    await item.click({ timeout: 5000 }).catch(() => undefined);
    try {
      await shown.waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}
