// The prebuilt engine (tools/build-engine.mjs → dist/) must behave like the source, and bin/c360.js must
// only use it while it is current. Built into a private folder under out/ so the dist/ other tests use
// is never rebuilt underneath them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
// @ts-expect-error plain-JS module shared by bin/c360.js and the build tool
import { prebuiltIsCurrent } from '../../bin/prebuilt.js';

const out = path.join(repoRoot, 'out', `prebuilt-test-${process.pid}`);
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });

beforeAll(() => {
  node(['tools/build-engine.mjs', '--out', out]);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('prebuilt engine', () => {
  it('compiles every engine module, keeps the data files, and rewrites .ts specifiers', () => {
    expect(existsSync(path.join(out, 'engine/cli/main.js'))).toBe(true);
    expect(existsSync(path.join(out, 'engine/cost/pricing.json'))).toBe(true);
    expect(existsSync(path.join(out, 'engine/cli/load/driver.js'))).toBe(true);
    expect(existsSync(path.join(out, 'engine/cli/main.ts'))).toBe(false);
  });

  it('runs commands that read shipped files from the install root', () => {
    const text = node([path.join(out, 'engine/cli/main.js'), 'scenario', 'validate', 'scenarios/seed-demo.yaml']);
    expect(text).toMatch(/seed-demo/);
    const cost = node([path.join(out, 'engine/cli/main.js'), 'scenario', 'cost', 'scenarios/seed-demo.yaml']);
    expect(cost).toMatch(/estimated cost in USD/);
    expect(cost).toMatch(/^base +1 +1 +4 +804,000 /m);
  });

  it('finds the original data from the prebuilt generate command', () => {
    const dir = path.join(out, 'generated');
    const text = node([path.join(out, 'engine/cli/main.js'), 'generate', '--reference', 'original', '--out', dir, '--quiet']);
    expect(text).toMatch(/Reference tables: original data/);
  });

  it('no engine module finds shipped folders by climbing from its own location (dist/ is one level deeper)', () => {
    const offenders: string[] = [];
    for (const file of readdirSync(path.join(repoRoot, 'engine'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const text = readFileSync(path.join(repoRoot, 'engine', file), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (line.includes('import.meta.url') && /['"`]\.\.\//.test(line)) offenders.push(`engine/${file}:${i + 1}`);
      });
    }
    expect(offenders, 'use INSTALL_ROOT from engine/io/install-root.ts').toEqual([]);
  });

  it('is current right after the build and stale once a source file is newer than its stamp', () => {
    expect(prebuiltIsCurrent(out)).toBe(true);
    const past = new Date(Date.UTC(2000, 0, 1));
    utimesSync(path.join(out, '.build-stamp'), past, past);
    expect(prebuiltIsCurrent(out)).toBe(false);
    rmSync(path.join(out, '.build-stamp'));
    expect(prebuiltIsCurrent(out)).toBe(false);
  });
});
