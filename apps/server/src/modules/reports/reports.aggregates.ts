import { Worker } from 'node:worker_threads';
import { addDays, type IsoDate } from '@takt/domain';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { noteRead } from '../../platform/db/table-versions.ts';
import { newId } from '../../platform/ids.ts';
import * as repo from './reports.repo.ts';
import { type DayRun, dayRuns, daysBetween, type Period, startOfDayIso } from './reports.rules.ts';

/**
 * The reports' read model: per UTC day, what the report queries in reports.repo.ts sum over the raw
 * history (migration 0030).
 *
 * Exactness rests on one invariant: the aggregate rows of a day are what the direct queries give for
 * that day, unless the day has a row in `report_dirty_days` (or is being folded, see below).
 * Triggers insert that marker in the same transaction as any write that can change the day's figures
 * (a floor report, a completion, a change of a completed order's quantities, of an operation's
 * machine, run time or planned start, a shipment, a change to a shipped line or to its order's
 * currency), so no committed change is ever without its marker, whatever order concurrent
 * transactions commit in: no watermark, no clock, no safety lag.
 *
 * A fold works in three steps, none holding the write lock for long: it claims days (moves their
 * markers to `report_folding_days` under a claim of its own, in one short transaction), computes
 * their rows from the history outside any write transaction (on SQLite on a worker thread with its
 * own connection, so the server's thread stays free), then writes them (replacing the days' rows and
 * dropping its claim, in another short transaction). Readers count a claimed day as marked. A change
 * committed after the claim marks the day again, so a day whose rows may have missed it stays marked
 * and is folded again later. A fold that claims a day already claimed by another takes it over, and
 * the other's write then leaves the day alone: only the latest claim (whose rows are the newest)
 * writes a day; claims and writes lock the state row, so they go one at a time. Should a fold die
 * between claim and write, its claim lapses after `CLAIM_LEASE_MS` and a later fold takes the days;
 * meanwhile they are answered directly. Should the computation fail, the days go back to the
 * markers. Recomputing replaces a day, so a fold that runs twice changes nothing. Archiving moves
 * rows between twins that the recomputation reads alike, so aggregates keep counting them.
 *
 * On PostgreSQL a claim first waits for the writers in flight (see `claimDays`): a writer whose
 * trigger found its day already marked inserted nothing, and a claim taking that marker before the
 * writer commits would compute the day without the writer's change and leave it unmarked.
 *
 * A report reads the marked days of its range first, then the aggregates of the other days, and
 * computes the marked days directly (usually today only, which floor reports keep marking between
 * folds: a small index range; folding before answering would make a reader wait for the write lock).
 * Reading the markers first matters: a fold committing between the two reads leaves fresh aggregates
 * for days the report computes directly anyway. Machine run time is also summed per month (from the
 * daily rows, in the same fold), so a report by month reads whole clean months from there.
 */
type ReportTables = {
  report_dirty_days: { day: string };
  report_folding_days: { day: string; claim: string; claimed_at: string };
  report_machine_days: {
    day: string;
    machine_id: string;
    reports: number;
    good: number;
    scrap: number;
    run: number;
  };
  report_planned_days: { day: string; machine_id: string; operations: number; run: number };
  report_machine_months: { month: string; machine_id: string; reports: number; run: number };
  report_planned_months: { month: string; machine_id: string; operations: number; run: number };
  report_scrap_days: { day: string; scrap_reason: string | null; reports: number; scrap: number };
  report_production_days: { day: string; orders: number; planned: number; good: number; scrap: number };
  report_delivery_days: {
    day: string;
    on_time: number;
    currency: string;
    lines: number;
    qty: number;
    amount: number;
  };
  report_fold_state: { id: number; rebuild: number; folded_at: string | null };
};
type Q = Kysely<Database>;
type A = Kysely<Database & ReportTables>;
const withAgg = (k: Q): A => k.withTables<ReportTables>();
const n = (v: unknown) => Number(v ?? 0);
const endOf = (day: IsoDate) => startOfDayIso(addDays(day, 1));

/** Source tables of each report: their changes must make a kept answer stale (see read-cache.ts). */
const SOURCES = {
  floor: [
    'operation_reports',
    'operation_reports_archive',
    'work_order_operations',
    'work_order_operations_archive',
  ],
  production: ['work_order_history', 'work_order_history_archive', 'work_orders', 'work_orders_archive'],
  delivery: ['shipments', 'shipment_lines', 'sales_order_lines'],
} as const;
const noteSources = (kind: keyof typeof SOURCES) => {
  for (const t of SOURCES[kind]) noteRead(t);
};

