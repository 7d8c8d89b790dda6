import { buildWebIfNeeded, checkNodeVersion } from './web-build.ts';

/** `npm start`: build the web app if needed, then migrate and serve on the configured database. */
checkNodeVersion();
buildWebIfNeeded();
await import('../apps/server/src/main.ts');
