import { addDays, type IsoDate } from '@takt/domain';
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { formatMoney, formatQty } from '../../platform/units.ts';
import {
  checkReportDay,
  completedDays,
  deliveredDays,
  plannedRunDays,
  reportedRunDays,
  scrapReasonDays,
} from '../reports/reports.aggregates.ts';
import * as repo from '../reports/reports.history.ts';
import { startOfDayIso } from '../reports/reports.rules.ts';
import type { Check, Finding } from './recon.checks.ts';

/**
 * The reports' daily read model against the history it sums: each of the last few full days (UTC,
 * the reports' day) that is folded is compared by the reports module itself (`checkReportDay`), and
 * every figure that differs becomes a finding with the rows and values behind it. A day still marked
 * is answered straight from the history, so it cannot drift and is not compared; today is left to the
 * reports' direct queries until it is over. The repair is a rebuild of the read model.
 */
type Row = Record<string, unknown>;
type Q = Kysely<Database>;

interface Figure {
  /** What the reports read for the day (from the aggregates, the day being folded). */
  readonly folded: (k: Q, day: IsoDate) => Promise<readonly object[]>;
  /** What the direct query over the history gives for the day. */
  readonly expected: (k: Q, fromIso: string, toIso: string) => Promise<readonly object[]>;
  /** The row within the day: an on-time flag and currency, a scrap reason or a machine. */
  readonly key: (row: Row) => string;
  readonly values: Readonly<Record<string, (v: number) => string>>;
}

const count = (v: number) => String(v);
/** Run time sums of floor reports come in millionths of a minute. */
const millionthMinutes = (v: number) => `${Math.round(v / 10_000) / 100} min`;
const minutes = (v: number) => `${v} min`;

const FIGURES: Readonly<Record<string, Figure>> = {
  delivery: {
    folded: (k, day) => deliveredDays(k, day, day),
    expected: (k, f, t) => repo.deliveredLines(k, f, t),
    key: (r) => `${r.onTime ? 'on_time' : 'late'} ${String(r.currency)}`,
    values: { lines: count, qty: formatQty, amount: formatMoney },
  },
  production: {
    folded: (k, day) => completedDays(k, day, day),
    expected: (k, f, t) => repo.completedOrders(k, f, t),
    key: () => '',
    values: { orders: count, planned: formatQty, good: formatQty, scrap: formatQty },
  },
  scrap: {
    folded: (k, day) => scrapReasonDays(k, day, day, 1_000_000),
    expected: (k, f, t) => repo.scrapReasons(k, f, t, 1_000_000),
    key: (r) => (r.reason === null || r.reason === undefined ? '' : String(r.reason)),
    values: { reports: count, scrap: formatQty },
  },
  reported: {
    folded: (k, day) => reportedRunDays(k, day, startOfDayIso(addDays(day, 1))),
    expected: (k, f, t) => repo.reportedRunByMachineDay(k, f, t),
    key: (r) => String(r.machineId),
    values: { run: millionthMinutes, count },
  },
  planned: {
    folded: (k, day) => plannedRunDays(k, day, startOfDayIso(addDays(day, 1))),
    expected: (k, f, t) => repo.plannedRunByMachineDay(k, f, t),
    key: (r) => String(r.machineId),
    values: { run: minutes, count },
  },
};

export interface ReportDifference {
  /** The row within the day ('' for a figure with one row a day). */
  readonly row: string;
  readonly field: string;
  /** Formatted; null when the row is missing on that side. */
  readonly expected: string | null;
  readonly folded: string | null;
}

/** The values of one figure on one day that differ between the read model and the history. */
export async function reportDifferences(k: Q, figure: string, day: IsoDate): Promise<ReportDifference[]> {
  const f = FIGURES[figure];
  if (!f) return [];
  const index = (rows: readonly object[]) => new Map(rows.map((r) => [f.key(r as Row), r as Row]));
  const folded = index(await f.folded(k, day));
  const expected = index(await f.expected(k, startOfDayIso(day), startOfDayIso(addDays(day, 1))));
  const out: ReportDifference[] = [];
  for (const row of [...new Set([...expected.keys(), ...folded.keys()])].sort()) {
    const e = expected.get(row);
    const a = folded.get(row);
    for (const [field, format] of Object.entries(f.values)) {
      const ev = e ? Number(e[field] ?? 0) : null;
      const av = a ? Number(a[field] ?? 0) : null;
      if (ev === av) continue;
      out.push({
        row,
        field,
        expected: ev === null ? null : format(ev),
        folded: av === null ? null : format(av),
      });
    }
  }
  return out;
}

/**
 * "M-01 run 12 min; M-01 count 3": the differing values of one side, short enough for a table cell.
 * A figure named without values to show (one this check does not know yet) reads "as history" against
 * "differs".
 */
function summary(diffs: readonly ReportDifference[], side: 'expected' | 'folded'): string {
  if (diffs.length === 0) return side === 'expected' ? 'as history' : 'differs';
  const parts = diffs
    .slice(0, 3)
    .map((d) => [d.row, d.field, d[side] ?? '—'].filter((s) => s !== '').join(' '));
  return parts.join('; ') + (diffs.length > 3 ? ` (+${diffs.length - 3})` : '');
}

const REPAIR =
  'Rebuild the reports read model (POST /api/v1/integration/reconciliation/repairs/report-read-model); ' +
  'the reports fold recomputes every day within a minute or two, then run the reconciliation again.';

/** Days compared: the `days` full days before today (UTC), latest first. */
export function reportDays(now: Date, days: number): IsoDate[] {
  const today = now.toISOString().slice(0, 10) as IsoDate;
  return Array.from({ length: days }, (_, i) => addDays(today, -(i + 1)));
}

/**
 * A figure is reported only when two comparisons in a row name it: a change committed between the
 * reads of one comparison marks the day, so the second comparison no longer finds it.
 */
async function driftedFigures(db: Db, day: IsoDate): Promise<string[]> {
  const first = await checkReportDay(db, day);
  if (first.length === 0) return [];
  const again = new Set(await checkReportDay(db, day));
  return first.filter((name) => again.has(name));
}

export const reportReadModel: Check = async (db, options) => {
  const out: Finding[] = [];
  const machineIds = new Set<string>();
  const found: { day: IsoDate; figure: string; diffs: ReportDifference[] }[] = [];
  for (const day of reportDays(new Date(), options.reportDays)) {
    for (const figure of await driftedFigures(db, day)) {
      const diffs = await reportDifferences(db.kysely, figure, day);
      if (figure === 'reported' || figure === 'planned') for (const d of diffs) machineIds.add(d.row);
      found.push({ day, figure, diffs });
    }
  }
  const codes = new Map<string, string>();
  if (machineIds.size > 0) {
    const rows = await db.kysely
      .selectFrom('machines')
      .select(['id', 'code'])
      .where('id', 'in', [...machineIds])
      .execute();
    for (const m of rows) codes.set(m.id, m.code);
  }
  for (const { day, figure, diffs } of found) {
    const named = diffs.map((d) => ({ ...d, row: codes.get(d.row) ?? d.row }));
    out.push({
      check: 'report_read_model',
      entityType: 'report_day',
      entityId: `${day}:${figure}`,
      entityCode: `${day} ${figure}`,
      expected: summary(named, 'expected'),
      actual: summary(named, 'folded'),
      details: { day, figure, differences: named, repair: REPAIR },
    });
  }
  return out;
};
