import type { StartFacts } from './operation-guards.ts';
import { ok, type Result, refuse } from './result.ts';

export type InspectionState = 'requested' | 'passed' | 'failed';
export type FirstArticleState = StartFacts['firstArticle'];

/**
 * Where an operation stands on its first-article check: the latest inspection counts (a failed
 * piece is followed by a new request once the setup is corrected).
 */
export function firstArticleState(required: boolean, latest: InspectionState | null): FirstArticleState {
  if (!required) return 'not_required';
  if (latest === 'passed') return 'passed';
  if (latest === 'failed') return 'failed';
  return 'pending';
}

/** One measured characteristic: decimal text as entered; tolerances are deviations from nominal. */
export interface Characteristic {
  readonly name: string;
  readonly nominal: string | null;
  /** Allowed deviation below nominal (a positive number, or null for no lower limit). */
  readonly lowerTol: string | null;
  /** Allowed deviation above nominal (a positive number, or null for no upper limit). */
  readonly upperTol: string | null;
  readonly measured: string;
}

export type CharacteristicCode = 'CHARACTERISTIC_NOT_A_NUMBER' | 'TOLERANCE_WITHOUT_NOMINAL';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Whether a measured value lies within nominal − lower … nominal + upper (limits inclusive). Values
 * compare as decimals scaled to a common number of places, so 10.05 against 10 ± 0.05 is exact.
 */
export function characteristicConforms(
  c: Characteristic,
): Result<boolean, CharacteristicCode> & { readonly field?: string } {
  for (const [field, v] of [
    ['measured', c.measured],
    ['nominal', c.nominal],
    ['lowerTol', c.lowerTol],
    ['upperTol', c.upperTol],
  ] as const) {
    if (v !== null && !DECIMAL.test(v.trim())) {
      return { ...refuse('CHARACTERISTIC_NOT_A_NUMBER', `${field} is not a decimal number`), field };
    }
  }
  if (c.nominal === null) {
    if (c.lowerTol !== null || c.upperTol !== null) {
      return {
        ...refuse('TOLERANCE_WITHOUT_NOMINAL', 'a tolerance needs a nominal value'),
        field: 'nominal',
      };
    }
    return ok(true);
  }
  const values = [c.measured, c.nominal, c.lowerTol ?? '0', c.upperTol ?? '0'].map((v) => v.trim());
  const places = Math.max(...values.map((v) => v.split('.')[1]?.length ?? 0));
  const [measured, nominal, lower, upper] = values.map((v) => scaled(v, places)) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const lo = nominal - (lower < 0n ? -lower : lower);
  const hi = nominal + (upper < 0n ? -upper : upper);
  const aboveLow = c.lowerTol === null || measured >= lo;
  const belowHigh = c.upperTol === null || measured <= hi;
  return ok(aboveLow && belowHigh);
}

function scaled(v: string, places: number): bigint {
  const negative = v.startsWith('-');
  const [int = '0', frac = ''] = (negative ? v.slice(1) : v).split('.');
  const n = BigInt(int + frac.padEnd(places, '0'));
  return negative ? -n : n;
}

export type InspectionResultCode = 'PASS_WITH_NONCONFORMING' | 'INSPECTION_ALREADY_RECORDED';

/**
 * Recording a result: only an open request takes one, and a pass cannot carry a measurement outside
 * its tolerance (the inspector records a fail, or a concession outside the system).
 */
export function checkInspectionResult(
  state: InspectionState,
  result: 'pass' | 'fail',
  conforming: readonly boolean[],
): Result<InspectionState, InspectionResultCode> {
  if (state !== 'requested') {
    return refuse('INSPECTION_ALREADY_RECORDED', `The inspection is already ${state}`, { state });
  }
  const bad = conforming.findIndex((c) => !c);
  if (result === 'pass' && bad >= 0) {
    return refuse('PASS_WITH_NONCONFORMING', 'A characteristic is outside its tolerance', { line: bad });
  }
  return ok(result === 'pass' ? 'passed' : 'failed');
}
