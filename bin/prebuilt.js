// Whether the prebuilt JavaScript in dist/ (written by tools/build-engine.mjs) may be run instead of the
// TypeScript source. Shared by bin/c360.js and the build tool so both agree on what "current" means.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folders whose modules the engine imports at run time (electron/common: the UI contract; loadtests/lib: the load driver). */
export const SOURCE_DIRS = ['engine', 'electron/common', 'loadtests/lib'];
export const DIST = path.join(ROOT, 'dist');
export const STAMP = path.join(DIST, '.build-stamp');

export function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/** True when dist/ was built and no source file changed after it (≈ 3 ms for the engine's ~250 files). */
export function prebuiltIsCurrent(dist = DIST) {
  let built;
  try {
    built = statSync(path.join(dist, '.build-stamp')).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of SOURCE_DIRS) for (const file of filesUnder(path.join(ROOT, dir))) if (statSync(file).mtimeMs > built) return false;
  return true;
}
