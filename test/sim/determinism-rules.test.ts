// The determinism rule of the time-owning layers (architecture-style §9 item 13): simulated code reads
// time only from a Clock and randomness only from a seeded Random. The only sanctioned exceptions are the
// WallClock (the one place the engine reads system time) and the kernel's macrotask yield.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const FOLDERS = ['engine/sim', 'engine/scenarios', 'engine/cost', 'engine/services/data-factory'];
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now() — ask the Clock'],
  [/\bnew Date\s*\(\s*\)/, 'new Date() — ask the Clock'],
  [/\bperformance\.now\s*\(/, 'performance.now() — ask the Clock'],
  [/\bMath\.random\s*\(/, 'Math.random() — use a seeded Random'],
  [/\bset(Timeout|Interval)\s*\(/, 'real timers — sleep on the Clock'],
];
const ALLOWED = new Set(['engine/sim/wall-clock.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('time and randomness come from the Clock and a seeded Random', () => {
  it.each(FOLDERS)('%s reads no system time, real timers or Math.random', (folder) => {
    const offences: string[] = [];
    for (const file of files(path.join(repoRoot, folder))) {
      const rel = path.relative(repoRoot, file);
      if (ALLOWED.has(rel)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*)/.test(line)) return; // comments may mention them
          for (const [pattern, why] of FORBIDDEN) if (pattern.test(line)) offences.push(`${rel}:${i + 1}: ${why}`);
        });
    }
    expect(offences).toEqual([]);
  });

  it('the kernel yields with setImmediate only in its documented default', () => {
    const kernel = readFileSync(path.join(repoRoot, 'engine/sim/kernel.ts'), 'utf8');
    const calls = kernel.split('\n').filter((l) => /setImmediate\(/.test(l));
    expect(calls).toEqual(['const defaultYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));']);
  });
});
