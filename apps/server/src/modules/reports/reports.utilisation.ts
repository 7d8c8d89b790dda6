import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import { expandCalendar, type Span } from '../calendars/calendar.rules.ts';
import { getCalendar } from '../calendars/calendar.service.ts';
import { plannedRunDays, reportedRunDays } from './reports.aggregates.ts';
import * as repo from './reports.repo.ts';
import {
  minutes1,
  minutesByPeriod,
  type Period,
  periodsOf,
  type RangeQuery,
  parseRange,
  rollUp,
  utilisation,
} from './reports.rules.ts';
import { head, todayOf } from './reports.service.ts';

/**
 * Machine utilisation (formula in reports.rules.ts `utilisation`): calendar time less planned
 * downtime against the standard run time reported and the minutes planned, per machine, work center
 * and period. The window stops now: time that has not happened yet is not available.
 */

/** Run time sums come in millionths of a minute (quantity × 1000 × run_mmin). */
const runMinutes = (v: number) => v / 1_000_000;

function perMachine(rows: readonly repo.RunByMachineDay[]): Map<string, { run: number; count: number }> {
  const out = new Map<string, { run: number; count: number }>();
  for (const r of rows) {
    const m = out.get(r.machineId) ?? { run: 0, count: 0 };
    m.run += r.run;
    m.count += r.count;
    out.set(r.machineId, m);
  }
  return out;
}

/**
 * Available minutes of each machine per period (× its parallel units), or null without a calendar.
 * Machines without downtime in the window share their calendar's expansion.
 */
async function availability(
  db: Db,
  machines: readonly repo.MachineInfo[],
  downtimes: readonly { machine_id: string; start_at: string; end_at: string }[],
  window: { from: number; to: number },
  periods: readonly Period[],
): Promise<Map<string, number[] | null>> {
  const calendars = new Map<string, Awaited<ReturnType<typeof getCalendar>>>();
  for (const id of new Set(machines.map((m) => m.calendarId).filter((c): c is string => c !== null))) {
    calendars.set(id, await getCalendar(db, id));
  }
  const downtimeOf = new Map<string, Span[]>();
  for (const d of downtimes) {
    const list = downtimeOf.get(d.machine_id) ?? [];
    list.push({ start: Date.parse(d.start_at), end: Date.parse(d.end_at) });
    downtimeOf.set(d.machine_id, list);
  }
  const plain = new Map<string, number[]>();
  const out = new Map<string, number[] | null>();
  for (const m of machines) {
    if (!m.calendarId) {
      out.set(m.id, null);
      continue;
    }
    const calendar = calendars.get(m.calendarId)!;
    const cuts = downtimeOf.get(m.id);
    let minutes: number[];
    if (cuts) {
      minutes = minutesByPeriod(expandCalendar(calendar, window.from, window.to, cuts), periods);
    } else {
      minutes =
        plain.get(m.calendarId) ?? minutesByPeriod(expandCalendar(calendar, window.from, window.to), periods);
      plain.set(m.calendarId, minutes);
    }
    out.set(
      m.id,
      minutes.map((v) => v * m.capacity),
    );
  }
  return out;
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

function times(available: number | null, reported: number, planned: number) {
  return {
    availableMinutes: available === null ? null : minutes1(available),
    reportedMinutes: minutes1(reported),
    plannedMinutes: minutes1(planned),
    ...utilisation(available, reported, planned),
  };
}

export async function utilisationReport(db: Db, query: RangeQuery, now = new Date()) {
  const range = parseRange(query, todayOf(now));
  const from = Date.parse(range.fromIso);
  const to = Math.max(from, Math.min(Date.parse(range.toIso), now.getTime()));
  const endIso = new Date(to).toISOString();
  const periods = periodsOf(range);
  const [machines, downtimes, reportedRows, plannedRows] = await Promise.all([
    repo.machines(db.kysely),
    repo.downtimesIn(db.kysely, range.fromIso, endIso),
    reportedRunDays(db.kysely, range.from, endIso, periods),
    plannedRunDays(db.kysely, range.from, endIso, periods),
  ]);
  const available = await availability(db, machines, downtimes, { from, to }, periods);
  // Machines taken out of service are not reported on: the periods add up to the machines' totals.
  const active = new Set(machines.map((m) => m.id));
  const reportedActive = reportedRows.filter((r) => active.has(r.machineId));
  const plannedActive = plannedRows.filter((r) => active.has(r.machineId));
  const reported = perMachine(reportedActive);
  const planned = perMachine(plannedActive);

  const raw = machines.map((m) => {
    const byPeriod = available.get(m.id) ?? null;
    return {
      machine: m,
      available: byPeriod === null ? null : sum(byPeriod),
      reported: runMinutes(reported.get(m.id)?.run ?? 0),
      planned: planned.get(m.id)?.run ?? 0,
      reports: reported.get(m.id)?.count ?? 0,
    };
  });
  const centers = new Map<
    string,
    { m: repo.MachineInfo; machines: number; a: number; r: number; p: number }
  >();
  for (const x of raw) {
    const c = centers.get(x.machine.workCenterId) ?? { m: x.machine, machines: 0, a: 0, r: 0, p: 0 };
    c.machines++;
    c.a += x.available ?? 0;
    c.r += x.reported;
    c.p += x.planned;
    centers.set(x.machine.workCenterId, c);
  }
  const periodAvailable = periods.map((_, i) => sum(machines.map((m) => available.get(m.id)?.[i] ?? 0)));
  const reportedDaily = rollUp(
    range,
    reportedActive.map((d) => ({ day: d.day, run: runMinutes(d.run) })),
    ['run'],
  );
  const plannedDaily = rollUp(range, plannedActive, ['run']);
  const totalAvailable = sum(raw.map((x) => x.available ?? 0));
  return {
    ...head(range),
    windowEnd: endIso,
    totals: {
      machines: raw.length,
      machinesWithoutCalendar: raw.filter((x) => x.available === null).length,
      ...times(totalAvailable, sum(raw.map((x) => x.reported)), sum(raw.map((x) => x.planned))),
      availableMinutes: minutes1(totalAvailable),
    },
    periods: periods.map((p, i) => ({
      period: p.key,
      ...times(periodAvailable[i]!, reportedDaily[i]!.run, plannedDaily[i]!.run),
      availableMinutes: minutes1(periodAvailable[i]!),
    })),
    workCenters: [...centers.values()].map((c) => ({
      id: c.m.workCenterId,
      code: c.m.workCenterCode,
      name: c.m.workCenterName,
      machines: c.machines,
      ...times(c.a, c.r, c.p),
      availableMinutes: minutes1(c.a),
    })),
    machines: raw.map((x) => ({
      id: x.machine.id,
      code: x.machine.code,
      name: x.machine.name,
      workCenterId: x.machine.workCenterId,
      workCenterCode: x.machine.workCenterCode,
      capacity: x.machine.capacity,
      ...times(x.available, x.reported, x.planned),
      reports: x.reports,
    })),
  };
}
export type UtilisationReport = Awaited<ReturnType<typeof utilisationReport>>;

/** utilisationReport on a read thread (read-threads.ts), as the other reports. */
export const utilisationReportOffThread = offThread(import.meta.url, 'utilisationReport', utilisationReport);
