import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BenchmarkOutput, benchmarkProblem, outputAssignments } from './benchmark.ts';
import { type BenchmarkFormat, parseBenchmark } from './formats.ts';
import { validate } from './validate.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const SHARED = '/work/shared/scheduling';
const LIMIT_S = 0.2;
/**
 * What the process may add after its own clock says stop: finishing the current construction and
 * writing the answer (generous: on a loaded 2-core machine one construction of a 20×20 instance has taken 340 ms).
 */
const EXIT_SLACK_MS = 1000;

const instances: [BenchmarkFormat, string][] = [
  ...['21', '22', '23', '24', '25', '26', '27', '28', '29', '30'].map((t): [BenchmarkFormat, string] => [
    'orlib',
    `${SHARED}/jobshop/ta${t}.txt`,
  ]),
  ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((t): [BenchmarkFormat, string] => [
    'fjs',
    `${SHARED}/flexible/mk${t}.fjs`,
  ]),
];

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number; ms: number }> {
  const t0 = performance.now();
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { stdout, stderr, code: 0, ms: performance.now() - t0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code, ms: performance.now() - t0 };
  }
}

describe('command line', { concurrency: 2 }, () => {
  for (const [format, file] of instances) {
    it(`prints a feasible schedule for ${file.split('/').pop()} within the time limit`, async () => {
      const r = await cli([
        '--format',
        format,
        '--time-limit',
        String(LIMIT_S),
        '--seed',
        '5',
        '--verbose',
        file,
      ]);
      assert.equal(r.code, 0, r.stderr);
      // The process's own clock counts from its start. On a loaded machine loading the modules alone
      // can take longer than the limit; then the solver must stop at once.
      const [, from, done] = /solving from (\d+) ms, done at (\d+) ms/.exec(r.stderr)!.map(Number);
      assert.ok(done! <= Math.max(LIMIT_S * 1000, from!) + EXIT_SLACK_MS, r.stderr);
      assert.ok(r.ms < 10_000, `took ${r.ms.toFixed(0)} ms`);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const out = JSON.parse(lines[0]!) as { makespan: number; operations: Record<string, number>[] };
      assert.deepEqual(Object.keys(out), ['makespan', 'operations']);
      const b = parseBenchmark(format, readFileSync(file, 'utf8'));
      assert.equal(
        out.operations.length,
        b.jobs.reduce((s, ops) => s + ops.length, 0),
      );
      for (const o of out.operations) {
        assert.deepEqual(Object.keys(o), ['job', 'op', 'machine', 'start', 'end']);
        for (const v of Object.values(o)) assert.ok(Number.isInteger(v));
      }
      assert.equal(out.makespan, Math.max(...out.operations.map((o) => o.end!)));
      const assignments = outputAssignments(out as unknown as BenchmarkOutput);
      assert.deepEqual(validate(benchmarkProblem(b), { assignments }), []);
    });
  }

  it('exits with code 2 and a message when arguments are wrong', async () => {
    const file = `${SHARED}/jobshop/ta21.txt`;
    const cases: [string[], RegExp][] = [
      [['--time-limit', '1', file], /--format is required/],
      [['--format', 'csv', '--time-limit', '1', file], /unknown format "csv"/],
      [['--format', 'orlib', file], /--time-limit is required/],
      [['--format', 'orlib', '--time-limit', 'soon', file], /--time-limit must be a positive number/],
      [['--format', 'orlib', '--time-limit', '1'], /missing FILE/],
      [['--format', 'orlib', '--time-limit', '1', '--seed', '1.5', file], /--seed must be an integer/],
      [['--format', 'orlib', '--time-limit', '1', '/no/such/file'], /cannot read \/no\/such\/file/],
      [
        ['--format', 'orlib', '--time-limit', '1', `${SHARED}/flexible/mk01.fjs`],
        /mk01.fjs: line 1: .*"2.09" is not an integer/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
  });
});
