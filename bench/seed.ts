/**
 * Dataset generator for load tests at factory scale:
 * `npm run bench:seed -- --scale S [--data-dir DIR | --database-url postgres://…] [--no-check]`.
 *
 * Builds the demo factory through the normal bootstrap, then adds S copies of a plant of its size with
 * two years of history: at scale 1 about 500 items, 12 machines, 20 customers, 2,000 sales orders,
 * 10,000 work orders (operations, materials, history, shop-floor reports) and 50,000+ stock moves with
 * the balances they add up to. Rows go in through large multi-row inserts (SQLite) or `unnest` array
 * inserts (PostgreSQL) inside big transactions, in the table shapes the services write. Deterministic:
 * the same scale gives the same plant (ids and timestamps follow the clock of the run).
 */
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { nearDuplicateKey } from '@takt/domain';
import pg from 'pg';
import { pino } from 'pino';
import { ledgerFindings } from '../apps/server/src/modules/inventory/inventory.query.ts';
import { rebuildReportAggregates } from '../apps/server/src/modules/reports/reports.aggregates.ts';
import { priorityOf } from '../apps/server/src/modules/sales/salesorder.view.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { Db } from '../apps/server/src/platform/db/database.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { BENCH_ADMIN_PASSWORD } from './admin.ts';
import { arg, dataDir as dataDirArg, flag } from './args.ts';

const scale = Number(arg('scale', '1'));
if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a whole number of at least 1');
const databaseUrl = arg('database-url', '') || null;
const dataDir = dataDirArg(`data/bench-s${scale}`);
const check = !flag('no-check');
/** The admin password of seeded databases; `bench/load.ts` signs in with it. */

const DAY = 86_400_000;
const HISTORY_DAYS = 730;
const PER_SCALE = { items: 500, customers: 20, workOrders: 10_000, mtoShare: 0.5 } as const;

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness and time-ordered ids for past timestamps.

let rngState = 0x7a6b7431;
function rand(): number {
  rngState = (rngState + 0x6d2b79f5) | 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

let idCounter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** UUIDv7 for a given time (ids sort by creation like the services' ids); a counter keeps them unique. */
function idAt(ms: number): string {
  const ts = hex(ms, 12);
  idCounter++;
  const hi = Math.floor(idCounter / 0x1000000);
  const lo = idCounter % 0x1000000;
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(between(0, 0xfff), 3)}-${hex(0x8000 | (hi & 0x3fff), 4)}-${hex(between(0, 0xffffff), 6)}${hex(lo, 6)}`;
}
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

// ---------------------------------------------------------------------------------------------------
// Sinks: buffered multi-row writers per database, flushed in parent-before-child order.

type Row = Record<string, SQLInputValue>;
interface Sink {
  /** Drops the secondary indexes of the tables and returns the statements that rebuild them. */
  dropIndexes(tables: readonly string[]): Promise<string[]>;
  exec(statement: string): Promise<void>;
  begin(): Promise<void>;
  insert(table: string, columns: readonly string[], rows: readonly Row[]): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

class SqliteSink implements Sink {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = OFF');
    this.#db.exec('PRAGMA foreign_keys = ON');
    this.#db.exec('PRAGMA cache_size = -1048576');
    this.#db.exec('PRAGMA temp_store = MEMORY');
  }
  /** Triggers too (the reports' dirty-day markers): the report read model is rebuilt after the load. */
  async dropIndexes(tables: readonly string[]) {
    const rows = this.#db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(',')})`,
      )
      .all(...tables) as { type: string; name: string; sql: string }[];
    for (const r of rows) this.#db.exec(`DROP ${r.type === 'trigger' ? 'TRIGGER' : 'INDEX'} "${r.name}"`);
    return rows.map((r) => r.sql);
  }
  async exec(statement: string) {
    this.#db.exec(statement);
  }
  async begin() {
    this.#db.exec('BEGIN');
  }
  async commit() {
    this.#db.exec('COMMIT');
  }
  async insert(table: string, columns: readonly string[], rows: readonly Row[]) {
    const per = Math.max(1, Math.min(500, Math.floor(32_000 / columns.length)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const key = `${table}:${chunk.length}`;
      let stmt = this.#statements.get(key);
      if (!stmt) {
        const tuple = `(${columns.map(() => '?').join(',')})`;
        stmt = this.#db.prepare(
          `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array(chunk.length).fill(tuple).join(',')}`,
        );
        this.#statements.set(key, stmt);
      }
      const params: SQLInputValue[] = [];
      for (const r of chunk) for (const c of columns) params.push(r[c] ?? null);
      stmt.run(...params);
    }
  }
  /** No ANALYZE: Takt never runs one on SQLite, so the seeded plant plans queries as a real one does. */
  async close() {
    this.#db.close();
  }
}

