import { endAfterWork } from './calendar.ts';
import type { CLock, CMachine, CMode } from './compile.ts';
import type { Conflict, Problem } from './model.ts';
import { minutes, ProblemError } from './problem-error.ts';

/**
 * The lock of an operation in indexes. A lock that cannot be honoured at all (unknown machine, no
 * duration known, unit beyond capacity) blocks the operation with a conflict instead. A frozen lock
 * given by its remaining `workMinutes` ends where that work is done on the machine's calendar (the
 * rule is in `locks.ts`).
 */
export function compileLock(
  o: Problem['operations'][number],
  i: number,
  modes: readonly CMode[],
  machineIndex: ReadonlyMap<string, number>,
  machines: readonly CMachine[],
  block: (op: number, code: Conflict['code'], message: string) => void,
): CLock | null {
  const lock = o.lock;
  if (!lock) return null;
  const frozen = lock.kind === 'frozen';
  const code = frozen ? 'FROZEN_CONFLICT' : 'PINNED_CONFLICT';
  const machine = machineIndex.get(lock.machine);
  if (machine === undefined) {
    block(i, 'UNKNOWN_REFERENCE', `operation "${o.id}" is locked on unknown machine "${lock.machine}"`);
    return null;
  }
  const setup = minutes(lock.setupMinutes, 0, `lock of "${o.id}" setup`);
  const start = minutes(lock.start, 0, `lock of "${o.id}" start`);
  let end: number;
  if (lock.workMinutes !== undefined) {
    const what = `lock of "${o.id}" workMinutes`;
    const work = minutes(lock.workMinutes, 0, what);
    if (!frozen) throw new ProblemError(`${what}: only a frozen (running) operation has work left`);
    if (lock.end !== undefined) throw new ProblemError(`${what}: give either end or workMinutes, not both`);
    if (work < 0 || setup < 0) throw new ProblemError(`${what}: negative minutes`);
    end = endAfterWork(machines[machine]!.calendar, start, setup + work);
  } else {
    const mode = modes.find((m) => m.machine === machine);
    if (lock.end === undefined && !mode) {
      block(
        i,
        code,
        `operation "${o.id}" is locked on "${lock.machine}" which is not eligible and the lock has no end`,
      );
      return null;
    }
    end = minutes(lock.end, start + setup + (mode?.minutes ?? 0), `lock of "${o.id}" end`);
  }
  const unit = lock.unit ?? -1;
  if (unit >= machines[machine]!.capacity) {
    block(
      i,
      code,
      `operation "${o.id}" is locked on unit ${unit} of "${lock.machine}" which has ${machines[machine]!.capacity}`,
    );
    return null;
  }
  return { frozen, machine, unit, start, end, setup };
}
