import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PURE = ['packages/domain/src', 'packages/scheduler/src', 'packages/contracts/src'];
// The scheduler's edges (CLI, worker thread) may use the clock and node modules.
const EDGES = new Set(['packages/scheduler/src/cli.ts', 'packages/scheduler/src/worker.ts']);

function sources(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => !EDGES.has(f));
}

describe('architecture', () => {
  it('keeps the pure packages free of IO, the clock and randomness', () => {
    const offences: string[] = [];
    for (const dir of PURE) {
      for (const file of sources(dir)) {
        const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
        const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
        const rules: [RegExp, string][] = [
          [/from\s+['"](node:|fs|path|crypto|http|pg|kysely|fastify|ioredis|react)/, 'imports IO or UI'],
          [/\bDate\.now\s*\(/, 'reads the clock'],
          [/new Date\(\s*\)/, 'reads the clock'],
          [/\bperformance\.now\s*\(/, 'reads the clock'],
          [/\bMath\.random\s*\(/, 'uses randomness'],
          [/\bcrypto\.(randomUUID|getRandomValues)\b/, 'uses randomness'],
        ];
        for (const [re, why] of rules) if (re.test(code)) offences.push(`${file} ${why}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it('lets no module of the server import another module’s repository', () => {
    const modules = path.join(ROOT, 'apps/server/src/modules');
    const offences: string[] = [];
    for (const e of fs.readdirSync(modules, { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.ts')) continue;
      const file = path.join(e.parentPath, e.name);
      const own = path.relative(modules, file).split(path.sep)[0];
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '\.\.\/([\w-]+)\/[\w.-]+\.repo\.ts'/g)) {
        if (m[1] !== own) offences.push(`${path.relative(ROOT, file)} reaches into ${m[1]}'s tables`);
      }
    }
    assert.deepEqual(offences, []);
  });
});