class PostgresSink implements Sink {
  readonly #client: pg.Client;
  readonly #types = new Map<string, string>();
  constructor(url: string) {
    this.#client = new pg.Client({ connectionString: url });
  }
  async open() {
    await this.#client.connect();
    await this.#client.query('SET synchronous_commit = off');
    // Rows arrive parents first and consistent; skipping the per-row foreign-key triggers roughly halves
    // the load time. Only a superuser may; others load with the checks on.
    await this.#client.query('SET session_replication_role = replica').catch(() => {});
    const { rows } = await this.#client.query<{ table_name: string; column_name: string; udt_name: string }>(
      'SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()',
    );
    for (const r of rows) this.#types.set(`${r.table_name}.${r.column_name}`, r.udt_name);
  }
  /** Indexes that back a constraint (primary keys, unique constraints) stay. */
  async dropIndexes(tables: readonly string[]) {
    const { rows } = await this.#client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    );
    for (const r of rows) await this.#client.query(`DROP INDEX "${r.indexname}"`);
    return rows.map((r) => r.indexdef);
  }
  async exec(statement: string) {
    await this.#client.query(statement);
  }
  async begin() {
    await this.#client.query('BEGIN');
  }
  async commit() {
    await this.#client.query('COMMIT');
  }
  /** One statement per 10,000 rows: every column travels as one array parameter through `unnest`. */
  async insert(table: string, columns: readonly string[], rows: readonly Row[]) {
    const casts = columns.map((c, i) => {
      const udt = this.#types.get(`${table}.${c}`);
      if (!udt) throw new Error(`unknown column ${table}.${c}`);
      return `$${i + 1}::${udt}[]`;
    });
    const text = `INSERT INTO ${table} (${columns.join(',')}) SELECT * FROM unnest(${casts.join(',')})`;
    for (let i = 0; i < rows.length; i += 10_000) {
      const chunk = rows.slice(i, i + 10_000);
      await this.#client.query(
        text,
        columns.map((c) => chunk.map((r) => r[c] ?? null)),
      );
    }
  }
  async close() {
    await this.#client.query('ANALYZE');
    await this.#client.end();
  }
}

/** Tables in the order their rows must land (parents first). */
const ORDER = [
  'calendars',
  'work_centers',
  'machines',
  'items',
  'boms',
  'bom_lines',
  'routings',
  'routing_operations',
  'customers',
  'sales_orders',
  'sales_order_lines',
  'work_orders',
  'work_order_materials',
  'work_order_operations',
  'work_order_history',
  'operation_reports',
  'stock_moves',
  'shipments',
  'shipment_lines',
  'stock_balances',
  'sequences',
] as const;
type Table = (typeof ORDER)[number];

