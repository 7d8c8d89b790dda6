import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Runtime } from '../../runtime.ts';
import { redisUrlIfReachable, testTargets } from '../../testing/databases.ts';
import { ADMIN_PASSWORD, api, signIn, startHarness } from '../../testing/harness.ts';
import { startServerProcess, stopProcess } from '../../testing/process.ts';
import { cacheOf } from './cache.ts';

/** What the tests read of a response, from inject() or from a server process. */
interface Res {
  readonly statusCode: number;
  readonly body: string;
  json(): unknown;
}
type Call = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<Res>;

function ok(res: Res, status = 200): Record<string, unknown> & { id: string; version: number } {
  assert.equal(res.statusCode, status, res.body);
  return res.json() as Record<string, unknown> & { id: string; version: number };
}

/** Signs in to a server process and calls it over HTTP. */
async function httpSession(base: string): Promise<Call> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method, url, payload) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    });
    const body = await res.text();
    return { statusCode: res.status, body, json: () => JSON.parse(body) };
  };
}

/** Reads `url` twice (the second from the cache) and returns the body. */
async function warm(runtime: Runtime, call: Call, url: string) {
  ok(await call('GET', url));
  const hits = cacheOf(runtime.db).stats().hits;
  const body = ok(await call('GET', url));
  assert.ok(cacheOf(runtime.db).stats().hits > hits, `${url} is served from the cache`);
  return body;
}

/** One of every cached kind of master data, made through the API. */
async function seed(call: Call, p: string) {
  const calendar = ok(
    await call('POST', '/api/v1/calendars', {
      code: `${p}cal`,
      name: 'day shift',
      timeZone: 'UTC',
      shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' })),
    }),
    201,
  );
  const center = ok(
    await call('POST', '/api/v1/work-centers', { code: `${p}wc`, name: 'lathes', calendarId: calendar.id }),
    201,
  );
  const machine = ok(
    await call('POST', '/api/v1/machines', { code: `${p}m`, name: 'lathe 1', workCenterId: center.id }),
    201,
  );
  const warehouse = ok(await call('POST', '/api/v1/warehouses', { code: `${p}WH`, name: 'raw store' }), 201);
  const location = ok(
    await call('POST', `/api/v1/warehouses/${warehouse.id}/locations`, {
      code: 'A-01',
      name: 'rack',
      kind: 'storage',
    }),
    201,
  );
  const customer = ok(await call('POST', '/api/v1/customers', { code: `${p}C`, name: 'Acme' }), 201);
  const supplier = ok(await call('POST', '/api/v1/suppliers', { code: `${p}S`, name: 'Steelco' }), 201);
  return { calendar, center, machine, warehouse, location, customer, supplier };
}

/** Monday 2030-01-07, a whole day of availability in minutes. */
const mondayMinutes = async (call: Call, machineId: string) =>
  ok(
    await call(
      'GET',
      `/api/v1/machines/${machineId}/availability?from=2030-01-07T00:00:00Z&to=2030-01-08T00:00:00Z`,
    ),
  ).totalMinutes;