/**
 * Days of the range whose aggregates are not to be trusted: the marked and the claimed ones (being
 * folded), or all of them while a rebuild is asked for and its markers are not written yet (a new or
 * repaired read model).
 */
async function dirtyDays(k: Q, from: IsoDate, to: IsoDate): Promise<string[]> {
  const state = await withAgg(k)
    .selectFrom('report_fold_state')
    .select('rebuild')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!state || n(state.rebuild) === 1) return daysBetween(from, to);
  // One statement, so one snapshot: a claim moving a day from one table to the other between two
  // reads would hide it from both.
  const a = withAgg(k);
  const rows = await a
    .selectFrom('report_dirty_days')
    .select('day')
    .where('day', '>=', from)
    .where('day', '<=', to)
    .union(a.selectFrom('report_folding_days').select('day').where('day', '>=', from).where('day', '<=', to))
    .execute();
  return rows.map((r) => r.day).sort();
}

/** Clean days from the aggregates, marked days (as runs) from the direct query. */
async function readDays<T extends { day: string }>(
  k: Q,
  from: IsoDate,
  to: IsoDate,
  aggregated: (a: A) => Promise<T[]>,
  direct: (fromIso: string, toIso: string) => Promise<T[]>,
): Promise<T[]> {
  if (to < from) return [];
  const dirty = await dirtyDays(k, from, to);
  const marked = new Set(dirty);
  const out = (await aggregated(withAgg(k))).filter((r) => !marked.has(r.day));
  for (const run of dayRuns(dirty)) {
    // One by one: a run of many days can hold more rows than a spread's argument limit.
    for (const row of await direct(startOfDayIso(run.from), endOf(run.to))) out.push(row);
  }
  return out;
}

/** Sales-order lines delivered per day (repo.deliveredLines), days `from`..`to`. */
export function deliveredDays(k: Q, from: IsoDate, to: IsoDate): Promise<repo.DeliveredDay[]> {
  noteSources('delivery');
  return readDays(
    k,
    from,
    to,
    async (a) =>
      (
        await a
          .selectFrom('report_delivery_days')
          .selectAll()
          .where('day', '>=', from)
          .where('day', '<=', to)
          .execute()
      ).map((r) => ({
        day: r.day,
        onTime: n(r.on_time) === 1,
        currency: r.currency,
        lines: n(r.lines),
        qty: n(r.qty),
        amount: n(r.amount),
      })),
    (f, t) => repo.deliveredLines(k, f, t),
  );
}

/** Work orders completed per day (repo.completedOrders). */
export function completedDays(k: Q, from: IsoDate, to: IsoDate): Promise<repo.CompletedDay[]> {
  noteSources('production');
  return readDays(
    k,
    from,
    to,
    async (a) =>
      (
        await a
          .selectFrom('report_production_days')
          .selectAll()
          .where('day', '>=', from)
          .where('day', '<=', to)
          .execute()
      ).map((r) => ({
        day: r.day,
        orders: n(r.orders),
        planned: n(r.planned),
        good: n(r.good),
        scrap: n(r.scrap),
      })),
    (f, t) => repo.completedOrders(k, f, t),
  );
}

/**
 * The day standing for each row's period: the period's first day (inside the range), so that
 * rolling the rows up by period (reports.rules.ts `rollUp`) gives what rolling up the days gives.
 * Without periods (or with one-day periods) every day stands for itself. The days are literals (valid
 * ISO dates from the range), so PostgreSQL sees the same expression in the select list and GROUP BY.
 */
function periodStart(periods: readonly Period[] | undefined): RawBuilder<string> {
  const day = sql.ref('d.day');
  if (!periods || periods.every((p) => p.start === p.end)) return sql<string>`${day}`;
  const branches = [...periods]
    .reverse()
    .map((p) => sql`when ${day} >= ${sql.lit(p.start)} then ${sql.lit(p.start)}`);
  return sql<string>`case ${sql.join(branches, sql` `)} end`;
}

type RunTable = 'report_machine_days' | 'report_planned_days';