class Writer {
  readonly #sink: Sink;
  readonly #buffers = new Map<Table, Row[]>();
  readonly #columns = new Map<Table, string[]>();
  readonly counts = new Map<Table, { rows: number; ms: number }>();
  #buffered = 0;
  constructor(sink: Sink) {
    this.#sink = sink;
  }
  add(table: Table, row: Row) {
    let buf = this.#buffers.get(table);
    if (!buf) {
      buf = [];
      this.#buffers.set(table, buf);
      this.#columns.set(table, Object.keys(row));
    }
    buf.push(row);
    this.#buffered++;
  }
  /** Writes everything buffered in one transaction once enough has piled up (or when forced). */
  async maybeFlush(force = false) {
    if (!force && this.#buffered < 200_000) return;
    await this.#sink.begin();
    for (const table of ORDER) {
      const buf = this.#buffers.get(table);
      if (!buf || buf.length === 0) continue;
      const started = performance.now();
      await this.#sink.insert(table, this.#columns.get(table)!, buf);
      const c = this.counts.get(table) ?? { rows: 0, ms: 0 };
      c.rows += buf.length;
      c.ms += performance.now() - started;
      this.counts.set(table, c);
      buf.length = 0;
    }
    await this.#sink.commit();
    this.#buffered = 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Bootstrap: migrations, admin and the demo factory through the services.

const started = performance.now();
const env: Record<string, string> = {
  TAKT_DATA_DIR: dataDir,
  TAKT_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  TAKT_LOG_LEVEL: 'silent',
  // The plant copies bring their own two years of orders; the demo's running orders would share codes.
  TAKT_DEMO_ACTIVITY: '0',
};
if (databaseUrl) env.DATABASE_URL = databaseUrl;
const config = loadConfig(env);
const runtime = await createRuntime(config, { log: pino({ level: 'silent' }) });
const k = runtime.db.kysely;
const already = await k.selectFrom('items').select('id').where('code', 'like', 'G001-%').executeTakeFirst();
if (already) {
  await runtime.close();
  throw new Error(`${databaseUrl ?? dataDir} holds a seeded plant already; seed into an empty database`);
}
const admin = await k.selectFrom('users').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
const calendar = await k.selectFrom('calendars').select('id').orderBy('code').executeTakeFirstOrThrow();
const locations = new Map(
  (await k.selectFrom('locations').select(['id', 'code', 'warehouse_id']).execute()).map((l) => [l.code, l]),
);
const loc = (code: string) => {
  const l = locations.get(code);
  if (!l) throw new Error(`demo location ${code} is missing`);
  return l;
};
const employees = (await k.selectFrom('employees').select('id').orderBy('code').execute()).map((e) => e.id);
const demoWorkCenters = await k
  .selectFrom('work_centers')
  .select(['code', 'name', 'kind'])
  .orderBy('code')
  .execute();
const demoMachines = await k
  .selectFrom('machines as m')
  .innerJoin('work_centers as w', 'w.id', 'm.work_center_id')
  .select(['m.code', 'm.name', 'm.capacity', 'm.efficiency_bp', 'm.hourly_cost', 'w.code as wc'])
  .orderBy('m.code')
  .execute();
await runtime.close();
process.stdout.write(
  `bootstrap (migrations + demo factory) ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);

let sink: Sink;
if (databaseUrl) {
  const s = new PostgresSink(databaseUrl);
  await s.open();
  sink = s;
} else {
  sink = new SqliteSink(path.join(dataDir, 'takt.db'));
}
const w = new Writer(sink);

// ---------------------------------------------------------------------------------------------------
// Master data per plant copy (G001, G002, …).

const now = Date.now();
const today = Date.parse(`${dayOf(now)}T00:00:00.000Z`);
const start = today - HISTORY_DAYS * DAY;
const masterAt = start - 30 * DAY;
const RM = loc('RM-A01');
const WIP = loc('WIP-01');
const FG = loc('FG-A01');

interface Made {
  id: string;
  code: string;
  type: 'finished' | 'semi_finished';
  bomId: string;
  routingId: string;
  cost: number;
  components: { id: string; code: string; qtyPer: number; position: number }[];
  ops: { seq: number; name: string; wc: string; machines: string[]; setup: number; runMmin: number }[];
}
interface Group {
  made: Made[];
  finished: Made[];
  customers: { id: string; tier: string }[];
}
const groups: Group[] = [];
const CUSTOMER_NAMES = ['机械', '电器', '汽配', '五金', '设备', '科技', '重工', '精密'];

for (let g = 1; g <= scale; g++) {
  const gc = `G${String(g).padStart(3, '0')}`;
  const at = iso(masterAt + g * 1000);
  const wcIds = new Map<string, { id: string; machines: string[] }>();
  for (const wc of demoWorkCenters) {
    const id = idAt(masterAt);
    w.add('work_centers', {
      id,
      code: `${wc.code}-${gc}`,
      name: `${wc.name} ${gc}`,
      kind: wc.kind,
      calendar_id: calendar.id,
      active: 1,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    wcIds.set(wc.code, { id, machines: [] });
  }
  for (const m of demoMachines) {
    const id = idAt(masterAt);
    w.add('machines', {
      id,
      code: `${m.code}-${gc}`,
      name: `${m.name} ${gc}`,
      work_center_id: wcIds.get(m.wc)!.id,
      capacity: m.capacity,
      efficiency_bp: m.efficiency_bp,
      hourly_cost: m.hourly_cost,
      status: 'up',
      calendar_id: null,
      active: 1,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    wcIds.get(m.wc)!.machines.push(id);
  }
  const wcList = [...wcIds.values()].filter((x) => x.machines.length > 0);

  const item = (n: number, type: string, name: string, spec: string, cost: number, wh: string) => {
    const id = idAt(masterAt);
    w.add('items', {
      id,
      code: `${gc}-${type === 'finished' ? 'FG' : type === 'semi_finished' ? 'SF' : 'RM'}-${String(n).padStart(4, '0')}`,
      name,
      spec,
      type,
      uom: 'pcs',
      safety_stock: 0,
      standard_cost: cost,
      tracking: 'none',
      default_warehouse_id: wh,
      purchase_lead_days: type === 'raw' || type === 'purchased' ? 7 : 0,
      production_lead_days: type === 'finished' || type === 'semi_finished' ? 5 : 0,
      min_order_qty: 0,
      order_multiple: 0,
      dup_key: nearDuplicateKey(name, spec),
      active: 1,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    return id;
  };
  const bought: { id: string; code: string }[] = [];
  const n = PER_SCALE.items;
  for (let i = 0; i < n * 0.7; i++) {
    const type = i % 6 === 0 ? 'purchased' : 'raw';
    const name = `${type === 'raw' ? '钢材' : '标准件'} ${gc}-${i}`;
    const id = item(i, type, name, `Φ${10 + (i % 90)}`, between(50, 5000), RM.warehouse_id);
    bought.push({ id, code: `${gc}-RM-${String(i).padStart(4, '0')}` });
  }
  const made: Made[] = [];
  for (let i = 0; i < n * 0.3; i++) {
    const type = i % 2 === 0 ? 'finished' : 'semi_finished';
    const cost = between(2000, 50_000);
    const wh = type === 'finished' ? FG.warehouse_id : WIP.warehouse_id;
    const id = item(i, type, `${type === 'finished' ? '成品' : '半成品'} ${gc}-${i}`, `型号 ${i}`, cost, wh);
    made.push({
      id,
      code: `${gc}-${type === 'finished' ? 'FG' : 'SF'}-${String(i).padStart(4, '0')}`,
      type,
      bomId: idAt(masterAt),
      routingId: idAt(masterAt),
      cost,
      components: [
        { ...pick(bought), qtyPer: between(1, 4) * 1000, position: 10 },
        { ...pick(bought), qtyPer: between(1, 20) * 500, position: 20 },
      ],
      ops: [0, 1].map((j) => {
        const wc = wcList[(i + j) % wcList.length]!;
        return {
          seq: (j + 1) * 10,
          name: j === 0 ? '粗加工' : '精加工',
          wc: wc.id,
          machines: wc.machines,
          setup: between(10, 60),
          runMmin: between(200, 5000),
        };
      }),
    });
  }
  for (const m of made) {
    if (m.components[0]!.id === m.components[1]!.id) m.components.pop();
    const header = {
      item_id: m.id,
      item_code: m.code,
      version_label: 'A',
      effective_from: null,
      effective_to: null,
      status: 'active',
      version: 1,
      created_at: at,
      updated_at: at,
    };
    w.add('boms', { id: m.bomId, ...header });
    for (const c of m.components) {
      w.add('bom_lines', {
        id: idAt(masterAt),
        bom_id: m.bomId,
        position: c.position,
        component_item_id: c.id,
        component_code: c.code,
        qty_per: c.qtyPer,
        scrap_bp: 0,
        operation_seq: 10,
      });
    }
    w.add('routings', { id: m.routingId, ...header });
    for (const [j, o] of m.ops.entries()) {
      w.add('routing_operations', {
        id: idAt(masterAt),
        routing_id: m.routingId,
        seq: o.seq,
        name: o.name,
        work_center_id: o.wc,
        setup_minutes: o.setup,
        run_mmin: o.runMmin,
        transfer_batch: null,
        skill_code: null,
        skill_level: null,
        tool_code: null,
        wait_minutes: 0,
        overlap: 0,
        inspection: j === m.ops.length - 1 ? 1 : 0,
        predecessors: j === 0 ? '[]' : `[${m.ops[j - 1]!.seq}]`,
      });
    }
  }
  const customers: Group['customers'] = [];
  for (let i = 0; i < PER_SCALE.customers; i++) {
    const id = idAt(masterAt);
    const name = `${gc} ${pick(CUSTOMER_NAMES)}有限公司 ${i}`;
    const tier = i % 5 === 0 ? 'A' : i % 3 === 0 ? 'C' : 'B';
    w.add('customers', {
      id,
      code: `C-${gc}-${String(i).padStart(3, '0')}`,
      name,
      dup_key: nearDuplicateKey(name, ''),
      contacts: '[]',
      address: '',
      active: 1,
      version: 1,
      created_at: at,
      updated_at: at,
      tier,
    });
    customers.push({ id, tier });
  }
  groups.push({ made, finished: made.filter((m) => m.type === 'finished'), customers });
}
await w.maybeFlush(true);

// The history tables load without their secondary indexes (rebuilt once at the end: far cheaper than
// keeping a dozen B-trees in step row by row). A run that dies half-way leaves them out: seed again.
const BULK_TABLES = [
  'sales_orders',
  'sales_order_lines',
  'work_orders',
  'work_order_materials',
  'work_order_operations',
  'work_order_history',
  'operation_reports',
  'stock_moves',
  'shipments',
  'shipment_lines',
];
const indexDefinitions = await sink.dropIndexes(BULK_TABLES);

// ---------------------------------------------------------------------------------------------------
// Two years of orders, day by day.

const sequences = new Map<string, number>();
const nextCode = (prefix: string, ms: number) => {
  const day = dayOf(ms);
  const key = `${prefix}|${day}`;
  const n = (sequences.get(key) ?? 0) + 1;
  sequences.set(key, n);
  return `${prefix}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(n).padStart(4, '0')}`;
};
const balances = new Map<string, { qty: number; at: string }>();
function move(
  ms: number,
  kind: string,
  itemId: string,
  qty: number,
  from: string | null,
  to: string | null,
  ref: [string, string] | null,
  reason: string | null = null,
): string {
  const id = idAt(ms);
  const at = iso(ms);
  w.add('stock_moves', {
    id,
    kind,
    item_id: itemId,
    qty,
    from_location_id: from,
    to_location_id: to,
    lot_id: null,
    reason,
    ref_type: ref?.[0] ?? null,
    ref_id: ref?.[1] ?? null,
    reverses_id: null,
    actor_id: admin.id,
    request_id: null,
    created_at: at,
  });
  for (const [l, d] of [
    [from, -qty],
    [to, qty],
  ] as const) {
    if (!l) continue;
    const key = `${itemId}|${l}`;
    const b = balances.get(key) ?? { qty: 0, at };
    b.qty += d;
    b.at = at;
    balances.set(key, b);
  }
  return id;
}
const history = (ms: number, woId: string, opId: string | null, action: string, from: string, to: string) =>
  w.add('work_order_history', {
    id: idAt(ms),
    work_order_id: woId,
    operation_id: opId,
    action,
    from_status: from,
    to_status: to,
    reason: null,
    actor_id: admin.id,
    at: iso(ms),
  });

interface LineLink {
  soId: string;
  lineId: string;
  qty: number;
  shipped: number;
}

/** One work order and everything its life so far left behind; returns how much it shipped. */
function workOrder(created: number, m: Made, qty: number, link: LineLink | null): 'open' | 'done' {
  const woId = idAt(created);
  const code = nextCode('WO', created);
  const release = created + between(1, 120) * 60_000;
  const dispatchAt = release + between(6, 21 * 24) * 3_600_000;
  const startAt = dispatchAt + between(1, 12) * 3_600_000;
  const midAt = startAt + between(6, 8 * 24) * 3_600_000;
  const doneAt = midAt + between(6, 8 * 24) * 3_600_000;
  const closeAt = doneAt + between(2, 7 * 24) * 3_600_000;
  const cancelled = rand() < 0.01 && release < now;
  const status = cancelled
    ? 'cancelled'
    : closeAt < now
      ? 'closed'
      : doneAt < now
        ? 'completed'
        : startAt < now
          ? 'in_progress'
          : dispatchAt < now
            ? 'dispatched'
            : 'released';
  const started = !cancelled && startAt < now;
  const scrap = started && rand() < 0.05 ? Math.round(qty * 0.02) : 0;
  // First operation, then the second: how far each has come.
  const op1Done = !cancelled && midAt < now;
  const op2Done = !cancelled && doneAt < now;
  const progress = (from: number, to: number) => Math.max(0, Math.min(1, (now - from) / (to - from)));
  const op1Good = op1Done
    ? qty - scrap
    : started
      ? Math.floor(((qty - scrap) * progress(startAt, midAt)) / 1000) * 1000
      : 0;
  const op2Good = op2Done
    ? qty - scrap
    : op1Done
      ? Math.floor(((qty - scrap) * progress(midAt, doneAt)) / 1000) * 1000
      : 0;
  const woGood = op2Done ? qty - scrap : 0;
  const updated = Math.min(
    now,
    status === 'closed'
      ? closeAt
      : status === 'completed'
        ? doneAt
        : status === 'in_progress'
          ? Math.max(startAt, op1Done ? midAt : startAt)
          : release,
  );
  w.add('work_orders', {
    id: woId,
    code,
    item_id: m.id,
    qty,
    qty_good: woGood,
    qty_scrap: op2Done ? scrap : 0,
    qty_received: woGood,
    status,
    held_from: null,
    closed_short_reason: null,
    bom_id: m.bomId,
    routing_id: m.routingId,
    parent_id: null,
    root_id: woId,
    sales_order_id: link?.soId ?? null,
    sales_order_line_id: link?.lineId ?? null,
    due_date: dayOf(created + between(10, 40) * DAY),
    priority: between(0, 100),
    source: link ? 'sales_order' : 'manual',
    version:
      { released: 2, dispatched: 3, in_progress: 4, completed: 5, closed: 6, cancelled: 3 }[status] ?? 1,
    created_at: iso(created),
    updated_at: iso(updated),
  });
  history(release, woId, null, 'release', 'draft', 'released');
  if (cancelled) history(release + 3_600_000, woId, null, 'cancel', 'released', 'cancelled');
  if (started) history(startAt, woId, null, 'start', 'released', 'in_progress');
  if (op2Done) history(doneAt, woId, null, 'complete', 'in_progress', 'completed');
  if (status === 'closed') history(closeAt, woId, null, 'close', 'completed', 'closed');

  // Materials: issued from raw stock when the order starts; bought in shortly before.
  for (const c of m.components) {
    const required = Math.round((c.qtyPer * qty) / 1000);
    w.add('work_order_materials', {
      id: idAt(created),
      work_order_id: woId,
      position: c.position,
      item_id: c.id,
      qty_required: required,
      qty_issued: started ? required : 0,
      operation_seq: 10,
      child_work_order_id: null,
    });
    if (started) {
      const bought = Math.ceil(required / 100_000) * 100_000;
      move(startAt - between(1, 5) * DAY, 'receipt', c.id, bought, null, RM.id, null, 'purchase');
      move(startAt, 'issue', c.id, required, RM.id, null, ['work_order', woId]);
    }
  }
  // Operations and their shop-floor reports.
  for (const [j, o] of m.ops.entries()) {
    const opId = idAt(created);
    const first = j === 0;
    const from = first ? startAt : midAt;
    const to = first ? midAt : doneAt;
    const good = first ? op1Good : op2Good;
    const done = first ? op1Done : op2Done;
    const running = !done && !cancelled && from < now;
    const machine = o.machines[(qty / 1000 + j) % o.machines.length]!;
    const onMachine = done || running || (first && status === 'dispatched');
    const opStatus = cancelled
      ? 'cancelled'
      : done
        ? 'completed'
        : running
          ? rand() < 0.1
            ? 'paused'
            : 'in_progress'
          : first
            ? status === 'dispatched'
              ? 'dispatched'
              : 'ready'
            : 'pending';
    const operator = employees.length > 0 ? pick(employees) : null;
    const since = done ? to : running ? from : first && status === 'dispatched' ? dispatchAt : release;
    w.add('work_order_operations', {
      id: opId,
      work_order_id: woId,
      seq: o.seq,
      name: o.name,
      work_center_id: o.wc,
      machine_id: onMachine ? machine : null,
      status: opStatus,
      setup_minutes: o.setup,
      run_mmin: o.runMmin,
      planned_minutes: o.setup + Math.ceil((o.runMmin * qty) / 1_000_000),
      skill_code: null,
      skill_level: null,
      tool_code: null,
      inspection: j === m.ops.length - 1 ? 1 : 0,
      overlap: 0,
      wait_minutes: 0,
      predecessors: first ? '[]' : `[${m.ops[0]!.seq}]`,
      qty_good: good,
      qty_scrap: done ? scrap : 0,
      planned_start: iso(from),
      planned_end: iso(to),
      version: done ? 5 : running ? 4 : 1,
      updated_at: iso(Math.min(now, since)),
      held_from: null,
      dispatch_no: onMachine ? 1 : 0,
      dispatched_at: onMachine ? iso(first ? dispatchAt : midAt) : null,
      dispatch_error: null,
      external_ack_at: null,
      started_at: done || running ? iso(from) : null,
      status_since: iso(Math.min(now, since)),
      operator_id: done || running ? operator : null,
    });
    if (done || running) history(from, woId, opId, 'operation.start', 'dispatched', 'in_progress');
    if (done) history(to, woId, opId, 'operation.complete', 'in_progress', 'completed');
    // One or two reports that add up to the operation's good and scrap.
    if (good > 0 || (done && scrap > 0)) {
      const parts = done && good >= 2000 && rand() < 0.5 ? 2 : 1;
      const firstPart = parts === 2 ? Math.floor(good / 2000) * 1000 : good;
      const reportEnd = Math.min(now - 60_000, to);
      for (let p = 0; p < parts; p++) {
        const at = p === 0 && parts === 2 ? from + (reportEnd - from) / 2 : reportEnd;
        const rid = idAt(at);
        w.add('operation_reports', {
          id: rid,
          operation_id: opId,
          idempotency_key: `seed-${rid}`,
          good: p === 0 ? firstPart : good - firstPart,
          scrap: done && p === parts - 1 ? scrap : 0,
          scrap_reason: done && p === parts - 1 && scrap > 0 ? '尺寸超差' : null,
          operator_id: operator,
          machine_id: machine,
          reported_at: iso(at),
          received_at: iso(at + 2000),
        });
      }
    }
  }
  if (woGood > 0) {
    move(doneAt, 'output', m.id, woGood, null, m.type === 'finished' ? FG.id : WIP.id, ['work_order', woId]);
  }
  // Made to order: shipped a day or two after closing.
  if (link && status === 'closed') {
    const shipAt = closeAt + between(2, 48) * 3_600_000;
    const ship = Math.min(link.qty, woGood);
    if (shipAt < now && ship > 0) {
      const shId = idAt(shipAt);
      const moveId = move(shipAt, 'shipment', m.id, ship, FG.id, null, ['shipment', shId]);
      w.add('shipments', {
        id: shId,
        code: nextCode('SH', shipAt),
        sales_order_id: link.soId,
        note: '',
        actor_id: admin.id,
        created_at: iso(shipAt),
      });
      w.add('shipment_lines', {
        id: idAt(shipAt),
        shipment_id: shId,
        sales_order_line_id: link.lineId,
        item_id: m.id,
        qty: ship,
        from_location_id: FG.id,
        lot: null,
        move_id: moveId,
      });
      link.shipped = ship;
    }
  }
  return status === 'closed' || status === 'cancelled' || status === 'completed' ? 'done' : 'open';
}

const perDay = (PER_SCALE.workOrders * scale) / HISTORY_DAYS;
let carry = 0;
let openOrders = 0;
let workOrders = 0;
for (let d = 0; d < HISTORY_DAYS; d++) {
  const day = start + d * DAY;
  carry += perDay;
  const todayCount = Math.floor(carry);
  carry -= todayCount;
  let made = 0;
  while (made < todayCount) {
    const group = groups[between(0, groups.length - 1)]!;
    const created = day + between(7 * 3600, 18 * 3600) * 1000;
    if (rand() < PER_SCALE.mtoShare) {
      // A sales order with one to four lines, each made to order.
      const soId = idAt(created);
      const customer = pick(group.customers);
      const lines: { id: string; m: Made; qty: number; price: number; requested: string }[] = [];
      const nLines = Math.min(todayCount - made, between(1, 4));
      for (let i = 0; i < nLines; i++) {
        const m = pick(group.finished);
        lines.push({
          id: idAt(created),
          m,
          qty: between(5, 200) * 1000 * 5,
          price: Math.round(m.cost * 1.35),
          requested: dayOf(created + between(20, 45) * DAY),
        });
      }
      const links: LineLink[] = lines.map((l) => ({ soId, lineId: l.id, qty: l.qty, shipped: 0 }));
      const orderValue = lines.reduce((s, l) => s + Math.round((l.qty * l.price) / 1000), 0);
      const due = lines.map((l) => l.requested).sort()[0]!;
      const code = nextCode('SO', created);
      const prio = priorityOf(soId, due, customer.tier, orderValue, dayOf(created));
      let open = false;
      for (const [i, l] of lines.entries()) {
        if (workOrder(created + 60_000, l.m, l.qty, links[i]!) === 'open') open = true;
        made++;
        workOrders++;
      }
      w.add('sales_orders', {
        id: soId,
        code,
        customer_id: customer.id,
        external_ref: '',
        currency: 'CNY',
        status: orderStatus(links, open),
        header_due_date: null,
        due_date: due,
        order_value: orderValue,
        priority_score: prio.score,
        priority: prio.json,
        note: '',
        version: 2,
        confirmed_at: iso(created),
        created_at: iso(created),
        updated_at: iso(created),
      });
      for (const [i, l] of lines.entries()) {
        w.add('sales_order_lines', {
          id: l.id,
          sales_order_id: soId,
          line_no: (i + 1) * 10,
          item_id: l.m.id,
          qty: l.qty,
          unit_price: l.price,
          price_per: 1000,
          amount: Math.round((l.qty * l.price) / 1000),
          requested_date: l.requested,
          promised_date: l.requested,
          shortage: 0,
          shipped_qty: links[i]!.shipped,
        });
      }
      if (open) openOrders++;
    } else {
      const m = pick(group.made);
      if (workOrder(created, m, between(10, 400) * 5000, null) === 'open') openOrders++;
      made++;
      workOrders++;
    }
  }
  await w.maybeFlush();
}

/** The order's status from its lines: shipped, partially shipped, in production or confirmed. */
function orderStatus(links: LineLink[], open: boolean): string {
  const shipped = links.filter((l) => l.shipped >= l.qty).length;
  if (shipped === links.length) return 'shipped';
  if (links.some((l) => l.shipped > 0)) return 'partially_shipped';
  return open ? 'in_production' : 'confirmed';
}

for (const [key, b] of balances) {
  const [itemId, locationId] = key.split('|') as [string, string];
  w.add('stock_balances', {
    item_id: itemId,
    location_id: locationId,
    lot_id: '',
    on_hand: b.qty,
    updated_at: b.at,
  });
}
for (const [key, value] of sequences) {
  const [name, period] = key.split('|') as [string, string];
  w.add('sequences', { name, period, value });
}
await w.maybeFlush(true);
const indexStarted = performance.now();
for (const statement of indexDefinitions) await sink.exec(statement);
const indexSeconds = (performance.now() - indexStarted) / 1000;

{
  const db = Db.open({ url: databaseUrl, sqliteFile: path.join(dataDir, 'takt.db') });
  await sink.close();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\nscale ${scale} on ${databaseUrl ? 'PostgreSQL' : `SQLite ${dataDir}`}\n`);
  let total = 0;
  for (const table of ORDER) {
    const c = w.counts.get(table);
    if (!c) continue;
    total += c.rows;
    process.stdout.write(
      `  ${table.padEnd(24)} ${String(c.rows).padStart(10)} rows  ${String(Math.round(c.rows / Math.max(c.ms / 1000, 0.001))).padStart(8)} rows/s\n`,
    );
  }
  process.stdout.write(
    `  ${indexDefinitions.length} secondary indexes rebuilt in ${indexSeconds.toFixed(1)} s\n`,
  );
  process.stdout.write(
    `  total ${total} rows in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} rows/s); ${workOrders} work orders, ${openOrders} still open\n`,
  );
  if (check) {
    const t2 = performance.now();
    const findings = await ledgerFindings(db);
    process.stdout.write(
      `  ledger check: ${findings.length === 0 ? 'balances match the moves' : `${findings.length} mismatches`} (${((performance.now() - t2) / 1000).toFixed(1)} s)\n`,
    );
    if (findings.length > 0) process.exitCode = 1;
  }
  const t3 = performance.now();
  const built = await rebuildReportAggregates(db);
  process.stdout.write(
    `  report read model: ${built.marked} days in ${((performance.now() - t3) / 1000).toFixed(1)} s\n`,
  );
  await db.close();
  process.stdout.write(`  admin password: ${BENCH_ADMIN_PASSWORD}\n`);
}
