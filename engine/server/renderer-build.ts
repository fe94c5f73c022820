// The renderer is a Vite build in renderer/dist (gitignored). `c360 ui` builds it on demand — when the
// folder is missing or older than any renderer source file — so neither a user nor CI needs a separate
// build step, and an edited renderer is never served stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../app/api.js';

export const RENDERER_DIR = path.join(REPO_ROOT, 'renderer');
export const RENDERER_DIST = path.join(RENDERER_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function rendererIsStale(): boolean {
  const index = path.join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  return newestMtime(RENDERER_DIR) > statSync(index).mtimeMs;
}

/** Builds renderer/dist with Vite if needed; returns whether it built. */
export async function ensureRendererBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<boolean> {
  if (!options.force && !rendererIsStale()) return false;
  options.log?.('building the renderer (vite) …');
  const { build } = await import('vite');
  await build({ configFile: path.join(RENDERER_DIR, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