for (const target of await testTargets()) {
  describe(`master-data cache through the API on ${target.name}`, () => {
    it('reads every change made through the API right after it commits', async (t) => {
      const h = await startHarness(target, { demo: false });
      t.after(() => h.close());
      const call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const s = await seed(call, 'rw');

      const checks: [string, string, Record<string, unknown>, string, unknown][] = [
        [`/api/v1/calendars/${s.calendar.id}`, 'PATCH', { name: 'night shift' }, 'name', 'night shift'],
        [`/api/v1/work-centers/${s.center.id}`, 'PATCH', { name: 'mills' }, 'name', 'mills'],
        [`/api/v1/machines/${s.machine.id}`, 'PATCH', { name: 'mill 1' }, 'name', 'mill 1'],
        [`/api/v1/warehouses/${s.warehouse.id}`, 'PATCH', { name: 'main store' }, 'name', 'main store'],
        [
          `/api/v1/warehouses/${s.warehouse.id}/locations/${s.location.id}`,
          'PATCH',
          { name: 'shelf' },
          'name',
          'shelf',
        ],
        [`/api/v1/customers/${s.customer.id}`, 'PATCH', { name: 'Acme Ltd' }, 'name', 'Acme Ltd'],
        [`/api/v1/suppliers/${s.supplier.id}`, 'PATCH', { active: false }, 'active', false],
      ];
      for (const [url, method, change, field, expected] of checks) {
        const before = await warm(h.runtime, call, url);
        ok(await call(method as 'PATCH', url, { ...change, version: before.version }));
        assert.deepEqual(ok(await call('GET', url))[field], expected, url);
      }

      // A status change through its own endpoint.
      const machine = await warm(h.runtime, call, `/api/v1/machines/${s.machine.id}`);
      ok(
        await call('POST', `/api/v1/machines/${s.machine.id}/status`, {
          version: machine.version,
          status: 'down',
          reason: 'spindle',
        }),
      );
      assert.equal(ok(await call('GET', `/api/v1/machines/${s.machine.id}`)).status, 'down');

      // The machine's availability follows its work center's calendar, read through the cache.
      assert.equal(await mondayMinutes(call, s.machine.id), 480);
      assert.equal(await mondayMinutes(call, s.machine.id), 480);
      const calendar = ok(await call('GET', `/api/v1/calendars/${s.calendar.id}`));
      ok(
        await call('PATCH', `/api/v1/calendars/${s.calendar.id}`, {
          version: calendar.version,
          shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '06:00', end: '18:00' })),
        }),
      );
      assert.equal(await mondayMinutes(call, s.machine.id), 720);

      // Deleting a warehouse deletes its locations with it (ON DELETE CASCADE).
      const spare = ok(await call('POST', '/api/v1/warehouses', { code: 'RW-SPARE', name: 'spare' }), 201);
      const bin = ok(
        await call('POST', `/api/v1/warehouses/${spare.id}/locations`, {
          code: 'B-1',
          name: 'bin',
          kind: 'storage',
        }),
        201,
      );
      const binUrl = `/api/v1/warehouses/${spare.id}/locations/${bin.id}`;
      await warm(h.runtime, call, binUrl);
      assert.equal((await call('DELETE', `/api/v1/warehouses/${spare.id}`)).statusCode, 204);
      assert.equal((await call('GET', binUrl)).statusCode, 404);
    });

    it('applies a changed code rule and custom field to the next create', async (t) => {
      const h = await startHarness(target, { demo: false });
      t.after(() => h.close());
      const call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const create = (code: string, customFields?: Record<string, string>) =>
        call('POST', '/api/v1/customers', { code, name: code, ...(customFields ? { customFields } : {}) });

      ok(await create('FREE-1'), 201);
      ok(await create('FREE-2'), 201);
      ok(
        await call('PUT', '/api/v1/masterdata/code-rules/customers', {
          version: 0,
          pattern: 'CU-[0-9]{4}',
          example: 'CU-0001',
        }),
      );
      const refused = await create('FREE-3');
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().errors[0].field, '/code');
      ok(await create('CU-0001'), 201);

      const unknown = await create('CU-0002', { region: 'east' });
      assert.equal(unknown.statusCode, 400, 'no such field yet');
      const def = ok(
        await call('POST', '/api/v1/masterdata/custom-fields', {
          entity: 'customers',
          key: 'region',
          kind: 'text',
          labelZh: '区域',
          labelEn: 'Region',
        }),
        201,
      );
      ok(await create('CU-0002', { region: 'east' }), 201);
      ok(await create('CU-0003', { region: 'west' }), 201);
      ok(
        await call('PATCH', `/api/v1/masterdata/custom-fields/${def.id}`, {
          version: def.version,
          active: false,
        }),
      );
      const retired = await create('CU-0004', { region: 'north' });
      assert.equal(retired.statusCode, 400, retired.body);
      assert.equal(retired.json().errors[0].field, '/customFields/region');
    });

    it('reads what a merge, a sheet import and an inbound upsert changed', async (t) => {
      const h = await startHarness(target, { demo: false });
      t.after(() => h.close());
      const call = api(h.runtime, await signIn(h.runtime, 'admin', ADMIN_PASSWORD));
      const s = await seed(call, 'mi');

      // Merge: the merged customer is deactivated.
      const dup = ok(await call('POST', '/api/v1/customers', { code: 'MIC-DUP', name: 'Acme dup' }), 201);
      assert.equal((await warm(h.runtime, call, `/api/v1/customers/${dup.id}`)).active, true);
      const keep = await warm(h.runtime, call, `/api/v1/customers/${s.customer.id}`);
      ok(
        await call('POST', '/api/v1/masterdata/customers/merge', {
          keepId: s.customer.id,
          mergeIds: [dup.id],
          version: keep.version,
        }),
      );
      assert.equal(ok(await call('GET', `/api/v1/customers/${dup.id}`)).active, false);
      assert.equal(ok(await call('GET', `/api/v1/customers/${s.customer.id}`)).version, keep.version + 1);

      // Sheet imports update existing records by code.
      const csv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
      const sheet = async (entity: string, rows: string[][]) =>
        ok(
          await call('POST', `/api/v1/${entity}/import?mode=upsert`, csv(rows), {
            'content-type': 'text/csv',
          }),
        );
      await warm(h.runtime, call, `/api/v1/work-centers/${s.center.id}`);
      await warm(h.runtime, call, `/api/v1/machines/${s.machine.id}`);
      await warm(h.runtime, call, `/api/v1/suppliers/${s.supplier.id}`);
      await sheet('work-centers', [
        ['Code', 'Name'],
        [String(s.center.code), 'imported center'],
      ]);
      await sheet('machines', [
        ['Code', 'Name', 'Work center'],
        [String(s.machine.code), 'imported machine', String(s.center.code)],
      ]);
      await sheet('suppliers', [
        ['Code', 'Name'],
        [String(s.supplier.code), 'imported supplier'],
      ]);
      assert.equal(ok(await call('GET', `/api/v1/work-centers/${s.center.id}`)).name, 'imported center');
      assert.equal(ok(await call('GET', `/api/v1/machines/${s.machine.id}`)).name, 'imported machine');
      assert.equal(ok(await call('GET', `/api/v1/suppliers/${s.supplier.id}`)).name, 'imported supplier');

      // An inbound integration upsert of a known customer.
      const token = ok(
        await call('POST', '/api/v1/identity/tokens', {
          name: 'erp',
          scopes: ['masterdata:create', 'masterdata:read', 'masterdata:update'],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
        201,
      );
      await warm(h.runtime, call, `/api/v1/customers/${s.customer.id}`);
      const upsert = await h.runtime.app.inject({
        method: 'PUT',
        url: `/api/v1/integration/inbound/customers/${String(s.customer.code)}`,
        headers: { authorization: `Bearer ${String(token.secret)}` },
        payload: { name: 'Renamed by ERP' },
      });
      assert.equal(upsert.statusCode, 200, upsert.body);
      assert.equal(ok(await call('GET', `/api/v1/customers/${s.customer.id}`)).name, 'Renamed by ERP');
    });
  });
}

