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
let tail = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('exit', (code) => {
  pass = Number(/ℹ pass (\d+)/.exec(tail)?.[1] ?? 0);
  fail = Number(/ℹ fail (\d+)/.exec(tail)?.[1] ?? 0);
  const failedOverall = code !== 0 && fail === 0 ? 1 : fail;
  process.stdout.write(`\n${pass} passed, ${failedOverall} failed\n`);
  process.exit(code ?? 1);
});
