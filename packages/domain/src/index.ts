/**
 * @takt/domain: the pure rules of Takt. No IO, no clock, no randomness; safe in the server and the
 * browser. Times come in as arguments (`at`/`now` as ISO 8601 strings, calendar dates as YYYY-MM-DD).
 */
export * from './bom-levels.ts';
export * from './calendar.ts';
export * from './code-rules.ts';
export * from './first-article.ts';
export type { Rounding } from './decimal.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './ledger.ts';
export * from './mrp.ts';
export * from './operation-guards.ts';
export * from './operation-state.ts';
export * from './priority.ts';
export * from './quantity.ts';
export * from './result.ts';
export * from './rollup.ts';
export * from './transition.ts';
export * from './units.ts';
export * from './workorder-state.ts';
