/**
 * Parsers for the classic benchmark layouts. They take the file text (no IO here) and return a
 * shop instance with 0-based machines; errors are `FormatError`s that name the line.
 */

export type BenchmarkFormat = 'orlib' | 'taillard' | 'fjs';

export const BENCHMARK_FORMATS: readonly BenchmarkFormat[] = ['orlib', 'taillard', 'fjs'];

export interface ShopAlternative {
  readonly machine: number;
  readonly minutes: number;
}

/** jobs[j][k] lists the eligible machines of the k-th operation of job j (one for job shop). */
export interface ShopBenchmark {
  readonly machines: number;
  readonly jobs: readonly (readonly (readonly ShopAlternative[])[])[];
}

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

interface Line {
  readonly number: number;
  readonly text: string;
}

function contentLines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (t !== '' && !t.startsWith('#')) out.push({ number: i + 1, text: t });
  });
  return out;
}

function integers(line: Line, what: string): number[] {
  return line.text.split(/\s+/).map((tok) => {
    if (!/^-?\d+$/.test(tok))
      throw new FormatError(`line ${line.number}: ${what}: "${tok}" is not an integer`);
    return Number(tok);
  });
}

function header(lines: readonly Line[], format: string): { jobs: number; machines: number } {
  const first = lines[0];
  if (first === undefined) throw new FormatError(`${format}: the file is empty`);
  const nums = integers(first, 'header');
  const [jobs, machines] = nums;
  if (jobs === undefined || machines === undefined || jobs <= 0 || machines <= 0) {
    throw new FormatError(`line ${first.number}: header must start with positive "<jobs> <machines>"`);
  }
  return { jobs, machines };
}

function checkMachine(m: number, machines: number, line: Line, oneBased: boolean): number {
  const idx = oneBased ? m - 1 : m;
  if (idx < 0 || idx >= machines) {
    const range = oneBased ? `1..${machines}` : `0..${machines - 1}`;
    throw new FormatError(`line ${line.number}: machine ${m} is outside ${range}`);
  }
  return idx;
}

function checkTime(t: number, line: Line): number {
  if (t < 0) throw new FormatError(`line ${line.number}: processing time ${t} is negative`);
  return t;
}

function expectLineCount(lines: readonly Line[], from: number, count: number, what: string): void {
  if (lines.length < from + count) {
    throw new FormatError(`expected ${count} ${what} lines, found ${Math.max(0, lines.length - from)}`);
  }
}

/** OR-Library "standard" job shop: `n m`, then per job `machine time` pairs, machines 0-based. */
export function parseOrlib(text: string): ShopBenchmark {
  const lines = contentLines(text);
  const { jobs, machines } = header(lines, 'orlib');
  expectLineCount(lines, 1, jobs, 'job');
  if (lines.length > 1 + jobs)
    throw new FormatError(`line ${lines[1 + jobs]?.number}: unexpected data after ${jobs} jobs`);
  const out = lines.slice(1, 1 + jobs).map((line) => {
    const nums = integers(line, 'job');
    if (nums.length % 2 !== 0) throw new FormatError(`line ${line.number}: expected "machine time" pairs`);
    const ops: ShopAlternative[][] = [];
    for (let i = 0; i < nums.length; i += 2) {
      ops.push([
        { machine: checkMachine(nums[i]!, machines, line, false), minutes: checkTime(nums[i + 1]!, line) },
      ]);
    }
    return ops;
  });
  return { machines, jobs: out };
}

function block(
  lines: readonly Line[],
  at: number,
  title: string,
  jobs: number,
  machines: number,
): number[][] {
  const titleLine = lines[at];
  if (titleLine === undefined || titleLine.text.toLowerCase() !== title.toLowerCase()) {
    const where = titleLine ? `line ${titleLine.number}` : 'end of file';
    throw new FormatError(`${where}: expected "${title}"`);
  }
  expectLineCount(lines, at + 1, jobs, `${title} row`);
  return lines.slice(at + 1, at + 1 + jobs).map((line) => {
    const nums = integers(line, title);
    if (nums.length !== machines)
      throw new FormatError(`line ${line.number}: expected ${machines} numbers, found ${nums.length}`);
    return nums;
  });
}

/** Taillard's layout: optional text header, `n m [seeds bounds]`, a Times block, a Machines block. */
export function parseTaillard(text: string): ShopBenchmark {
  let lines = contentLines(text);
  if (lines[0] !== undefined && /[a-z]/i.test(lines[0].text) && lines[0].text.toLowerCase() !== 'times') {
    lines = lines.slice(1);
  }
  const { jobs, machines } = header(lines, 'taillard');
  const times = block(lines, 1, 'Times', jobs, machines);
  const order = block(lines, 2 + jobs, 'Machines', jobs, machines);
  const extra = lines[3 + 2 * jobs];
  if (extra !== undefined)
    throw new FormatError(`line ${extra.number}: unexpected data after the Machines block`);
  const out = times.map((row, j) =>
    row.map((t, k) => {
      const line = lines[3 + jobs + j]!;
      return [
        { machine: checkMachine(order[j]![k]!, machines, line, true), minutes: checkTime(t, lines[2 + j]!) },
      ];
    }),
  );
  return { machines, jobs: out };
}

/** Brandimarte / FJSPLIB: `n m [avg]`, then per job `ops {k {machine time}×k}×ops`, machines 1-based. */
export function parseFjs(text: string): ShopBenchmark {
  const lines = contentLines(text);
  const first = lines[0];
  if (first === undefined) throw new FormatError('fjs: the file is empty');
  const head = first.text.split(/\s+/);
  const jobs = Number(head[0]);
  const machines = Number(head[1]);
  if (!Number.isInteger(jobs) || !Number.isInteger(machines) || jobs <= 0 || machines <= 0) {
    throw new FormatError(`line ${first.number}: header must start with positive "<jobs> <machines>"`);
  }
  expectLineCount(lines, 1, jobs, 'job');
  const out = lines.slice(1, 1 + jobs).map((line) => {
    const nums = integers(line, 'job');
    let at = 0;
    const take = (what: string): number => {
      const v = nums[at++];
      if (v === undefined) throw new FormatError(`line ${line.number}: line ends where ${what} was expected`);
      return v;
    };
    const count = take('the number of operations');
    const ops: ShopAlternative[][] = [];
    for (let k = 0; k < count; k++) {
      const alternatives = take(`the machine count of operation ${k + 1}`);
      if (alternatives <= 0) throw new FormatError(`line ${line.number}: operation ${k + 1} has no machine`);
      const alts: ShopAlternative[] = [];
      for (let a = 0; a < alternatives; a++) {
        const machine = checkMachine(take('a machine'), machines, line, true);
        alts.push({ machine, minutes: checkTime(take('a processing time'), line) });
      }
      ops.push(alts);
    }
    if (at !== nums.length)
      throw new FormatError(
        `line ${line.number}: ${nums.length - at} numbers left after ${count} operations`,
      );
    return ops;
  });
  const extra = lines[1 + jobs];
  if (extra !== undefined) throw new FormatError(`line ${extra.number}: unexpected data after ${jobs} jobs`);
  return { machines, jobs: out };
}

export function parseBenchmark(format: BenchmarkFormat, text: string): ShopBenchmark {
  if (format === 'orlib') return parseOrlib(text);
  if (format === 'taillard') return parseTaillard(text);
  return parseFjs(text);
}
