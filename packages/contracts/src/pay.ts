import { type Static, Type } from 'typebox';
import { MoneyString, QtyString } from './items.ts';

export const PieceRate = Type.Object({
  itemId: Type.String(),
  itemCode: Type.String(),
  seq: Type.Integer(),
  rate: MoneyString,
  scrapDeduction: MoneyString,
});
export type PieceRate = Static<typeof PieceRate>;

export const PieceRateSet = Type.Object(
  {
    itemId: Type.String({ minLength: 1, maxLength: 64 }),
    seq: Type.Integer({ minimum: 1, maximum: 9999 }),
    rate: MoneyString,
    scrapDeduction: Type.Optional(MoneyString),
  },
  { additionalProperties: false },
);
export type PieceRateSet = Static<typeof PieceRateSet>;

export const PeriodQuery = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'first day, plant calendar' }),
    to: Type.String({ format: 'date', description: 'last day, inclusive' }),
    operatorId: Type.Optional(Type.String({ maxLength: 64 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    lines: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('none')], {
        description:
          "wage statement: `none` leaves each operator's report lines out (totals and counts only; a " +
          'month of a large plant is over a hundred thousand lines); default `all`. The CSV has all',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

export const WageStatement = Type.Object({
  from: Type.String(),
  to: Type.String(),
  operators: Type.Array(
    Type.Object({
      operatorId: Type.String(),
      name: Type.String(),
      team: Type.String(),
      total: MoneyString,
      unrated: Type.Integer({ description: 'reports without a piece rate (not paid here)' }),
      reports: Type.Integer({
        description: 'report lines in the period, also when `lines=none` leaves them out',
      }),
      lines: Type.Array(
        Type.Object({
          reportId: Type.String(),
          reportedAt: Type.String(),
          workOrderCode: Type.String(),
          itemCode: Type.String(),
          seq: Type.Integer(),
          good: QtyString,
          scrap: QtyString,
          rate: MoneyString,
          amount: MoneyString,
        }),
      ),
    }),
  ),
});
export type WageStatement = Static<typeof WageStatement>;

export const Leaderboard = Type.Object({
  from: Type.String(),
  to: Type.String(),
  rules: Type.Object({ firstPass: Type.Number(), onTime: Type.Number(), perGoodUnit: Type.Number() }),
  operators: Type.Array(
    Type.Object({
      operatorId: Type.String(),
      name: Type.String(),
      team: Type.String(),
      firstPass: Type.Integer(),
      onTime: Type.Integer(),
      goodUnits: Type.Integer(),
      points: Type.Number(),
    }),
  ),
  teams: Type.Array(Type.Object({ team: Type.String(), points: Type.Number(), operators: Type.Integer() })),
});
export type Leaderboard = Static<typeof Leaderboard>;

export const PointsRulesBody = Type.Object(
  {
    firstPass: Type.Number({ minimum: 0, maximum: 1000 }),
    onTime: Type.Number({ minimum: 0, maximum: 1000 }),
    perGoodUnit: Type.Number({ minimum: 0, maximum: 1000 }),
  },
  { additionalProperties: false },
);
export type PointsRulesBody = Static<typeof PointsRulesBody>;
