import type {
  Leaderboard,
  PeriodQuery,
  PieceRate,
  PieceRateSet,
  PointsRulesBody,
  WageStatement,
} from '@takt/contracts';
import { recordAudit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { offThread } from '../../platform/db/read-threads.ts';
import { invalidField } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { formatMoney, formatQty, parseMoneyField } from '../../platform/units.ts';
import { itemsByIds } from '../items/item.service.ts';
import {
  type Completion,
  DEFAULT_POINTS,
  type PointsRules,
  type ReportFact,
  rateKey,
  scores,
  wageLines,
} from './pay.rules.ts';

/**
 * The period's reports by operators (of one, with `operatorId`), from the first day's start to the
 * last day's end (UTC dates); a period ending before it starts is refused.
 */
function periodReports(db: Db, q: PeriodQuery) {
  if (q.from > q.to)
    throw invalidField('/querystring/from', 'must not be after to', { detail: 'from is after to' });
  const query = db.kysely
    .selectFrom('operation_reports as r')
    .where('r.reported_at', '>=', `${q.from}T00:00:00.000Z`)
    .where('r.reported_at', '<=', `${q.to}T23:59:59.999Z`)
    .where('r.operator_id', 'is not', null);
  return q.operatorId ? query.where('r.operator_id', '=', q.operatorId) : query;
}

/** The period's reports with what pays them: the item and step of their operation. */
async function reportFacts(db: Db, q: PeriodQuery): Promise<ReportFact[]> {
  const rows = await periodReports(db, q)
    .innerJoin('work_order_operations as o', 'o.id', 'r.operation_id')
    .innerJoin('work_orders as w', 'w.id', 'o.work_order_id')
    .innerJoin('items as i', 'i.id', 'w.item_id')
    .select([
      'r.id',
      'r.operator_id',
      'r.good',
      'r.scrap',
      'r.reported_at',
      'o.seq',
      'w.item_id',
      'w.code',
      'i.code as item_code',
    ])
    .orderBy('r.reported_at')
    .execute();
  return rows.map((r) => ({
    reportId: r.id,
    operatorId: r.operator_id ?? '',
    itemId: r.item_id,
    itemCode: r.item_code,
    workOrderCode: r.code,
    seq: r.seq,
    good: Number(r.good),
    scrap: Number(r.scrap),
    reportedAt: r.reported_at,
  }));
}

/** The period's reports as the leaderboard counts them: who reported how much (no joins). */
async function reportCounts(
  db: Db,
  q: PeriodQuery,
): Promise<Pick<ReportFact, 'operatorId' | 'good' | 'scrap'>[]> {
  const rows = await periodReports(db, q).select(['r.operator_id', 'r.good', 'r.scrap']).execute();
  return rows.map((r) => ({ operatorId: r.operator_id ?? '', good: Number(r.good), scrap: Number(r.scrap) }));
}

/** Names and teams of operators, who are users (terminal sign-in) or employees. */
async function people(db: Db, ids: readonly string[]): Promise<Map<string, { name: string; team: string }>> {
  const out = new Map<string, { name: string; team: string }>();
  if (ids.length === 0) return out;
  const users = await db.kysely
    .selectFrom('users as u')
    .leftJoin('teams as t', 't.id', 'u.team_id')
    .select(['u.id', 'u.display_name', 't.name as team'])
    .where('u.id', 'in', ids)
    .execute();
  for (const u of users) out.set(u.id, { name: u.display_name, team: u.team ?? '' });
  const employees = await db.kysely
    .selectFrom('employees')
    .select(['id', 'name', 'team'])
    .where('id', 'in', ids)
    .execute();
  for (const e of employees) out.set(e.id, { name: e.name, team: e.team });
  return out;
}

export async function wageStatement(db: Db, q: PeriodQuery): Promise<WageStatement> {
  const facts = await reportFacts(db, q);
  const rates = await db.kysely.selectFrom('piece_rates').selectAll().execute();
  const lines = wageLines(
    facts,
    new Map(
      rates.map((r) => [
        rateKey(r.item_id, r.seq),
        { rate: Number(r.rate), scrapDeduction: Number(r.scrap_deduction) },
      ]),
    ),
  );
  const who = await people(db, [...new Set(lines.map((l) => l.operatorId))]);
  const grouped = new Map<string, typeof lines>();
  for (const l of lines) {
    const of = grouped.get(l.operatorId);
    if (of) of.push(l);
    else grouped.set(l.operatorId, [l]);
  }
  return {
    from: q.from,
    to: q.to,
    operators: [...grouped].map(([operatorId, ls]) => ({
      operatorId,
      name: who.get(operatorId)?.name ?? operatorId,
      team: who.get(operatorId)?.team ?? '',
      total: formatMoney(ls.reduce((n, l) => n + l.amount, 0)),
      unrated: ls.filter((l) => !l.rated).length,
      reports: ls.length,
      lines: (q.lines === 'none' && q.format !== 'csv' ? [] : ls).map((l) => ({
        reportId: l.reportId,
        reportedAt: l.reportedAt,
        workOrderCode: l.workOrderCode,
        itemCode: l.itemCode,
        seq: l.seq,
        good: formatQty(l.good),
        scrap: formatQty(l.scrap),
        rate: formatMoney(l.rate),
        amount: formatMoney(l.amount),
      })),
    })),
  };
}

export function statementCsv(s: WageStatement): string {
  const esc = (v: string | number) =>
    /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v);
  const rows = [
    [
      'operator',
      'name',
      'team',
      'reported_at',
      'work_order',
      'item',
      'seq',
      'good',
      'scrap',
      'rate',
      'amount',
    ],
  ];
  for (const o of s.operators) {
    for (const l of o.lines)
      rows.push([
        o.operatorId,
        o.name,
        o.team,
        l.reportedAt,
        l.workOrderCode,
        l.itemCode,
        String(l.seq),
        l.good,
        l.scrap,
        l.rate,
        l.amount,
      ]);
    rows.push([o.operatorId, o.name, o.team, '', '', '', '', '', '', 'total', o.total]);
  }
  return `\ufeff${rows.map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
}

export async function pointsRules(db: Db): Promise<PointsRules> {
  const row = await db.kysely
    .selectFrom('points_rules')
    .select('rules')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? { ...DEFAULT_POINTS, ...(JSON.parse(row.rules) as Partial<PointsRules>) } : DEFAULT_POINTS;
}

export async function setPointsRules(db: Db, ctx: Ctx, rules: PointsRulesBody): Promise<PointsRules> {
  await db.transaction(async (tx) => {
    const before = await tx.selectFrom('points_rules').selectAll().where('id', '=', 1).executeTakeFirst();
    const row = { id: 1, rules: JSON.stringify(rules), updated_at: nowIso() };
    await tx
      .insertInto('points_rules')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ rules: row.rules, updated_at: row.updated_at }))
      .execute();
    await recordAudit(tx, ctx, {
      entityType: 'points_rules',
      entityId: '1',
      action: before ? 'update' : 'create',
      before: before ? JSON.parse(before.rules) : null,
      after: rules,
    });
  });
  return pointsRules(db);
}

export async function leaderboard(db: Db, q: PeriodQuery): Promise<Leaderboard> {
  const facts = await reportCounts(db, q);
  const done = await db.kysely
    .selectFrom('work_order_history as h')
    .innerJoin('work_orders as w', 'w.id', 'h.work_order_id')
    .innerJoin('work_order_operations as o', 'o.id', 'h.operation_id')
    .select(['h.at', 'h.actor_id', 'o.operator_id', 'w.due_date'])
    .where('h.action', '=', 'operation.complete')
    .where('h.at', '>=', `${q.from}T00:00:00.000Z`)
    .where('h.at', '<=', `${q.to}T23:59:59.999Z`)
    .execute();
  const completions: Completion[] = done
    .map((d) => ({ operatorId: d.operator_id ?? d.actor_id ?? '', completedAt: d.at, dueDate: d.due_date }))
    .filter((c) => c.operatorId !== '' && (!q.operatorId || c.operatorId === q.operatorId));
  const rules = await pointsRules(db);
  const list = scores(facts, completions, rules);
  const who = await people(
    db,
    list.map((s) => s.operatorId),
  );
  const operators = list.map((s) => ({
    ...s,
    name: who.get(s.operatorId)?.name ?? s.operatorId,
    team: who.get(s.operatorId)?.team ?? '',
  }));
  const teams = new Map<string, { points: number; operators: number }>();
  for (const o of operators) {
    const t = teams.get(o.team) ?? { points: 0, operators: 0 };
    teams.set(o.team, { points: t.points + o.points, operators: t.operators + 1 });
  }
  return {
    from: q.from,
    to: q.to,
    rules,
    operators,
    teams: [...teams].map(([team, t]) => ({ team, ...t })).sort((a, b) => b.points - a.points),
  };
}

/**
 * The piece rates by item code and step. Read from the rates, then their items by key: joined and
 * sorted in one statement, SQLite walked every item in code order (450,000 in a large plant) to find
 * the few that have rates.
 */
export async function listRates(db: Db): Promise<PieceRate[]> {
  const rows = await db.kysely
    .selectFrom('piece_rates')
    .select(['item_id', 'seq', 'rate', 'scrap_deduction'])
    .execute();
  const codes = new Map(
    (
      await itemsByIds(
        db.kysely,
        rows.map((r) => r.item_id),
      )
    ).map((i) => [i.id, i.code]),
  );
  return rows
    .filter((r) => codes.has(r.item_id))
    .map((r) => ({
      itemId: r.item_id,
      itemCode: codes.get(r.item_id)!,
      seq: r.seq,
      rate: formatMoney(Number(r.rate)),
      scrapDeduction: formatMoney(Number(r.scrap_deduction)),
    }))
    .sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : a.seq - b.seq));
}

export async function setRate(db: Db, ctx: Ctx, input: PieceRateSet): Promise<PieceRate> {
  const rate = parseMoneyField('/rate', input.rate);
  const deduction = parseMoneyField('/scrapDeduction', input.scrapDeduction ?? '0');
  if (rate < 0 || deduction < 0)
    throw invalidField(rate < 0 ? '/rate' : '/scrapDeduction', 'must not be negative', {
      detail: 'Rates are not negative',
    });
  await db.transaction(async (tx) => {
    const item = await tx.selectFrom('items').select('id').where('id', '=', input.itemId).executeTakeFirst();
    if (!item) throw invalidField('/itemId', 'is not a known item', { detail: 'Unknown item' });
    const before = await tx
      .selectFrom('piece_rates')
      .selectAll()
      .where('item_id', '=', input.itemId)
      .where('seq', '=', input.seq)
      .executeTakeFirst();
    const row = {
      id: before?.id ?? newId(),
      item_id: input.itemId,
      seq: input.seq,
      rate,
      scrap_deduction: deduction,
      updated_at: nowIso(),
    };
    await tx
      .insertInto('piece_rates')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['item_id', 'seq'])
          .doUpdateSet({ rate, scrap_deduction: deduction, updated_at: row.updated_at }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      entityType: 'piece_rate',
      entityId: row.id,
      action: before ? 'update' : 'create',
      before: before ?? null,
      after: row,
    });
  });
  return (await listRates(db)).find((r) => r.itemId === input.itemId && r.seq === input.seq)!;
}

/*
 * The leaderboard on a read thread (read-threads.ts): a month of a large plant's reports is over a
 * hundred thousand rows, a second of queries that would hold the server's event loop.
 */
export const leaderboardOffThread = offThread(import.meta.url, 'leaderboard', leaderboard);

/**
 * The statement as the bytes the route sends (UTF-8): CSV for `format=csv`, else JSON. Made where
 * the statement is computed, so on a read thread only the bytes cross back: a month of a large
 * plant is over a hundred thousand lines, whose copy between threads and serialisation held the
 * server's event loop about a second.
 */
export async function wageStatementBytes(db: Db, q: PeriodQuery): Promise<Uint8Array> {
  const statement = await wageStatement(db, q);
  return Buffer.from(q.format === 'csv' ? statementCsv(statement) : JSON.stringify(statement));
}
export const wageStatementBytesOffThread = offThread(
  import.meta.url,
  'wageStatementBytes',
  wageStatementBytes,
);
