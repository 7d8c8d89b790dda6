import { BASIS_POINTS_PER_UNIT, QTY_SCALE } from '@takt/domain';

/**
 * Pure routing rules. Operations form a DAG by their predecessors (seq numbers); an operation that
 * names none follows the previous one in sequence, an explicit empty list makes it a start. Run times
 * are thousandths of a minute per unit, so durations are exact until the final round-up to minutes.
 */
export interface OperationShape {
  readonly seq: number;
  readonly predecessors?: readonly number[] | undefined;
}

export interface Problem {
  readonly field: string;
  readonly message: string;
}

/** Positions of the machines already listed before them in one operation's alternatives. */
export function repeatedMachines(machineIds: readonly string[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  machineIds.forEach((id, i) => {
    if (seen.has(id)) repeated.add(i);
    seen.add(id);
  });
  return repeated;
}

/** Predecessors with the default (previous in sequence) filled in; input order is kept. */
export function resolvePredecessors(ops: readonly OperationShape[]): number[][] {
  const bySeq = [...ops].map((o) => o.seq).sort((a, b) => a - b);
  return ops.map((o) => {
    if (o.predecessors) return [...new Set(o.predecessors)].sort((a, b) => a - b);
    const i = bySeq.indexOf(o.seq);
    return i > 0 ? [bySeq[i - 1]!] : [];
  });
}

/** Duplicate and unknown seq numbers, self references; each names its field. */
export function checkOperations(ops: readonly OperationShape[], preds: readonly number[][]): Problem[] {
  const problems: Problem[] = [];
  const seqs = new Set<number>();
  ops.forEach((o, i) => {
    if (seqs.has(o.seq)) problems.push({ field: `/operations/${i}/seq`, message: 'is used twice' });
    seqs.add(o.seq);
  });
  ops.forEach((o, i) => {
    (preds[i] ?? []).forEach((p) => {
      const at = o.predecessors ? o.predecessors.indexOf(p) : 0;
      if (p === o.seq)
        problems.push({
          field: `/operations/${i}/predecessors/${at}`,
          message: 'cannot be the operation itself',
        });
      else if (!seqs.has(p))
        problems.push({
          field: `/operations/${i}/predecessors/${at}`,
          message: `names no operation (seq ${p})`,
        });
    });
  });
  return problems;
}

/** A cycle among the operations as seq numbers closing on the first (10 → 20 → 10), or null. */
export function findOperationCycle(
  ops: readonly OperationShape[],
  preds: readonly number[][],
): number[] | null {
  const after = new Map<number, number[]>();
  ops.forEach((o, i) => {
    for (const p of preds[i] ?? []) after.set(p, [...(after.get(p) ?? []), o.seq]);
  });
  const state = new Map<number, 1 | 2>();
  const stack: number[] = [];
  const visit = (seq: number): number[] | null => {
    state.set(seq, 1);
    stack.push(seq);
    for (const next of after.get(seq) ?? []) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(seq, 2);
    return null;
  };
  for (const o of [...ops].sort((a, b) => a.seq - b.seq)) {
    if (!state.has(o.seq)) {
      const found = visit(o.seq);
      if (found) return found;
    }
  }
  return null;
}

/** '1.25' minutes → 1250 thousandths. The schema has checked the syntax. */
export function parseRunMinutes(text: string): number {
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

export function formatRunMinutes(mmin: number): string {
  const whole = Math.floor(mmin / 1000);
  const frac = String(mmin % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/**
 * Whole minutes to run `qty` (thousandths) at `runMmin` per unit on a machine of `efficiencyBp`:
 * ceil(qty × run / efficiency), rounded once.
 */
export function runMinutesFor(qty: number, runMmin: number, efficiencyBp: number): number {
  const num = BigInt(qty) * BigInt(runMmin) * BigInt(BASIS_POINTS_PER_UNIT);
  const den = BigInt(QTY_SCALE) * 1000n * BigInt(efficiencyBp);
  const q = num / den;
  return Number(num % den === 0n ? q : q + 1n);
}
