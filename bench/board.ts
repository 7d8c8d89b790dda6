/**
 * Planning board benchmark (run on demand, not a test): `node bench/board.ts [--orders 1000]
 * [--machines 60] [--ops-per-order 5] [--settle 3] [--profile] [--keep]`.
 *
 * Seeds a fresh SQLite plant (machines in work centres on a two-shift calendar, released work orders
 * of several operations each), starts the Takt server as a process, lets it schedule everything, then
 * opens the board in headless Chromium (playwright-core) and prints: the assignments payload and
 * time, time to first render with all data, JS heap, frame times while scrolling vertically and
 * horizontally and while dragging a bar (both views), and the conflict check round trip.
 * TAKT_WEB_DIST points at a web build to serve; without it the web app is built when stale.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { newId, nowIso } from '../apps/server/src/platform/ids.ts';
import { startServerProcess, stopProcess } from '../apps/server/src/testing/process.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { buildWebIfNeeded } from '../scripts/web-build.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    machines: { type: 'string', default: '60' },
    'ops-per-order': { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    settle: { type: 'string', default: '3' },
  },
});
const ORDERS = Number(values.orders);
const MACHINES = Number(values.machines);
const OPS = Number(values['ops-per-order']);
const CENTERS = 6;
const CHROMIUM = process.env.TAKT_CHROMIUM ?? '/usr/bin/chromium';

/** Deterministic numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The few browser globals the page scripts use (this file is type-checked without the DOM library). */
interface Scroller {
  scrollTop: number;
  scrollLeft: number;
}
interface PageGlobals {
  document: {
    querySelector(selector: string): unknown;
    querySelectorAll(selector: string): { length: number };
    getElementsByTagName(name: string): { length: number };
  };
  requestAnimationFrame(callback: (t: number) => void): number;
  __frames: number[];
  __stop: boolean;
}

const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return {
    n: s.length,
    p50: q(0.5),
    p95: q(0.95),
    max: s[s.length - 1] ?? 0,
    over50: s.filter((x) => x > 50).length,
  };
};
const line = (label: string, v: ReturnType<typeof quantiles>) =>
  console.log(
    `${label.padEnd(34)} frames ${String(v.n).padStart(4)}  p50 ${v.p50.toFixed(1).padStart(6)} ms  p95 ${v.p95.toFixed(1).padStart(6)} ms  max ${v.max.toFixed(1).padStart(6)} ms  >50 ms: ${v.over50}`,
  );

