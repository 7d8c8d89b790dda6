import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the benchmarks keep their admin password: under the git-ignored `data/`, readable by its owner only. */
export const BENCH_ADMIN_PASSWORD_FILE = path.resolve(import.meta.dirname, '../data/.bench-admin-password');

/**
 * The admin password of the benchmarks' throwaway databases, shared by the seeder (which sets it on
 * a new database) and the benchmarks that sign in to a seeded one. TAKT_ADMIN_PASSWORD wins; else a
 * random one is made on first use and kept in BENCH_ADMIN_PASSWORD_FILE, so that every benchmark on
 * this machine signs in to the plants seeded here.
 */
function benchAdminPassword(): string {
  if (process.env.TAKT_ADMIN_PASSWORD) return process.env.TAKT_ADMIN_PASSWORD;
  const stored = readStored();
  if (stored) return stored;
  fs.mkdirSync(path.dirname(BENCH_ADMIN_PASSWORD_FILE), { recursive: true });
  try {
    fs.writeFileSync(BENCH_ADMIN_PASSWORD_FILE, `${crypto.randomBytes(18).toString('base64url')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    // Another benchmark process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const made = readStored();
  if (!made) throw new Error(`could not read ${BENCH_ADMIN_PASSWORD_FILE}`);
  return made;
}

function readStored(): string | null {
  try {
    return fs.readFileSync(BENCH_ADMIN_PASSWORD_FILE, 'utf8').trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export const BENCH_ADMIN_PASSWORD = benchAdminPassword();
