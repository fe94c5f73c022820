// Where the project is installed: the folder holding package.json, found by walking up from this module.
// Resources that ship with the project (data/, models/, scenarios/, infra-templates/, renderer/) are
// located from here rather than by a fixed number of `..` steps, because the same modules run both as
// TypeScript source (engine/io/…) and as the prebuilt JavaScript in dist/engine/io/… (see bin/c360.js).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findInstallRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`c360: no package.json above ${start}: the installation is incomplete`);
  }
}

export const INSTALL_ROOT = findInstallRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The file extension this code runs as ('.ts' from source, '.js' prebuilt): worker entry points use it. */
export const MODULE_EXTENSION = path.extname(fileURLToPath(import.meta.url));
