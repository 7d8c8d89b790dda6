import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../runtime.ts';

/**
 * `npm run openapi [-- --check]`: writes docs/openapi.json from the routes, or with --check fails when the
 * committed document differs from what the code serves.
 */
const check = process.argv.includes('--check');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'takt-openapi-'));
const config = {
  ...loadConfig({ TAKT_DATA_DIR: dir, TAKT_DEMO: '0', TAKT_LOG_LEVEL: 'silent' }),
  databaseUrl: null,
};
const runtime = await createRuntime(config, { bootstrap: false });
await runtime.app.ready();
const doc = `${JSON.stringify(runtime.app.swagger(), null, 2)}\n`;
await runtime.close();
fs.rmSync(dir, { recursive: true, force: true });
const file = path.resolve(import.meta.dirname, '../../../../docs/openapi.json');
if (check) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== doc) {
    process.stderr.write('docs/openapi.json is out of date: run npm run openapi and commit it\n');
    process.exit(1);
  }
  process.stdout.write('docs/openapi.json is current\n');
} else {
  fs.writeFileSync(file, doc);
  process.stdout.write(`Wrote ${file}\n`);
}
