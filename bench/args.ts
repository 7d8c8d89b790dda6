import path from 'node:path';

/** The benchmarks' command line: `--name value` options and `--name` flags (node built-ins only). */
const argv = process.argv.slice(2);

/** `--name value` from the command line, or `fallback` (also when `--name` is last, with no value). */
export const arg = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};

/** Whether `--name` is on the command line. */
export const flag = (name: string): boolean => argv.includes(`--${name}`);

/**
 * The `--data-dir` a benchmark works on, resolved; `fallback` when it is not given (resolved too), or
 * null for a `null` fallback.
 */
export function dataDir(fallback: string): string;
export function dataDir(fallback: null): string | null;
export function dataDir(fallback: string | null): string | null {
  if (fallback === null && !flag('data-dir')) return null;
  return path.resolve(arg('data-dir', fallback ?? ''));
}

/** Whether this process is a benchmark's load child, started by `runInChild` (child.ts) with `--child`. */
export const isChild = (): boolean => argv[0] === '--child';