const postgres = (await testTargets()).find((t) => t.name === 'postgres');
const redisUrl = await redisUrlIfReachable();

describe('master-data cache across server processes sharing Redis', () => {
  it('a change made through one process is read by the other at once', {
    skip: !postgres || !redisUrl ? 'PostgreSQL and Redis are needed' : false,
    timeout: 180_000,
  }, async (t) => {
    const database = await postgres!.create();
    const cleanup: (() => Promise<unknown>)[] = [];
    t.after(async () => {
      for (const step of cleanup.reverse()) await step();
      await database.drop();
    });
    const env = {
      TAKT_DATA_DIR: database.dataDir,
      TAKT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TAKT_DEMO: '0',
      TAKT_ROLE: 'api',
      DATABASE_URL: database.url!,
      REDIS_URL: redisUrl!,
    };
    // The first process migrates and bootstraps; the second starts on the ready database.
    const writer = await startServerProcess(env);
    cleanup.push(() => stopProcess(writer.child));
    const reader = await startServerProcess(env);
    cleanup.push(() => stopProcess(reader.child));
    const write = await httpSession(writer.base);
    const read = await httpSession(reader.base);

    const s = await seed(write, 'xp');
    const urls = [
      `/api/v1/machines/${s.machine.id}`,
      `/api/v1/work-centers/${s.center.id}`,
      `/api/v1/calendars/${s.calendar.id}`,
      `/api/v1/warehouses/${s.warehouse.id}`,
      `/api/v1/warehouses/${s.warehouse.id}/locations/${s.location.id}`,
      `/api/v1/customers/${s.customer.id}`,
      `/api/v1/suppliers/${s.supplier.id}`,
    ];
    // The reader caches every record, the calendar and the customers' code rule.
    const versions = new Map<string, number>();
    for (const url of urls) {
      ok(await read('GET', url));
      versions.set(url, ok(await read('GET', url)).version);
    }
    assert.equal(await mondayMinutes(read, s.machine.id), 480);
    ok(await read('POST', '/api/v1/customers', { code: 'FREE-1', name: 'before the rule' }), 201);

    for (const url of urls) {
      ok(await write('PATCH', url, { name: 'changed elsewhere', version: versions.get(url) }));
    }
    const calendar = ok(await write('GET', `/api/v1/calendars/${s.calendar.id}`));
    ok(
      await write('PATCH', `/api/v1/calendars/${s.calendar.id}`, {
        version: calendar.version,
        shifts: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '06:00', end: '18:00' })),
      }),
    );
    ok(
      await write('PUT', '/api/v1/masterdata/code-rules/customers', {
        version: 0,
        pattern: 'CU-[0-9]{4}',
        example: 'CU-0001',
      }),
    );

    // Entries live 5 minutes: only the broadcast makes the reader see the changes within seconds.
    const seen = async (what: string, check: () => Promise<boolean>) => {
      const deadline = Date.now() + 3000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`the reader never saw ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    for (const url of urls) {
      await seen(url, async () => ok(await read('GET', url)).name === 'changed elsewhere');
    }
    await seen('the new shifts', async () => (await mondayMinutes(read, s.machine.id)) === 720);
    let n = 1;
    await seen(
      'the new code rule',
      async () =>
        (await read('POST', '/api/v1/customers', { code: `FREE-${++n}`, name: 'x' })).statusCode === 400,
    );
  });
});
