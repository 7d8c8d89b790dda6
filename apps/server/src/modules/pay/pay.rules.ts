import { type Cents, lineAmount, type Qty } from '@takt/domain';

/**
 * Piece-rate pay and team points from accepted floor reports. Pure: the service reads the facts.
 * Pay per report = good × rate − scrap × deduction (money rounded half-up per line, as on a payslip).
 */
export interface ReportFact {
  readonly reportId: string;
  readonly operatorId: string;
  readonly itemId: string;
  readonly itemCode: string;
  readonly workOrderCode: string;
  readonly seq: number;
  readonly good: number;
  readonly scrap: number;
  readonly reportedAt: string;
}

export interface Rate {
  readonly rate: number;
  readonly scrapDeduction: number;
}

export interface WageLine extends ReportFact {
  readonly rate: number;
  readonly earned: number;
  readonly deducted: number;
  readonly amount: number;
  readonly rated: boolean;
}

export const rateKey = (itemId: string, seq: number) => `${itemId}#${seq}`;

export function wageLines(reports: readonly ReportFact[], rates: ReadonlyMap<string, Rate>): WageLine[] {
  return reports.map((r) => {
    const rate = rates.get(rateKey(r.itemId, r.seq));
    const earned = rate ? lineAmount(r.good as Qty, rate.rate as Cents) : 0;
    const deducted = rate ? lineAmount(r.scrap as Qty, rate.scrapDeduction as Cents) : 0;
    return {
      ...r,
      rate: rate?.rate ?? 0,
      earned,
      deducted,
      amount: earned - deducted,
      rated: rate !== undefined,
    };
  });
}

export interface PointsRules {
  /** For each report with no scrap. */
  readonly firstPass: number;
  /** For each operation completed by its work order's due date. */
  readonly onTime: number;
  /** Per whole good unit reported. */
  readonly perGoodUnit: number;
}

export const DEFAULT_POINTS: PointsRules = { firstPass: 2, onTime: 5, perGoodUnit: 0 };

export interface Completion {
  readonly operatorId: string;
  readonly completedAt: string;
  /** The work order's due date (plant calendar date) or null. */
  readonly dueDate: string | null;
}

export interface Score {
  readonly operatorId: string;
  readonly firstPass: number;
  readonly onTime: number;
  readonly goodUnits: number;
  readonly points: number;
}

export function scores(
  reports: readonly Pick<ReportFact, 'operatorId' | 'good' | 'scrap'>[],
  completions: readonly Completion[],
  rules: PointsRules,
): Score[] {
  const by = new Map<string, { firstPass: number; onTime: number; good: number }>();
  const get = (id: string) => {
    const found = by.get(id);
    if (found) return found;
    const fresh = { firstPass: 0, onTime: 0, good: 0 };
    by.set(id, fresh);
    return fresh;
  };
  for (const r of reports) {
    const s = get(r.operatorId);
    if (r.scrap === 0 && r.good > 0) s.firstPass++;
    s.good += r.good;
  }
  for (const c of completions) {
    if (c.dueDate !== null && c.completedAt.slice(0, 10) <= c.dueDate) get(c.operatorId).onTime++;
  }
  return [...by]
    .map(([operatorId, s]) => {
      const goodUnits = Math.floor(s.good / 1000);
      return {
        operatorId,
        firstPass: s.firstPass,
        onTime: s.onTime,
        goodUnits,
        points: s.firstPass * rules.firstPass + s.onTime * rules.onTime + goodUnits * rules.perGoodUnit,
      };
    })
    .sort((a, b) => b.points - a.points || (a.operatorId < b.operatorId ? -1 : 1));
}
