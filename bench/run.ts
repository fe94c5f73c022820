// `npm run bench [-- NAME…]`: runs each bench/*.bench.ts in its own Node process (so one benchmark's
// heap and JIT state never colour another's) and prints their Markdown tables one after another.
// Each benchmark measures its own baseline in the same run and reports ratios (see BENCHMARKS.md).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineSummary } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

console.log(`# c360-twin benchmarks\n\n${machineSummary()}\n`);
let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(here, file)], {
    stdio: 'inherit',
    cwd: path.join(here, '..'),
  });
  if (result.status !== 0) {
    failed++;
    console.error(`benchmark ${file} failed (exit ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);
