import { daysBetween, type IsoDate } from './calendar.ts';
import type { Cents } from './money.ts';
import { ok, refuse, type Result } from './result.ts';
import { blankReason } from './transition.ts';
import type { Minutes } from './units.ts';

/**
 * A 0..100 score to order work orders or sales order lines. Explainable on purpose: planners on
 * the floor accept a ranking they can read, so every factor reports raw value, normalised value,
 * weight and points.
 */

export type CustomerTier = 'A' | 'B' | 'C';

export type PriorityOverride =
  | { readonly kind: 'pin'; readonly value: number; readonly reason: string }
  | { readonly kind: 'bonus'; readonly points: number; readonly reason: string };

export interface PriorityInput {
  readonly id: string;
  readonly dueDate: IsoDate;
  /** Work still to do (remaining run + setup); zero for stock already made. */
  readonly remainingWork: Minutes;
  readonly customerTier: CustomerTier;
  readonly orderValue: Cents;
  readonly override?: PriorityOverride | null;
}

export interface PriorityConfig {
  /** Relative weights; they are divided by their sum, so only ratios matter. */
  readonly weights: { readonly urgency: number; readonly customerTier: number; readonly orderValue: number };
  /** Working minutes per calendar day used to turn remaining work into days. */
  readonly minutesPerDay: number;
  /** Slack (days to due minus days of work) at or beyond which urgency is zero. */
  readonly horizonDays: number;
  /** Urgency when slack is exactly zero: the order is due as soon as its work can be done. */
  readonly atRiskUrgency: number;
  /** Days of negative slack at which urgency saturates at 1: later is not more urgent. */
  readonly overdueSaturationDays: number;
  readonly tierScores: Readonly<Record<CustomerTier, number>>;
  /** Order value scoring 1; smaller values scale linearly. */
  readonly valueCap: Cents;
}

/**
 * Defaults: urgency 60 %, customer tier 25 %, value 15 %; two shifts of 8 h (960 min) a day;
 * a 30-day horizon; slack 0 → urgency 0.8, 10 days late → 1; tiers A 1, B 0.6, C 0.3; value
 * capped at 100,000.00.
 */
export const DEFAULT_PRIORITY_CONFIG: PriorityConfig = {
  weights: { urgency: 0.6, customerTier: 0.25, orderValue: 0.15 },
  minutesPerDay: 960,
  horizonDays: 30,
  atRiskUrgency: 0.8,
  overdueSaturationDays: 10,
  tierScores: { A: 1, B: 0.6, C: 0.3 },
  valueCap: 10_000_000 as Cents,
};

export type PriorityFactor = 'urgency' | 'customer_tier' | 'order_value';

export interface PriorityBreakdown {
  readonly factor: PriorityFactor;
  /** Slack in days, the tier letter, or the value in cents. */
  readonly raw: number | string;
  readonly normalised: number;
  /** Share of the total weight, 0..1. */
  readonly weight: number;
  /** Points added to the score: normalised × weight × 100. */
  readonly contribution: number;
}

export interface PriorityScore {
  readonly id: string;
  readonly dueDate: IsoDate;
  readonly score: number;
  /** The score before any override. */
  readonly computedScore: number;
  readonly breakdown: readonly PriorityBreakdown[];
  readonly overridden: boolean;
  readonly override: PriorityOverride | null;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
/** Two decimals keep displayed and compared scores identical. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Validates a manual override as entered by a planner. */
export function makeOverride(
  kind: 'pin' | 'bonus',
  amount: number,
  reason: string,
): Result<PriorityOverride, 'REASON_REQUIRED' | 'OVERRIDE_OUT_OF_RANGE'> {
  if (blankReason(reason)) return refuse('REASON_REQUIRED', 'A priority override needs a reason');
  const lo = kind === 'pin' ? 0 : -100;
  if (!Number.isFinite(amount) || amount < lo || amount > 100) {
    return refuse('OVERRIDE_OUT_OF_RANGE', `Override must be between ${lo} and 100`, { amount });
  }
  return ok(
    kind === 'pin'
      ? { kind, value: amount, reason: reason.trim() }
      : { kind, points: amount, reason: reason.trim() },
  );
}

/** Piecewise linear in slack days: ≥ horizon → 0, 0 → atRisk, ≤ −saturation → 1. */
export function urgencyFromSlack(
  slackDays: number,
  config: PriorityConfig = DEFAULT_PRIORITY_CONFIG,
): number {
  const { horizonDays, atRiskUrgency, overdueSaturationDays } = config;
  if (slackDays >= horizonDays) return 0;
  if (slackDays >= 0) return atRiskUrgency * (1 - slackDays / horizonDays);
  if (slackDays <= -overdueSaturationDays) return 1;
  return atRiskUrgency + (1 - atRiskUrgency) * (-slackDays / overdueSaturationDays);
}

function checkConfig(config: PriorityConfig): number {
  const { urgency, customerTier, orderValue } = config.weights;
  const ws = [urgency, customerTier, orderValue];
  if (ws.some((w) => !Number.isFinite(w) || w < 0)) throw new RangeError('weights must be finite and >= 0');
  const total = urgency + customerTier + orderValue;
  if (total <= 0) throw new RangeError('at least one weight must be positive');
  if (!(config.minutesPerDay > 0 && config.horizonDays > 0 && config.overdueSaturationDays > 0)) {
    throw new RangeError('minutesPerDay, horizonDays and overdueSaturationDays must be positive');
  }
  if (!(config.valueCap > 0)) throw new RangeError('valueCap must be positive');
  return total;
}

/** Scores one order as of `today` (the plant's calendar date). */
export function computePriority(
  input: PriorityInput,
  today: IsoDate,
  config: PriorityConfig = DEFAULT_PRIORITY_CONFIG,
): PriorityScore {
  const totalWeight = checkConfig(config);
  const slack = round2(daysBetween(today, input.dueDate) - input.remainingWork / config.minutesPerDay);
  const factors: Array<[PriorityFactor, number | string, number, number]> = [
    ['urgency', slack, urgencyFromSlack(slack, config), config.weights.urgency],
    [
      'customer_tier',
      input.customerTier,
      clamp(config.tierScores[input.customerTier], 0, 1),
      config.weights.customerTier,
    ],
    [
      'order_value',
      input.orderValue,
      clamp(input.orderValue / config.valueCap, 0, 1),
      config.weights.orderValue,
    ],
  ];
  const breakdown = factors.map(([factor, raw, normalised, w]) => {
    const weight = w / totalWeight;
    return { factor, raw, normalised, weight, contribution: normalised * weight * 100 };
  });
  const computedScore = round2(
    clamp(
      breakdown.reduce((s, b) => s + b.contribution, 0),
      0,
      100,
    ),
  );
  const override = input.override ?? null;
  let score = computedScore;
  if (override !== null) {
    const amount = override.kind === 'pin' ? override.value : override.points;
    if (!Number.isFinite(amount) || blankReason(override.reason)) {
      throw new RangeError('invalid override; build it with makeOverride');
    }
    score = round2(clamp(override.kind === 'pin' ? amount : computedScore + amount, 0, 100));
  }
  return {
    id: input.id,
    dueDate: input.dueDate,
    score,
    computedScore,
    breakdown,
    overridden: override !== null,
    override,
  };
}

/**
 * Highest score first, then earliest due date, then id. Total and deterministic: ids are compared
 * by code unit (not locale), so every server and browser sorts the same way.
 */
export function compareByPriority(
  a: Pick<PriorityScore, 'score' | 'dueDate' | 'id'>,
  b: Pick<PriorityScore, 'score' | 'dueDate' | 'id'>,
): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
