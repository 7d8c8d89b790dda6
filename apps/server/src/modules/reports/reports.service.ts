import type { IsoDate } from '@takt/domain';
import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import * as agg from './reports.aggregates.ts';
import * as repo from './reports.repo.ts';
import {
  moneyOf,
  parseRange,
  percent,
  qtyOf,
  type RangeQuery,
  type ReportRange,
  rollUp,
} from './reports.rules.ts';

/**
 * Management reports: delivery performance, production output and work in progress, stock value and
 * machine utilisation (reports.utilisation.ts). Ranged figures come per day from the daily read model
 * (reports.aggregates.ts) and are rolled up here; the snapshots (backlog, WIP, stock value) are as of the moment of the request.
 */
export const todayOf = (now: Date) => now.toISOString().slice(0, 10) as IsoDate;
export const head = (range: ReportRange) => ({ from: range.from, to: range.to, groupBy: range.groupBy });

/** Sums per currency (cents in, currency units out), in order of the currency code. */
function byCurrency(rows: readonly { currency: string; cents: number }[]) {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.cents);
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, cents]) => ({ currency, value: moneyOf(cents) }));
}

export async function deliveryReport(db: Db, query: RangeQuery, now = new Date()) {
  const range = parseRange(query, todayOf(now));
  const [delivered, backlog] = await Promise.all([
    agg.deliveredDays(db.kysely, range.from, range.to),
    repo.openBacklog(db.kysely, todayOf(now)),
  ]);
  const daily = delivered.map((d) => ({
    day: d.day,
    onTime: d.onTime ? d.lines : 0,
    late: d.onTime ? 0 : d.lines,
    qty: d.qty,
  }));
  // Money never adds up across currencies: each period's value is a list, one entry per currency.
  const currencies = [...new Set(delivered.map((d) => d.currency))].sort();
  const valueRows = currencies.map((currency) =>
    rollUp(
      range,
      delivered.filter((d) => d.currency === currency).map((d) => ({ day: d.day, value: d.amount })),
      ['value'],
    ),
  );
  const periods = rollUp(range, daily, ['onTime', 'late', 'qty']).map((p, i) => ({
    period: p.period,
    delivered: p.onTime + p.late,
    onTime: p.onTime,
    late: p.late,
    onTimePct: percent(p.onTime, p.onTime + p.late),
    qty: qtyOf(p.qty),
    values: currencies.map((currency, c) => ({ currency, value: moneyOf(valueRows[c]![i]!.value) })),
  }));
  const onTime = periods.reduce((s, p) => s + p.onTime, 0);
  const late = periods.reduce((s, p) => s + p.late, 0);
  return {
    ...head(range),
    totals: {
      delivered: onTime + late,
      onTime,
      late,
      onTimePct: percent(onTime, onTime + late),
      qty: qtyOf(daily.reduce((s, d) => s + d.qty, 0)),
      values: byCurrency(delivered.map((d) => ({ currency: d.currency, cents: d.amount }))),
    },
    periods,
    backlog: {
      orders: backlog.orders,
      lines: backlog.lines,
      qty: qtyOf(backlog.qty),
      overdueLines: backlog.overdueLines,
      overdueQty: qtyOf(backlog.overdueQty),
      values: backlog.values.map((v) => ({
        currency: v.currency,
        value: moneyOf(v.value),
        overdueValue: moneyOf(v.overdueValue),
      })),
    },
  };
}
export type DeliveryReport = Awaited<ReturnType<typeof deliveryReport>>;

const SCRAP_REASONS = 10;

