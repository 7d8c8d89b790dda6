import type { Selectable } from 'kysely';
import type { RoutingAlternativesTable, RoutingOperationsTable } from '../../platform/db/schema.ts';
import { formatRunMinutes, parseRunMinutes, repeatedMachines } from '../routings/routing.rules.ts';
import type { SheetColumn } from './sheet-spec.ts';
import { codeKey, type RowReader } from './sheet-spec.ts';

/**
 * The alternative machines of a routing operation in one cell of the routing sheet, entries separated
 * by ";" (also "；", "," or a line break): MACHINE:run:setup:priority, e.g. "CNC-02:2.5:20:1; CNC-03:3".
 * Run is minutes per unit on that machine (up to 3 decimals; left out = the operation's run time),
 * setup its setup minutes ("-" or left out = the operation's), priority 0–99 (lower is preferred;
 * left out = 0). An empty cell means no alternatives (every machine of the work center may run the
 * operation), as in the routing API; a machine need not belong to the operation's work center.
 */
export const ALTERNATIVES_COLUMN: SheetColumn = {
  key: 'alternatives',
  zh: '备选设备',
  en: 'Alternative machines',
  width: 28,
};

/** Alternatives as the routing API allows them per operation. */
const MAX_ALTERNATIVES = 50;

export type AlternativeCell = Omit<RoutingAlternativesTable, 'id' | 'operation_id'>;

const FORM = 'is not MACHINE:run:setup:priority (e.g. CNC-02:2.5:20:1)';

/**
 * The alternatives of one row, or undefined when the file has no such column (an upsert then keeps
 * the ones the operation has). `opRun` is the operation's run time, the default of an entry.
 */
export function readAlternatives(
  r: RowReader,
  machines: ReadonlyMap<string, string>,
  opRun: number | undefined,
): AlternativeCell[] | undefined {
  const text = r.cell('alternatives');
  if (text === undefined) return undefined;
  const fail = (value: string, message: string) => r.fail('alternatives', value, message);
  const entries = text
    .split(/[;；,，\n]+/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length > MAX_ALTERNATIVES) {
    fail(text, `lists more than ${MAX_ALTERNATIVES} machines`);
    return [];
  }
  const out: (AlternativeCell & { entry: string })[] = [];
  for (const entry of entries) {
    const errors = r.errors.length;
    const [rawCode = '', runText = '', setupText = '', priorityText = '', ...rest] = entry
      .split(/[:：]/)
      .map((p) => p.trim());
    if (rest.length > 0 || rawCode === '') {
      fail(entry, FORM);
      continue;
    }
    const machine = machines.get(codeKey(rawCode));
    if (!machine) fail(entry, `${rawCode} is not the code of an existing machine`);
    let run = opRun;
    if (runText !== '') {
      if (/^\d{1,7}(\.\d{1,3})?$/.test(runText)) run = parseRunMinutes(runText);
      else fail(entry, `run time ${runText} is not minutes with up to 3 decimals`);
    }
    let setup: number | null = null;
    if (setupText !== '' && setupText !== '-') {
      const n = Number(setupText);
      if (Number.isInteger(n) && n >= 0 && n <= 100_000) setup = n;
      else fail(entry, `setup ${setupText} must be whole minutes, 0–100000, or "-"`);
    }
    let priority = 0;
    if (priorityText !== '') {
      const n = Number(priorityText);
      if (Number.isInteger(n) && n >= 0 && n <= 99) priority = n;
      else fail(entry, `priority ${priorityText} must be a whole number, 0–99`);
    }
    if (machine && run !== undefined && r.errors.length === errors)
      out.push({ entry, machine_id: machine, run_mmin: run, setup_minutes: setup, priority });
  }
  const repeated = repeatedMachines(out.map((a) => a.machine_id));
  out.forEach((a, i) => {
    if (repeated.has(i)) fail(a.entry, `${a.entry.split(/[:：]/)[0]!.trim()} is listed twice`);
  });
  return out.map(({ entry: _, ...a }) => a);
}

/** The cell an export writes: the shortest entry that reads back as the same alternative. */
export function alternativesCell(
  alts: readonly AlternativeCell[],
  machineCodes: ReadonlyMap<string, string>,
): string {
  return alts
    .map((a) => {
      const parts = [machineCodes.get(a.machine_id) ?? a.machine_id, formatRunMinutes(Number(a.run_mmin))];
      const priority = Number(a.priority);
      if (a.setup_minutes !== null || priority !== 0)
        parts.push(a.setup_minutes === null ? '-' : String(a.setup_minutes));
      if (priority !== 0) parts.push(String(priority));
      return parts.join(':');
    })
    .join('; ');
}

type OperationRow = Omit<Selectable<RoutingOperationsTable>, 'id' | 'routing_id'> & { id: string };

interface Operations {
  readonly ops: readonly OperationRow[];
  readonly alts: readonly (AlternativeCell & { operation_id: string })[];
}

/** What a routing's operations say, ids aside, in seq order (alternatives by priority). */
function shape({ ops, alts }: Operations): string {
  return JSON.stringify(
    [...ops]
      .sort((a, b) => a.seq - b.seq)
      .map((o) => [
        o.seq,
        o.name,
        o.work_center_id,
        Number(o.setup_minutes),
        Number(o.run_mmin),
        o.transfer_batch === null ? null : Number(o.transfer_batch),
        o.skill_code,
        o.skill_level === null ? null : Number(o.skill_level),
        o.tool_code,
        Number(o.wait_minutes),
        Number(o.overlap),
        Number(o.inspection),
        o.predecessors,
        o.instructions_url ?? null,
        o.drawing_url ?? null,
        alts
          .filter((a) => a.operation_id === o.id)
          .map((a) => [a.machine_id, Number(a.run_mmin), a.setup_minutes, Number(a.priority)])
          .sort((a, b) => Number(a[3]) - Number(b[3])),
      ]),
  );
}

/** Whether two sets of operations say the same (an import of an unchanged file writes nothing). */
export function sameOperations(a: Operations, b: Operations): boolean {
  return shape(a) === shape(b);
}