// --- seed ------------------------------------------------------------------------------------------
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-board-'));
{
  const t = performance.now();
  const config = loadConfig({
    TAKT_DATA_DIR: dataDir,
    TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    TAKT_LOG_LEVEL: 'silent',
    TAKT_DEMO_ACTIVITY: '0',
  });
  const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
  const random = rng(42);
  const now = nowIso();
  await runtime.db.transaction(async (tx) => {
    const calendarId = newId();
    await tx
      .insertInto('calendars')
      .values({
        id: calendarId,
        code: 'BENCH-2S',
        name: 'two shifts',
        time_zone: 'UTC',
        weekly_shifts: JSON.stringify(
          [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
            { weekday, start: '06:00', end: '14:00' },
            { weekday, start: '14:00', end: '22:00' },
          ]),
        ),
        exceptions: '[]',
        active: 1,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const centers: string[] = [];
    for (let c = 0; c < CENTERS; c++) {
      const id = newId();
      centers.push(id);
      await tx
        .insertInto('work_centers')
        .values({
          id,
          code: `WC-${c + 1}`,
          name:
            ['Turning', 'Milling', 'Grinding', 'Drilling', 'Assembly', 'Inspection'][c] ?? `Centre ${c + 1}`,
          kind: '',
          calendar_id: calendarId,
          active: 1,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    for (let m = 0; m < MACHINES; m++) {
      await tx
        .insertInto('machines')
        .values({
          id: newId(),
          code: `M-${String(m + 1).padStart(3, '0')}`,
          name: `Machine ${m + 1}`,
          work_center_id: centers[m % CENTERS]!,
          capacity: 1,
          efficiency_bp: 8000 + Math.floor(random() * 4000),
          hourly_cost: 0,
          status: 'up',
          calendar_id: null,
          active: 1,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const itemId = newId();
    await tx
      .insertInto('items')
      .values({
        id: itemId,
        code: 'BENCH-PART',
        name: 'Bench part',
        spec: '',
        type: 'finished',
        uom: 'pcs',
        safety_stock: 0,
        standard_cost: 0,
        tracking: 'none',
        default_warehouse_id: null,
        purchase_lead_days: 0,
        production_lead_days: 0,
        min_order_qty: 0,
        order_multiple: 0,
        dup_key: 'bench part',
        active: 1,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const today = Date.now();
    for (let i = 0; i < ORDERS; i++) {
      const id = newId();
      await tx
        .insertInto('work_orders')
        .values({
          id,
          code: `WO-${String(i + 1).padStart(5, '0')}`,
          item_id: itemId,
          qty: (20 + Math.floor(random() * 60)) * 1000,
          qty_good: 0,
          qty_scrap: 0,
          qty_received: 0,
          status: 'released',
          held_from: null,
          closed_short_reason: null,
          bom_id: null,
          routing_id: null,
          parent_id: null,
          root_id: id,
          sales_order_id: null,
          sales_order_line_id: null,
          due_date: new Date(today + (4 + Math.floor(random() * 30)) * 86_400_000).toISOString().slice(0, 10),
          priority: Math.floor(random() * 100),
          source: 'manual',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (let k = 0; k < OPS; k++) {
        await tx
          .insertInto('work_order_operations')
          .values({
            id: newId(),
            work_order_id: id,
            seq: (k + 1) * 10,
            name: `Step ${k + 1}`,
            work_center_id: centers[(i + k) % CENTERS]!,
            machine_id: null,
            status: k === 0 ? 'ready' : 'pending',
            setup_minutes: 15 + Math.floor(random() * 30),
            run_mmin: 500 + Math.floor(random() * 2500),
            planned_minutes: 0,
            skill_code: null,
            skill_level: null,
            tool_code: null,
            inspection: 0,
            overlap: 0,
            wait_minutes: 0,
            predecessors: '[]',
            qty_good: 0,
            qty_scrap: 0,
            planned_start: null,
            planned_end: null,
            version: 1,
            updated_at: now,
            held_from: null,
            dispatch_no: 0,
            dispatched_at: null,
            dispatch_error: null,
            external_ack_at: null,
            started_at: null,
            status_since: now,
            operator_id: null,
          })
          .execute();
      }
    }
  });
  await runtime.close();
  console.log(
    `seeded ${MACHINES} machines, ${ORDERS} work orders, ${ORDERS * OPS} operations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}

// --- server, schedule --------------------------------------------------------------------------------
if (!process.env.TAKT_WEB_DIST) buildWebIfNeeded();
const { child, base } = await startServerProcess({
  TAKT_DATA_DIR: dataDir,
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  ...(process.env.TAKT_WEB_DIST ? { TAKT_WEB_DIST: process.env.TAKT_WEB_DIST } : {}),
});
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: 'admin', password: BENCH_ADMIN_PASSWORD }),
});
const cookie = login.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const { csrfToken } = (await login.json()) as { csrfToken: string };
const call = async (method: string, url: string, body?: unknown) => {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      cookie,
      accept: 'application/json',
      ...(method === 'GET' ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrfToken }),
    },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return { json: text ? JSON.parse(text) : undefined, bytes: Buffer.byteLength(text) };
};

let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
try {
  const tRun = performance.now();
  const run = (await call('POST', '/api/v1/scheduling/runs', { seed: 1, timeLimitSeconds: 3 })).json as {
    id: string;
  };
  for (;;) {
    const d = (await call('GET', `/api/v1/scheduling/runs/${run.id}`)).json as {
      run: { status: string; error: string | null; kpis: { scheduledOperations: number } | null };
    };
    if (d.run.status === 'failed') throw new Error(d.run.error ?? 'run failed');
    if (d.run.status === 'done') {
      console.log(
        `scheduling run: ${d.run.kpis?.scheduledOperations} operations in ${((performance.now() - tRun) / 1000).toFixed(1)} s`,
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const times: number[] = [];
  let bytes = 0;
  let count = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = await call('GET', `/api/v1/scheduling/runs/${run.id}/assignments`);
    times.push(performance.now() - t);
    bytes = r.bytes;
    count = (r.json as { items: unknown[] }).items.length;
  }
  const at = quantiles(times);
  console.log(
    `assignments API: ${count} operations, ${(bytes / 1024).toFixed(0)} KiB, p50 ${at.p50.toFixed(0)} ms (5 calls, max ${at.max.toFixed(0)} ms)`,
  );
  // On the wire, as a browser gets it (compressed).
  const wire = await new Promise<{ bytes: number; encoding: string }>((resolve, reject) => {
    http
      .get(
        `${base}/api/v1/scheduling/runs/${run.id}/assignments`,
        { headers: { cookie, accept: 'application/json', 'accept-encoding': 'br, gzip' } },
        (res) => {
          let n = 0;
          res.on('data', (d: Buffer) => {
            n += d.length;
          });
          res.on('end', () =>
            resolve({ bytes: n, encoding: String(res.headers['content-encoding'] ?? 'none') }),
          );
        },
      )
      .on('error', reject);
  });
  console.log(`assignments on the wire:           ${(wire.bytes / 1024).toFixed(0)} KiB (${wire.encoding})`);
  const items = (await call('GET', `/api/v1/scheduling/runs/${run.id}/assignments`)).json.items as {
    operationId: string;
    machineId: string;
    start: string;
  }[];

  // Conflict check round trip: move an operation onto the next one on its machine.
  const checks: number[] = [];
  const byMachine = new Map<string, typeof items>();
  for (const a of items) byMachine.set(a.machineId, [...(byMachine.get(a.machineId) ?? []), a]);
  const lanes = [...byMachine.values()].filter((l) => l.length > 2);
  for (let i = 0; i < 20; i++) {
    const lane = lanes[i % lanes.length]!;
    const [a, b] = [lane[i % (lane.length - 1)]!, lane[(i % (lane.length - 1)) + 1]!];
    const t = performance.now();
    await call('POST', '/api/v1/scheduling/check-move', {
      runId: run.id,
      operationId: a.operationId,
      machineId: a.machineId,
      start: b.start,
    });
    checks.push(performance.now() - t);
  }
  const cq = quantiles(checks);
  console.log(
    `conflict check round trip (API):  first ${checks[0]!.toFixed(0)} ms, p50 ${cq.p50.toFixed(0)} ms, p95 ${cq.p95.toFixed(0)} ms`,
  );

  // --- browser ---------------------------------------------------------------------------------------
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--enable-precise-memory-info',
    ],
  });
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input#login, input[name="login"]').first().fill('admin');
  await page.locator('input[type="password"]').first().fill(BENCH_ADMIN_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
    return {
      used: get('JSHeapUsedSize') / 2 ** 20,
      total: get('JSHeapTotalSize') / 2 ** 20,
      nodes: get('Nodes'),
    };
  };

  /** Main-thread time by kind (CDP Performance metrics) spent while `f` runs. */
  const costOf = async <T>(f: () => Promise<T>): Promise<{ value: T; text: string }> => {
    const read = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return new Map(metrics.map((m) => [m.name, m.value]));
    };
    const a = await read();
    const value = await f();
    const b = await read();
    const d = (n: string) => (((b.get(n) ?? 0) - (a.get(n) ?? 0)) * 1000).toFixed(0);
    return {
      value,
      text: `script ${d('ScriptDuration')} ms, style ${d('RecalcStyleDuration')} ms, layout ${d('LayoutDuration')} ms, all tasks ${d('TaskDuration')} ms`,
    };
  };
  /** With --profile: the functions with the most self time while `f` runs (CDP Profiler). */
  const profiled = async <T>(f: () => Promise<T>): Promise<T> => {
    if (!values.profile) return f();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    const value = await f();
    const { profile } = (await cdp.send('Profiler.stop')) as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const cf = byNode.get(id)!.callFrame;
      const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12))
      console.log(`${''.padEnd(36)}${ms.toFixed(0).padStart(6)} ms  ${k}`);
    return value;
  };
  const measured = async (label: string, f: () => Promise<number[]>) => {
    const { value, text } = await costOf(() => profiled(f));
    line(label, quantiles(value));
    console.log(`${''.padEnd(34)} main thread: ${text}`);
  };

  const open = async (view: 'machine' | 'order') => {
    const t = performance.now();
    await page.goto(`/planning/board?zoom=day&view=${view}&run=${run.id}`);
    await page.locator('.takt-gantt-bar').first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => !(globalThis as unknown as PageGlobals).document.querySelector('.ant-spin-spinning'),
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.evaluate(
      () =>
        new Promise((r) => {
          const g = globalThis as unknown as PageGlobals;
          g.requestAnimationFrame(() => g.requestAnimationFrame(r));
        }),
    );
    const ms = performance.now() - t;
    const h = await heap();
    const dom = await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      return {
        bars: document.querySelectorAll('.takt-gantt-bar').length,
        rows: document.querySelectorAll('.takt-gantt-row').length,
        all: document.getElementsByTagName('*').length,
      };
    });
    console.log(
      `\n## ${view === 'machine' ? 'by machine' : 'by order'}\nfirst render with all data:        ${ms.toFixed(0)} ms (navigation to bars drawn)`,
    );
    console.log(
      `JS heap used / total:              ${h.used.toFixed(1)} / ${h.total.toFixed(1)} MiB; DOM: ${dom.all} elements, ${dom.rows} rows and ${dom.bars} bars rendered`,
    );
  };

  /** Scrolls the chart by `step` px a frame for `frames` frames; returns the frame intervals. */
  const scroll = (axis: 'x' | 'y', step: number, frames: number) =>
    page.evaluate(
      ({ axis, step, frames }) =>
        new Promise<number[]>((resolve) => {
          const g = globalThis as unknown as PageGlobals;
          const el = g.document.querySelector('[data-testid="gantt-scroll"]') as Scroller;
          const ts: number[] = [];
          let n = 0;
          const tick = (t: number) => {
            ts.push(t);
            if (n++ >= frames) {
              resolve(ts.slice(1).map((x, i) => x - (ts[i] as number)));
              return;
            }
            if (axis === 'y') el.scrollTop += step;
            else el.scrollLeft += step;
            g.requestAnimationFrame(tick);
          };
          g.requestAnimationFrame(tick);
        }),
      { axis, step, frames },
    );

  const startFrames = (p: Page) =>
    p.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      w.__frames = [];
      w.__stop = false;
      const tick = (t: number) => {
        w.__frames.push(t);
        if (!w.__stop) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
  const stopFrames = (p: Page) =>
    p.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      w.__stop = true;
      return w.__frames.slice(1).map((x, i) => x - (w.__frames[i] as number));
    });

  /** Drags a visible bar 300 px right and 3 rows down and back in small steps, then lets go where it started. */
  const drag = async () => {
    const scroller = page.locator('[data-testid="gantt-scroll"]');
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
      el.scrollLeft = 0;
    });
    await page.waitForTimeout(500);
    const bar = page.locator('.takt-gantt-bar:not(.is-origin)').nth(5);
    const box = await bar.boundingBox();
    if (!box) throw new Error('no bar to drag');
    const x = box.x + Math.min(8, box.width / 2);
    const y = box.y + box.height / 2;
    await startFrames(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(x + i * 5, y + i * 2);
    for (let i = 59; i >= 0; i--) await page.mouse.move(x + i * 5, y + i * 2);
    await page.mouse.up();
    await page.waitForTimeout(200);
    return stopFrames(page);
  };

  for (const view of ['machine', 'order'] as const) {
    await open(view);
    await page.screenshot({ path: path.join(os.tmpdir(), `board-bench-${view}.png`) });
    // A planner looks at the board before scrolling: background loads (off-shift bands) settle.
    await page.waitForTimeout(Number(values.settle) * 1000);
    const height = await page
      .locator('[data-testid="gantt-scroll"]')
      .evaluate((el) => el.scrollHeight - el.clientHeight);
    // Down through all rows (at most 240 frames), back to the top, then right through the plan.
    const frames = Math.min(240, Math.ceil(height / 40));
    await measured(`scroll vertically (40 px × ${frames})`, () => scroll('y', 40, frames));
    await page.locator('[data-testid="gantt-scroll"]').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForTimeout(300);
    await measured('scroll horizontally (60 px × 240)', () => scroll('x', 60, 240));
    await measured('drag a bar (120 pointer moves)', drag);
    const h = await heap();
    console.log(`JS heap used after interaction:    ${h.used.toFixed(1)} MiB`);
  }
  console.log(`\nscreenshots: ${path.join(os.tmpdir(), 'board-bench-machine.png')}, …-order.png`);
  console.log(
    `cpus: ${os.cpus().length}, load average: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await browser?.close();
  await stopProcess(child);
  if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.log(`data kept in ${dataDir}`);
}