export async function productionReport(db: Db, query: RangeQuery, now = new Date()) {
  const range = parseRange(query, todayOf(now));
  const [completed, reasons, wip] = await Promise.all([
    agg.completedDays(db.kysely, range.from, range.to),
    agg.scrapReasonDays(db.kysely, range.from, range.to, SCRAP_REASONS),
    repo.wipByStatus(db.kysely),
  ]);
  const periods = rollUp(range, completed, ['orders', 'planned', 'good', 'scrap']).map((p) => ({
    period: p.period,
    orders: p.orders,
    planned: qtyOf(p.planned),
    good: qtyOf(p.good),
    scrap: qtyOf(p.scrap),
    scrapRatePct: percent(p.scrap, p.good + p.scrap),
  }));
  const sum = (k: 'orders' | 'planned' | 'good' | 'scrap') => completed.reduce((s, c) => s + c[k], 0);
  const byStatus = repo.WIP_STATUSES.map((status) => {
    const row = wip.find((w) => w.status === status);
    return {
      status,
      orders: row?.orders ?? 0,
      qty: qtyOf(row?.qty ?? 0),
      good: qtyOf(row?.good ?? 0),
      value: moneyOf((row?.value ?? 0) / 1000),
    };
  });
  return {
    ...head(range),
    totals: {
      orders: sum('orders'),
      planned: qtyOf(sum('planned')),
      good: qtyOf(sum('good')),
      scrap: qtyOf(sum('scrap')),
      scrapRatePct: percent(sum('scrap'), sum('good') + sum('scrap')),
    },
    periods,
    scrapReasons: reasons.map((r) => ({ reason: r.reason, reports: r.reports, scrap: qtyOf(r.scrap) })),
    wip: {
      orders: wip.reduce((s, w) => s + w.orders, 0),
      qty: qtyOf(wip.reduce((s, w) => s + w.qty, 0)),
      good: qtyOf(wip.reduce((s, w) => s + w.good, 0)),
      value: moneyOf(wip.reduce((s, w) => s + w.value, 0) / 1000),
      byStatus,
    },
  };
}
export type ProductionReport = Awaited<ReturnType<typeof productionReport>>;

const TOP_ITEMS = 20;

export async function inventoryReport(db: Db, now = new Date()) {
  const [byType, byWarehouse, top, uncosted] = await Promise.all([
    repo.valueByType(db.kysely),
    repo.valueByWarehouse(db.kysely),
    repo.topItemsByValue(db.kysely, TOP_ITEMS),
    repo.uncostedItems(db.kysely),
  ]);
  const total = byType.reduce((s, r) => s + r.value, 0);
  const share = (rows: repo.ValueRow[]) =>
    rows
      .map((r) => ({
        ...r,
        qty: qtyOf(r.qty),
        value: moneyOf(r.value / 1000),
        sharePct: percent(r.value, total),
        raw: r.value,
      }))
      .sort((a, b) => b.raw - a.raw || a.code.localeCompare(b.code))
      .map(({ raw: _, ...r }) => r);
  return {
    asOf: now.toISOString(),
    totals: {
      items: byType.reduce((s, r) => s + r.items, 0),
      qty: qtyOf(byType.reduce((s, r) => s + r.qty, 0)),
      value: moneyOf(total / 1000),
      uncostedItems: uncosted,
    },
    byType: share(byType).map(({ key, items, qty, value, sharePct }) => ({
      type: key,
      items,
      qty,
      value,
      sharePct,
    })),
    byWarehouse: share(byWarehouse).map(({ key, code, name, items, qty, value, sharePct }) => ({
      id: key,
      code,
      name,
      items,
      qty,
      value,
      sharePct,
    })),
    topItems: top.map((t) => ({
      ...t,
      standardCost: moneyOf(t.standardCost),
      qty: qtyOf(t.qty),
      value: moneyOf(t.value / 1000),
      sharePct: percent(t.value, total),
    })),
  };
}
export type InventoryReport = Awaited<ReturnType<typeof inventoryReport>>;

/*
 * The reports on a read thread (read-threads.ts): each sums days to years of a plant's history, which
 * on an SQLite file would hold the server's event loop for hundreds of milliseconds at a large plant.
 */
export const deliveryReportOffThread = offThread(import.meta.url, 'deliveryReport', deliveryReport);
export const productionReportOffThread = offThread(import.meta.url, 'productionReport', productionReport);
export const inventoryReportOffThread = offThread(import.meta.url, 'inventoryReport', inventoryReport);
