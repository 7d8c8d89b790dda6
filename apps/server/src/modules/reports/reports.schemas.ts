import { type Static, Type } from 'typebox';

/**
 * Shapes of the report answers. Quantities are plain numbers (stored thousandths divided out, mixed
 * units summed as they are), money is in currency units with two decimals, times in minutes, ratios
 * in percent with one decimal (null when there is nothing to divide by). Sales money is given per
 * currency (the sales orders' own, never converted or added across currencies); values at standard
 * cost (stock, work in progress) are one figure in the currency standard costs are kept in.
 */
const Pct = Type.Union([Type.Number(), Type.Null()]);
const Currency = Type.String({ description: 'ISO 4217 code of the sales orders', maxLength: 3 });
const Values = Type.Array(Type.Object({ currency: Currency, value: Type.Number() }), {
  description: 'money per currency, in order of the currency code',
});
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });

export const RangeQuery = Type.Object(
  {
    from: Type.Optional({ ...Day, description: 'first day (UTC), included; default 89 days before `to`' }),
    to: Type.Optional({ ...Day, description: 'last day (UTC), included; default today' }),
    groupBy: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
        description: 'period of the series; default by span (day ≤ 31 days, week ≤ 184, else month)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RangeQuery = Static<typeof RangeQuery>;

const RangeHead = {
  from: Type.String(),
  to: Type.String(),
  groupBy: Type.String(),
};

export const DeliveryReport = Type.Object({
  ...RangeHead,
  totals: Type.Object({
    delivered: Type.Integer(),
    onTime: Type.Integer(),
    late: Type.Integer(),
    onTimePct: Pct,
    qty: Type.Number(),
    values: Values,
  }),
  periods: Type.Array(
    Type.Object({
      period: Type.String(),
      delivered: Type.Integer(),
      onTime: Type.Integer(),
      late: Type.Integer(),
      onTimePct: Pct,
      qty: Type.Number(),
      values: { ...Values, description: 'one entry for each currency of the range, zero where none' },
    }),
  ),
  backlog: Type.Object({
    orders: Type.Integer(),
    lines: Type.Integer(),
    qty: Type.Number(),
    overdueLines: Type.Integer(),
    overdueQty: Type.Number(),
    values: Type.Array(
      Type.Object({ currency: Currency, value: Type.Number(), overdueValue: Type.Number() }),
      { description: 'open and overdue value per currency, in order of the currency code' },
    ),
  }),
});

const Output = {
  orders: Type.Integer(),
  planned: Type.Number(),
  good: Type.Number(),
  scrap: Type.Number(),
  scrapRatePct: Pct,
};

export const ProductionReport = Type.Object({
  ...RangeHead,
  totals: Type.Object(Output),
  periods: Type.Array(Type.Object({ period: Type.String(), ...Output })),
  scrapReasons: Type.Array(
    Type.Object({
      reason: Type.Union([Type.String(), Type.Null()]),
      reports: Type.Integer(),
      scrap: Type.Number(),
    }),
  ),
  wip: Type.Object({
    orders: Type.Integer(),
    qty: Type.Number(),
    good: Type.Number(),
    value: Type.Number({ description: 'planned quantity at standard cost' }),
    byStatus: Type.Array(
      Type.Object({
        status: Type.String(),
        orders: Type.Integer(),
        qty: Type.Number(),
        good: Type.Number(),
        value: Type.Number(),
      }),
    ),
  }),
});

const Valued = { items: Type.Integer(), qty: Type.Number(), value: Type.Number(), sharePct: Pct };

export const InventoryReport = Type.Object({
  asOf: Type.String(),
  totals: Type.Object({
    items: Type.Integer(),
    qty: Type.Number(),
    value: Type.Number({ description: 'on-hand quantity × item standard cost' }),
    uncostedItems: Type.Integer({ description: 'items with stock but no standard cost (valued at 0)' }),
  }),
  byType: Type.Array(Type.Object({ type: Type.String(), ...Valued })),
  byWarehouse: Type.Array(
    Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), ...Valued }),
  ),
  topItems: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      type: Type.String(),
      uom: Type.String(),
      standardCost: Type.Number(),
      qty: Type.Number(),
      value: Type.Number(),
      sharePct: Pct,
    }),
  ),
});

const Times = {
  availableMinutes: Type.Number(),
  reportedMinutes: Type.Number(),
  plannedMinutes: Type.Number(),
  utilisationPct: Pct,
  plannedLoadPct: Pct,
};

export const UtilisationReport = Type.Object({
  ...RangeHead,
  windowEnd: Type.String({ description: 'the window stops at the request time when `to` is today or later' }),
  totals: Type.Object({ machines: Type.Integer(), machinesWithoutCalendar: Type.Integer(), ...Times }),
  periods: Type.Array(Type.Object({ period: Type.String(), ...Times })),
  workCenters: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      machines: Type.Integer(),
      ...Times,
    }),
  ),
  machines: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      workCenterId: Type.String(),
      workCenterCode: Type.String(),
      capacity: Type.Integer(),
      ...Times,
      availableMinutes: Type.Union([Type.Number(), Type.Null()]),
      reports: Type.Integer(),
    }),
  ),
});
