import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, checkNodeVersion } from './web-build.ts';

/** `npm run dev`: the API with reload on change, and the Vite dev server (proxying /api) with HMR. */
checkNodeVersion();
const children = [
  spawn(
    process.execPath,
    ['--watch-path=apps/server/src', '--watch-path=packages', 'apps/server/src/main.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TAKT_LOG_LEVEL: process.env.TAKT_LOG_LEVEL ?? 'debug' },
    },
  ),
  spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js')], {
    cwd: path.join(ROOT, 'apps/web'),
    stdio: 'inherit',
    // The dev server proxies /api to the API process, wherever PORT put it.
    env: {
      ...process.env,
      TAKT_API_URL: process.env.TAKT_API_URL ?? `http://127.0.0.1:${process.env.PORT || 3000}`,
    },
  }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
