import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { solveBenchmark } from './benchmark.ts';
import { BENCHMARK_FORMATS, type BenchmarkFormat, FormatError, parseBenchmark } from './formats.ts';

/**
 * Command line: solve a benchmark file and print one JSON object on stdout.
 *   node packages/scheduler/src/cli.ts --format <orlib|taillard|fjs> --time-limit <seconds> [--seed N] [--verbose] FILE
 * Usage and input errors go to stderr with exit code 2. --verbose adds a summary line on stderr.
 */
const USAGE =
  'usage: schedule --format <orlib|taillard|fjs> --time-limit <seconds> [--seed N] [--verbose] FILE';

/** Time kept back for writing the answer and exiting. */
const EXIT_MARGIN_MS = 40;

function fail(message: string): never {
  process.stderr.write(`schedule: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  const options = {
    format: { type: 'string' },
    'time-limit': { type: 'string' },
    seed: { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  try {
    parsed = parseArgs({ options, allowPositionals: true });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const format = values.format;
  if (format === undefined) fail('--format is required');
  if (!(BENCHMARK_FORMATS as readonly string[]).includes(format))
    fail(`unknown format "${format}" (expected orlib, taillard or fjs)`);
  const limitText = values['time-limit'];
  if (limitText === undefined) fail('--time-limit is required');
  const limit = Number(limitText);
  if (!Number.isFinite(limit) || limit <= 0)
    fail(`--time-limit must be a positive number of seconds, got "${limitText}"`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  if (positionals.length !== 1) fail(positionals.length === 0 ? 'missing FILE' : 'expected exactly one FILE');
  const file = positionals[0]!;

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let instance: ReturnType<typeof parseBenchmark>;
  try {
    instance = parseBenchmark(format as BenchmarkFormat, text);
  } catch (e) {
    if (e instanceof FormatError) fail(`${file}: ${e.message}`);
    throw e;
  }
  // performance.now() counts from process start, so start-up time is part of the budget.
  const solveFrom = performance.now();
  const timeLimitMs = Math.max(1, limit * 1000 - solveFrom - EXIT_MARGIN_MS);
  const { output, schedule } = solveBenchmark(instance, { seed, timeLimitMs, now: () => performance.now() });
  process.stdout.write(`${JSON.stringify(output)}\n`);
  if (values.verbose) {
    const { method, iterations } = schedule.stats;
    const from = Math.round(solveFrom);
    const done = Math.round(performance.now());
    process.stderr.write(
      `schedule: makespan ${output.makespan}, ${method}, ${iterations} iterations, solving from ${from} ms, done at ${done} ms since start\n`,
    );
  }
}

main();