/** Calendar months ('YYYY-MM') lying wholly within `from`..`to` that have no marked day. */
function wholeMonths(from: IsoDate, to: IsoDate, dirty: readonly string[]): string[] {
  const marked = new Set(dirty.map((d) => d.slice(0, 7)));
  const out: string[] = [];
  for (const day of daysBetween(from, to)) {
    if (!day.endsWith('-01')) continue;
    const month = day.slice(0, 7);
    const last = addDays(nextMonth(day), -1);
    if (last <= to && !marked.has(month)) out.push(month);
  }
  return out;
}
const nextMonth = (first: IsoDate): IsoDate => {
  const [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
  return (m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`) as IsoDate;
};

/**
 * Run time per machine over [from, endIso), in rows by machine and day, or by machine and period
 * when `periods` are given (far fewer rows to read; each row's day is its period's first day). Clean
 * days come from the read model, marked days and a last partial day (the utilisation window stops
 * now) straight from the history.
 */
async function runDays(
  k: Q,
  from: IsoDate,
  endIso: string,
  table: RunTable,
  direct: (fromIso: string, toIso: string) => Promise<repo.RunByMachineDay[]>,
  periods?: readonly Period[],
): Promise<repo.RunByMachineDay[]> {
  noteSources('floor');
  const fromIso = startOfDayIso(from);
  if (endIso <= fromIso) return [];
  const endDay = endIso.slice(0, 10) as IsoDate;
  const lastFull = addDays(endDay, -1);
  const out: repo.RunByMachineDay[] = [];
  if (lastFull >= from) {
    const dirty = await dirtyDays(k, from, lastFull);
    const count = table === 'report_machine_days' ? 'reports' : 'operations';
    // Months wholly inside the range without a marked day come from the monthly sums, when the
    // report rolls up by month; the other days from the daily rows.
    const months = periods?.every((p) => p.key.length === 7) ? wholeMonths(from, lastFull, dirty) : [];
    if (months.length > 0) {
      const monthly = table === 'report_machine_days' ? 'report_machine_months' : 'report_planned_months';
      const rows = await withAgg(k)
        .selectFrom(`${monthly} as m` as 'report_machine_months as m')
        .select(['m.machine_id', 'm.month', 'm.run', sql.ref(`m.${count}`).as('count')])
        .where('m.month', 'in', months)
        .execute();
      for (const r of rows) {
        out.push({ machineId: r.machine_id, day: `${r.month}-01`, run: n(r.run), count: n(r.count) });
      }
    }
    const key = periodStart(periods);
    let q = withAgg(k)
      .selectFrom(`${table} as d` as 'report_machine_days as d')
      .select((eb) => [
        'd.machine_id',
        key.as('day'),
        eb.fn.sum('d.run').as('run'),
        eb.fn.sum(sql.ref(`d.${count}`)).as('count'),
      ])
      .where('d.day', '>=', from)
      .where('d.day', '<=', lastFull)
      .groupBy(['d.machine_id', key]);
    if (dirty.length > 0) q = q.where('d.day', 'not in', dirty);
    if (months.length > 0) q = q.where(sql<string>`substr(${sql.ref('d.day')}, 1, 7)`, 'not in', months);
    for (const r of await q.execute()) {
      out.push({ machineId: r.machine_id, day: String(r.day), run: n(r.run), count: n(r.count) });
    }
    for (const run of dayRuns(dirty)) {
      // One by one: a run of many days can hold more rows than a spread's argument limit.
      for (const row of await direct(startOfDayIso(run.from), endOf(run.to))) out.push(row);
    }
  }
  if (startOfDayIso(endDay) !== endIso) {
    for (const row of await direct(startOfDayIso(endDay), endIso)) out.push(row);
  }
  return out;
}

/** Standard run time reported per machine (repo.reportedRunByMachineDay), by day or period. */
export const reportedRunDays = (k: Q, from: IsoDate, endIso: string, periods?: readonly Period[]) =>
  runDays(k, from, endIso, 'report_machine_days', (f, t) => repo.reportedRunByMachineDay(k, f, t), periods);

/** Minutes planned per machine on the operations' planned start (repo.plannedRunByMachineDay). */
export const plannedRunDays = (k: Q, from: IsoDate, endIso: string, periods?: readonly Period[]) =>
  runDays(k, from, endIso, 'report_planned_days', (f, t) => repo.plannedRunByMachineDay(k, f, t), periods);

/**
 * Scrap by reason over days `from`..`to`, largest first (repo.scrapReasons). Summed and ordered by
 * the database, from the aggregates of clean days and the raw reports of marked ones, so ties and
 * empty reasons sort exactly as the direct query sorts them.
 */
export async function scrapReasonDays(k: Q, from: IsoDate, to: IsoDate, limit: number) {
  noteSources('floor');
  const dirty = await dirtyDays(k, from, to);
  const a = withAgg(k);
  let rows = a
    .selectFrom('report_scrap_days as d')
    .select(['d.scrap_reason', 'd.reports', 'd.scrap'])
    .where('d.day', '>=', from)
    .where('d.day', '<=', to);
  if (dirty.length > 0) rows = rows.where('d.day', 'not in', dirty);
  const raw = (table: 'operation_reports' | 'operation_reports_archive', run: DayRun) =>
    a
      .selectFrom(`${table} as r` as 'operation_reports as r')
      .select(['r.scrap_reason', sql<number>`1`.as('reports'), 'r.scrap'])
      .where('r.reported_at', '>=', startOfDayIso(run.from))
      .where('r.reported_at', '<', endOf(run.to))
      .where('r.scrap', '>', 0);
  for (const run of dayRuns(dirty)) {
    rows = rows
      .unionAll(raw('operation_reports', run) as never)
      .unionAll(raw('operation_reports_archive', run) as never);
  }
  const out = await a
    .selectFrom(rows.as('r'))
    .select((eb) => [
      'r.scrap_reason',
      eb.fn.sum('r.reports').as('reports'),
      eb.fn.sum('r.scrap').as('scrap'),
    ])
    .groupBy('r.scrap_reason')
    .orderBy(sql`sum(${sql.ref('r.scrap')})`, 'desc')
    .orderBy('r.scrap_reason')
    .limit(limit)
    .execute();
  return out.map((r) => ({ reason: r.scrap_reason, reports: n(r.reports), scrap: n(r.scrap) }));
}

// ---- keeping the read model --------------------------------------------------------------------

const CHUNK = 400;
async function insertChunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** The aggregate rows of some days: what the direct queries give for them (see `computeDays`). */
export interface DayRows {
  readonly machines: readonly repo.ReportedByMachineDay[];
  readonly planned: readonly repo.RunByMachineDay[];
  readonly scrap: readonly { day: string; reason: string | null; reports: number; scrap: number }[];
  readonly completed: readonly repo.CompletedDay[];
  readonly delivered: readonly repo.DeliveredDay[];
}

/**
 * Computes the aggregate rows of `days` from the history. It only reads, so it runs anywhere: on a
 * worker thread's own SQLite connection (reports.fold.worker.ts) or, on PostgreSQL, in the server.
 */
export async function computeDays(k: Q, days: readonly string[]): Promise<DayRows> {
  const out = { machines: [], planned: [], scrap: [], completed: [], delivered: [] } as {
    -readonly [K in keyof DayRows]: DayRows[K][number][];
  };
  // Row by row: a run of many days can hold more rows than a spread's argument limit.
  for (const run of dayRuns(days)) {
    const fromIso = startOfDayIso(run.from);
    const toIso = endOf(run.to);
    for (const r of await repo.reportedByMachineDay(k, fromIso, toIso)) out.machines.push(r);
    for (const r of await repo.plannedRunByMachineDay(k, fromIso, toIso)) out.planned.push(r);
    for (const r of await repo.scrapByDayReason(k, fromIso, toIso)) out.scrap.push(r);
    for (const r of await repo.completedOrders(k, fromIso, toIso)) out.completed.push(r);
    for (const r of await repo.deliveredLines(k, fromIso, toIso)) out.delivered.push(r);
  }
  return out;
}

const AGGREGATE_TABLES = [
  'report_machine_days',
  'report_planned_days',
  'report_scrap_days',
  'report_production_days',
  'report_delivery_days',
] as const;

/** Replaces the aggregates of `days` by `rows` (computed for them), and their months' sums. */
async function replaceDays(tx: Transaction<Database & ReportTables>, days: readonly string[], rows: DayRows) {
  for (const table of AGGREGATE_TABLES) await tx.deleteFrom(table).where('day', 'in', days).execute();
  const keep = new Set(days);
  const of = <T extends { day: string }>(list: readonly T[]) => list.filter((r) => keep.has(r.day));
  await insertChunks(of(rows.machines), (c) =>
    tx
      .insertInto('report_machine_days')
      .values(
        c.map((r) => ({
          day: r.day,
          machine_id: r.machineId,
          reports: r.count,
          good: r.good,
          scrap: r.scrap,
          run: r.run,
        })),
      )
      .execute(),
  );
  await insertChunks(of(rows.planned), (c) =>
    tx
      .insertInto('report_planned_days')
      .values(c.map((r) => ({ day: r.day, machine_id: r.machineId, operations: r.count, run: r.run })))
      .execute(),
  );
  await insertChunks(of(rows.scrap), (c) =>
    tx
      .insertInto('report_scrap_days')
      .values(c.map((r) => ({ day: r.day, scrap_reason: r.reason, reports: r.reports, scrap: r.scrap })))
      .execute(),
  );
  await insertChunks(of(rows.completed), (c) =>
    tx
      .insertInto('report_production_days')
      .values(
        c.map((r) => ({ day: r.day, orders: r.orders, planned: r.planned, good: r.good, scrap: r.scrap })),
      )
      .execute(),
  );
  await insertChunks(of(rows.delivered), (c) =>
    tx
      .insertInto('report_delivery_days')
      .values(
        c.map((r) => ({
          day: r.day,
          on_time: r.onTime ? 1 : 0,
          currency: r.currency,
          lines: r.lines,
          qty: r.qty,
          amount: r.amount,
        })),
      )
      .execute(),
  );
  // Monthly sums of the months these days belong to, from the daily rows just written.
  for (const month of new Set(days.map((d) => d.slice(0, 7)))) {
    for (const [monthly, daily, count] of [
      ['report_machine_months', 'report_machine_days', 'reports'],
      ['report_planned_months', 'report_planned_days', 'operations'],
    ] as const) {
      await tx.deleteFrom(monthly).where('month', '=', month).execute();
      await sql`insert into ${sql.table(monthly)} (month, machine_id, ${sql.ref(count)}, run)
        select ${month}, machine_id, sum(${sql.ref(count)}), sum(run) from ${sql.table(daily)}
        where day >= ${`${month}-01`} and day <= ${`${month}-31`} group by machine_id`.execute(tx);
    }
  }
}

/**
 * Days computed per batch. Claiming and writing a batch are short transactions; on SQLite the
 * computation between them runs on a worker thread, so the server's thread and the write lock stay
 * free meanwhile.
 */
export const FOLD_BATCH_DAYS = 7;

/**
 * A fold's claim older than this is presumed dead (its process stopped between claim and write):
 * the next fold takes its days again. Taking a live claim's days is harmless, only wasted work.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * How long a claim waits on PostgreSQL for the writers in flight that may have found their day
 * already marked (see `claimDays`). Writers starting meanwhile queue behind the claim, so the wait is
 * short: a claim that would wait longer (a long transaction is open) gives up, its days stay marked,
 * and the next run tries again.
 */
export const FOLD_LOCK_TIMEOUT_MS = 1_000;

/** Days a fold took from the markers (`report_folding_days` rows under `id`). */
export interface FoldClaim {
  readonly id: string;
  readonly days: readonly string[];
}

/** Locks the state row: claims and writes of concurrent folds go one at a time. */
const lockState = (tx: Transaction<Database & ReportTables>, now: Date) =>
  tx.updateTable('report_fold_state').set({ folded_at: now.toISOString() }).where('id', '=', 1).execute();

/**
 * Waits (on PostgreSQL) until no transaction in flight can still commit a change to a marked day
 * without a marker of its own, and keeps new ones from starting until the claim commits.
 *
 * A trigger inserts its day's marker only when the day has none (READ COMMITTED: a committed one),
 * so a writer W of an already marked day commits no marker. Were the claim to take that marker while
 * W is open, the claim's computation would miss W's change and, W committing afterwards, the day
 * would stay unmarked with aggregates lacking it: drift for good. Every trigger's insert, even one
 * inserting nothing, holds a ROW EXCLUSIVE lock on `report_dirty_days` until its transaction ends;
 * SHARE ROW EXCLUSIVE conflicts with it (and with itself, unlike SHARE, which would let two holders
 * deadlock on their deletes), so taking it waits for those writers, and writers reaching a trigger
 * meanwhile wait for the short claim, then see the marker gone and insert their own. Readers are
 * not held up: their ACCESS SHARE lock conflicts with neither.
 *
 * Rejected alternatives: triggers upserting the marker with DO UPDATE (so the claim's delete waits
 * on the row) would serialise every writing transaction of a day, a busy floor's today above all,
 * on one row until it commits; waiting for every transaction open at the claim (its snapshot's xids)
 * would also wait for writers that never touch the reports, and poll. Here a wait happens only while
 * a writer is open when a fold claims (the claim, and writers reaching a trigger meanwhile, wait), and
 * lasts at most `timeoutMs` (infinite: no limit), after which the claim gives up (lock timeout,
 * SQLSTATE 55P03, see `claimDays`). SQLite needs none of this: its one writer at a time means the
 * claim's transaction cannot start while W is open.
 */
async function waitForWriters(tx: Transaction<Database & ReportTables>, timeoutMs: number) {
  // set_config(..., true) is SET LOCAL with a bound value: it ends with the claim's transaction.
  const limit = Number.isFinite(timeoutMs) ? `${Math.max(1, Math.round(timeoutMs))}ms` : '0';
  await sql`select set_config('lock_timeout', ${limit}, true)`.execute(tx);
  await sql`lock table report_dirty_days in share row exclusive mode`.execute(tx);
}

/** PostgreSQL's lock_not_available: a lock wait ran past `lock_timeout`. */
const isLockTimeout = (db: Db, err: unknown) =>
  db.dialect === 'postgres' && (err as { code?: string } | null)?.code === '55P03';

/**
 * Takes up to `maxDays` marked days (latest first), and days of claims older than the lease: moves
 * them to `report_folding_days` under a new claim, replacing any other fold's claim of them. A change
 * committed after this marks its day again through the triggers; on PostgreSQL the claim first waits
 * up to `lockTimeoutMs` for the writers in flight (`waitForWriters`). A marked `holdDay` stays marked:
 * the reports compute it from the raw rows. Null when there is nothing to take; `'busy'` when the
 * wait timed out: nothing was taken, the days stay marked for a later fold.
 */
export async function claimDays(
  db: Db,
  maxDays = FOLD_BATCH_DAYS,
  now = new Date(),
  holdDay: string | null = null,
  lockTimeoutMs = FOLD_LOCK_TIMEOUT_MS,
): Promise<FoldClaim | 'busy' | null> {
  try {
    return await db.transaction(async (t) => {
      const tx = t.withTables<ReportTables>();
      await lockState(tx, now);
      const lapsed = new Date(now.getTime() - CLAIM_LEASE_MS).toISOString();
      const candidates = async () => {
        let marked = tx.selectFrom('report_dirty_days').select('day');
        let orphaned = tx.selectFrom('report_folding_days').select('day').where('claimed_at', '<', lapsed);
        if (holdDay !== null) {
          marked = marked.where('day', '!=', holdDay);
          orphaned = orphaned.where('day', '!=', holdDay);
        }
        return (
          await tx
            .selectFrom(marked.union(orphaned).as('c'))
            .select('c.day')
            .orderBy('c.day', 'desc')
            .limit(maxDays)
            .execute()
        ).map((r) => r.day);
      };
      if (db.dialect === 'postgres') {
        // Most runs find nothing to take (today is held): they need not wait for any writer.
        if ((await candidates()).length === 0) return null;
        await waitForWriters(tx, lockTimeoutMs);
      }
      // Read (again) under the lock: READ COMMITTED, so the markers of the writers waited for count.
      const days = await candidates();
      if (days.length === 0) return null;
      const id = newId();
      await tx.deleteFrom('report_dirty_days').where('day', 'in', days).execute();
      await tx.deleteFrom('report_folding_days').where('day', 'in', days).execute();
      await tx
        .insertInto('report_folding_days')
        .values(days.map((day) => ({ day, claim: id, claimed_at: now.toISOString() })))
        .execute();
      return { id, days };
    });
  } catch (err) {
    if (isLockTimeout(db, err)) return 'busy';
    throw err;
  }
}

/**
 * Writes what was computed for a claim: the days still held by it get `rows` as their aggregates and
 * leave `report_folding_days`. Days another fold took meanwhile are left to that fold (its rows are
 * newer); days marked again meanwhile stay marked, answered directly until a later fold. Returns how
 * many days were written. It needs no wait for writers: it deletes no marker, and a writer whose
 * trigger ran after the claim found the day's marker gone and inserted its own, which this leaves.
 */
export async function writeClaim(db: Db, claim: FoldClaim, rows: DayRows, now = new Date()): Promise<number> {
  return db.transaction(async (t) => {
    const tx = t.withTables<ReportTables>();
    await lockState(tx, now);
    const held = await tx
      .selectFrom('report_folding_days')
      .select('day')
      .where('claim', '=', claim.id)
      .execute();
    const days = [...new Set(held.map((r) => r.day))];
    if (days.length === 0) return 0;
    await replaceDays(tx, days, rows);
    await tx.deleteFrom('report_folding_days').where('claim', '=', claim.id).execute();
    return days.length;
  });
}

/** Gives a claim's days back to the markers (its computation failed): nothing is lost. */
export async function releaseClaim(db: Db, claim: FoldClaim): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t.withTables<ReportTables>();
    await sql`insert into report_dirty_days (day)
      select distinct f.day from report_folding_days f
      where f.claim = ${claim.id} and not exists (select 1 from report_dirty_days d where d.day = f.day)`.execute(
      tx,
    );
    await tx.deleteFrom('report_folding_days').where('claim', '=', claim.id).execute();
  });
}

/** Computes days' aggregate rows for folds; `stop` ends whatever it started. */
export interface DayComputer {
  compute(days: readonly string[]): Promise<DayRows>;
  stop(): Promise<void>;
}

/**
 * On a SQLite file, a worker thread reading through a connection of its own (reports.fold.worker.ts):
 * node:sqlite answers synchronously, so computing in the server would stall every request. Otherwise
 * (PostgreSQL answers asynchronously; a database in memory has no other connection) in the server.
 */
export async function startComputer(db: Db): Promise<DayComputer> {
  const file = db.sqliteFile;
  if (!file) return { compute: (days) => computeDays(db.kysely, days), stop: async () => {} };
  const worker = new Worker(new URL('./reports.fold.worker.ts', import.meta.url), { workerData: { file } });
  let pending: { resolve: (rows: DayRows) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    pending?.reject(failure);
    pending = null;
  };
  worker.on('message', (m: FoldAnswer) => {
    if (m.ok) pending?.resolve(m.rows);
    else pending?.reject(new Error(`Report fold worker: ${m.error}`));
    pending = null;
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`The report fold worker stopped (exit code ${code})`)));
  return {
    compute: (days) =>
      new Promise<DayRows>((resolve, reject) => {
        if (failure) return reject(failure);
        pending = { resolve, reject };
        worker.postMessage({ days } satisfies FoldAsk);
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** What the server asks the fold worker, and its answer. */
export interface FoldAsk {
  readonly days: readonly string[];
}
export type FoldAnswer =
  | { readonly ok: true; readonly rows: DayRows }
  | { readonly ok: false; readonly error: string };

/**
 * Folds one batch: claims up to `maxDays` marked days, computes them (with `computer`, or one started
 * for this batch) and writes them; returns how many days were claimed, or `'busy'` when the claim
 * gave up waiting for writers in flight (`claimDays`). Should the computation or the write fail, the
 * days go back to the markers and the error is thrown.
 */
export async function foldBatch(
  db: Db,
  maxDays = FOLD_BATCH_DAYS,
  now = new Date(),
  holdDay: string | null = null,
  computer?: DayComputer,
  lockTimeoutMs = FOLD_LOCK_TIMEOUT_MS,
): Promise<number | 'busy'> {
  const claim = await claimDays(db, maxDays, now, holdDay, lockTimeoutMs);
  if (claim === 'busy') return 'busy';
  if (!claim) return 0;
  const own =
    computer ??
    (await startComputer(db).catch(async (err: unknown) => {
      await releaseClaim(db, claim);
      throw err;
    }));
  try {
    await writeClaim(db, claim, await own.compute(claim.days), now);
  } catch (err) {
    await releaseClaim(db, claim);
    throw err;
  } finally {
    if (!computer) await own.stop();
  }
  return claim.days.length;
}

/** Earliest and latest day of any source row or aggregate. */
async function historySpan(k: Q): Promise<{ min: string | null; max: string | null }> {
  const span = (table: string, column: string) =>
    sql<{
      lo: string | null;
      hi: string | null;
    }>`select min(${sql.ref(column)}) as lo, max(${sql.ref(column)}) as hi from ${sql.table(table)}`.execute(
      k,
    );
  const parts = await Promise.all([
    span('operation_reports', 'reported_at'),
    span('operation_reports_archive', 'reported_at'),
    span('work_order_history', 'at'),
    span('work_order_history_archive', 'at'),
    span('shipments', 'created_at'),
    span('work_order_operations', 'planned_start'),
    span('work_order_operations_archive', 'planned_start'),
    ...[
      'report_machine_days',
      'report_planned_days',
      'report_scrap_days',
      'report_production_days',
      'report_delivery_days',
    ].map((t) => span(t, 'day')),
  ]);
  const los = parts.map((p) => p.rows[0]?.lo).filter((v): v is string => !!v);
  const his = parts.map((p) => p.rows[0]?.hi).filter((v): v is string => !!v);
  const pick = (list: string[], f: (a: string, b: string) => boolean) =>
    list.length === 0 ? null : list.map((v) => v.slice(0, 10)).reduce((a, b) => (f(a, b) ? a : b));
  return { min: pick(los, (a, b) => a < b), max: pick(his, (a, b) => a > b) };
}

/**
 * When a rebuild was asked for (a new database, or `requestRebuild`): marks every day from the first
 * day of history to today (or the last day of history, if later), in one short transaction. The
 * folds then recompute them batch by batch, while reports stay exact (marked days are computed
 * directly).
 */
async function markAllIfAsked(db: Db, now: Date): Promise<number> {
  return db.transaction(async (t) => {
    const tx = t.withTables<ReportTables>();
    const state = await tx
      .updateTable('report_fold_state')
      .set({ rebuild: 0 })
      .where('id', '=', 1)
      .where('rebuild', '=', 1)
      .returning('id')
      .executeTakeFirst();
    if (!state) return 0;
    const { min, max } = await historySpan(t);
    if (min === null) return 0;
    const today = now.toISOString().slice(0, 10);
    const last = (max !== null && max > today ? max : today) as IsoDate;
    const days = daysBetween(min as IsoDate, last);
    await insertChunks(days, (c) =>
      tx
        .insertInto('report_dirty_days')
        .values(c.map((day) => ({ day })))
        .execute(),
    );
    return days.length;
  });
}

/** Asks for a full rebuild: the next fold marks every day of history. */
export async function requestRebuild(db: Db): Promise<void> {
  await withAgg(db.kysely).updateTable('report_fold_state').set({ rebuild: 1 }).where('id', '=', 1).execute();
}

export interface FoldResult {
  readonly marked: number;
  readonly days: number;
  readonly batches: number;
  /** Marked days left for the next run (the time budget ran out). */
  readonly more: boolean;
  /**
   * The run stopped because a claim gave up waiting for writers in flight (`claimDays`): its days
   * stay marked (the reports compute them directly) for the next run.
   */
  readonly busy: boolean;
}

/** One job run: folds batches of marked days until none is left or `budgetMs` has passed. */
export async function runFold(
  db: Db,
  options: {
    budgetMs?: number;
    batchDays?: number;
    now?: () => Date;
    /**
     * Leave this day marked (the job passes today's): on a busy floor every report marks it again
     * at once, so folding it each minute would redo the day's whole history for nothing.
     */
    holdDay?: string;
    /** Computes the claimed days (default: `startComputer`, started once there is a day to fold). */
    computer?: DayComputer;
    /** How long a claim waits for writers in flight on PostgreSQL (default `FOLD_LOCK_TIMEOUT_MS`). */
    lockTimeoutMs?: number;
  } = {},
): Promise<FoldResult> {
  const clock = options.now ?? (() => new Date());
  const started = Date.now();
  const marked = await markAllIfAsked(db, clock());
  let days = 0;
  let batches = 0;
  // Started for the first batch, and only then: most runs find nothing to fold.
  const own: { computer?: Promise<DayComputer> } = {};
  const computer: DayComputer = options.computer ?? {
    compute: async (list) => {
      own.computer ??= startComputer(db);
      return (await own.computer).compute(list);
    },
    stop: async () => {},
  };
  try {
    for (;;) {
      if (Date.now() - started > (options.budgetMs ?? 20_000)) {
        return { marked, days, batches, more: true, busy: false };
      }
      const done = await foldBatch(
        db,
        options.batchDays ?? FOLD_BATCH_DAYS,
        clock(),
        options.holdDay ?? null,
        computer,
        options.lockTimeoutMs ?? FOLD_LOCK_TIMEOUT_MS,
      );
      if (done === 'busy') return { marked, days, batches, more: false, busy: true };
      if (done === 0) return { marked, days, batches, more: false, busy: false };
      days += done;
      batches++;
    }
  } finally {
    await own.computer?.then(
      (c) => c.stop(),
      () => undefined,
    );
  }
}

/**
 * Compares the aggregates of one day with the direct queries over the raw rows (a reconciliation
 * check, e.g. for yesterday): the names of the report inputs that differ. A day still marked is not
 * folded yet and is not compared.
 */
export async function checkReportDay(db: Db, day: IsoDate): Promise<string[]> {
  const k = db.kysely;
  const marked = await dirtyDays(k, day, day);
  if (marked.length > 0) return [];
  const fromIso = startOfDayIso(day);
  const toIso = endOf(day);
  const canon = (rows: readonly object[]) =>
    rows
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))))
      .sort()
      .join('\n');
  const pairs: [string, Promise<readonly object[]>, Promise<readonly object[]>][] = [
    ['delivery', deliveredDays(k, day, day), repo.deliveredLines(k, fromIso, toIso)],
    ['production', completedDays(k, day, day), repo.completedOrders(k, fromIso, toIso)],
    ['scrap', scrapReasonDays(k, day, day, 1_000_000), repo.scrapReasons(k, fromIso, toIso, 1_000_000)],
    ['reported', reportedRunDays(k, day, toIso), repo.reportedRunByMachineDay(k, fromIso, toIso)],
    ['planned', plannedRunDays(k, day, toIso), repo.plannedRunByMachineDay(k, fromIso, toIso)],
  ];
  const out: string[] = [];
  for (const [name, read, direct] of pairs) if (canon(await read) !== canon(await direct)) out.push(name);
  return out;
}

/**
 * Rebuilds the whole read model now (repair, or after a bulk load), in bounded transactions. Should
 * a claim give up waiting for a long writer (`busy`), the days left stay marked and the fold job
 * takes them; the reports answer them directly meanwhile.
 */
export async function rebuildReportAggregates(db: Db): Promise<FoldResult> {
  await requestRebuild(db);
  return runFold(db, { budgetMs: Number.POSITIVE_INFINITY });
}
