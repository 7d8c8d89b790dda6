import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type Config } from '../platform/config.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime.ts';
import type { TestDatabase, TestTarget } from './databases.ts';

/** The admin password of every throwaway test database, made at random for each test process. */
export const ADMIN_PASSWORD = `t-${randomBytes(12).toString('base64url')}`;

export interface Harness {
  readonly runtime: Runtime;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export function testConfig(database: TestDatabase, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      TAKT_DATA_DIR: database.dataDir,
      TAKT_LOG_LEVEL: 'silent',
      TAKT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // Tests count the demo's master data and orders; the running-plant activity is opted into.
      TAKT_DEMO_ACTIVITY: '0',
    }),
    databaseUrl: database.url,
    // Tests sign in far more often than people do; the limit itself has its own test.
    loginRateLimit: 10_000,
    ...overrides,
  };
}

/** A full runtime (migrated database, app, dispatcher, worker) on a fresh database of the target kind. */
export async function startHarness(
  target: TestTarget,
  options: {
    demo?: boolean;
    start?: boolean;
    config?: Partial<Config>;
    runtime?: Partial<RuntimeOptions>;
  } = {},
): Promise<Harness> {
  const database = await target.create();
  const config = testConfig(database, { demo: options.demo ?? true, ...options.config });
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }), ...options.runtime });
  if (options.start !== false) runtime.start();
  return {
    runtime,
    database,
    async close() {
      await runtime.close();
      await database.drop();
    },
  };
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

export async function signIn(runtime: Runtime, login: string, password: string): Promise<Session> {
  const res = await runtime.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { login, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${login} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : String(setCookie);
  return { cookie: raw.split(';')[0]!, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

/** The API as the administrator every harness starts with. */
export async function adminApi(runtime: Runtime) {
  return api(runtime, await signIn(runtime, 'admin', ADMIN_PASSWORD));
}

/** inject() with the session cookie and CSRF header. */
export function api(runtime: Runtime, session: Session | null) {
  return (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    runtime.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
      headers: {
        ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
        ...headers,
      },
    }) as Promise<LightMyRequestResponse>;
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  stepMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
