import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { ROOT, buildWebIfNeeded, checkNodeVersion } from './web-build.ts';

/**
 * `npm test`: unit and integration tests on SQLite, the same data and API suites on PostgreSQL when it is
 * reachable, and the browser tests when Chromium is installed. Extra arguments narrow the files.
 * Ends with a summary line `N passed, N failed`.
 */
checkNodeVersion();
const args = process.argv.slice(2);
const patterns =
  args.length > 0
    ? args
    : ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'e2e/**/*.test.ts'];
if (
  patterns.some((p) => p.startsWith('e2e')) &&
  fs.existsSync(process.env.TAKT_CHROMIUM ?? '/usr/bin/chromium')
) {
  buildWebIfNeeded();
}
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=180000', '--test-reporter=spec', ...patterns],
  { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TAKT_TEST: '1' } },
);
let pass = 0;
let fail = 0;
let partial = '';
// The runner's own summary lines (ℹ pass N, ℹ fail N) come before the list of failures: keep the last seen.
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^ℹ (pass|fail) (\d+)$/.exec(line.trim());
    if (m?.[1] === 'pass') pass = Number(m[2]);
    if (m?.[1] === 'fail') fail = Number(m[2]);
  }
});
child.on('exit', (code) => {
  const failedOverall = code !== 0 && fail === 0 ? 1 : fail;
  process.stdout.write(`\n${pass} passed, ${failedOverall} failed\n`);
  process.exit(code ?? 1);
});
