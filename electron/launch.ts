// `npm start` / `npm run demo`: opens the desktop app where Electron's binary is installed; otherwise
// (as on CI machines, where the binary cannot be downloaded) falls back to browser mode, `c360 ui`,
// and prints its URL. `--run NAME` starts a scenario at once (the demo runs seed-demo).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildDesktop } from './build.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const args = process.argv.slice(2);
const runIndex = args.indexOf('--run');
const run = runIndex >= 0 ? args[runIndex + 1] : undefined;

/**
 * The Electron binary's path, or null when the package is installed without its binary. Read from the
 * package's path.txt rather than require('electron'), which would try to download the binary.
 */
function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary) {
  await build({ configFile: path.join(repoRoot, 'renderer/vite.config.ts'), logLevel: 'warn' });
  await buildDesktop();
  const child = spawn(binary, [path.join(repoRoot, 'out/electron/main.js')], { stdio: 'inherit', env: { ...process.env, ...(run ? { C360_RUN: run } : {}) } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write('Electron\'s binary is not installed here; serving the same app in browser mode (c360 ui) instead.\n');
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/c360.js'), 'ui', ...(run ? ['--run', run] : [])], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
