#!/usr/bin/env node
// Prebuilds the engine's TypeScript into plain JavaScript under dist/ (same folder layout), so `c360`
// starts without compiling on the fly: tsx's loader hooks cost ≈ 0.5 s of module loading per run.
// Transpile only (esbuild, one file in, one file out) — type checking is `npm run typecheck`'s job.
// bin/c360.js uses dist/ only while dist/.build-stamp is newer than every source file, so an edit
// or a `git pull` without rebuilding falls back to the source instead of running stale code.
// Runs on `npm install` (the `prepare` script) and as `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DIST, ROOT, SOURCE_DIRS, filesUnder } from '../bin/prebuilt.js';

// `--out DIR` builds elsewhere (tests); it must lie inside the project so packages and the install root resolve.
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : DIST;
const STAMP = path.join(OUT, '.build-stamp');

// Relative imports written with a .ts extension (allowImportingTsExtensions) point at .js files in dist/.
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*)\.ts(['"])/g;

async function build() {
  const { transform } = await import('esbuild');
  const started = performance.now();
  rmSync(STAMP, { force: true });
  for (const dir of SOURCE_DIRS) rmSync(path.join(OUT, dir), { recursive: true, force: true }); // no module outlives its source
  let compiled = 0;
  const jobs = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of filesUnder(path.join(ROOT, dir))) {
      const relative = path.relative(ROOT, file);
      const target = path.join(OUT, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts')) {
        compiled++;
        jobs.push(
          readFile(file, 'utf8').then(async (source) => {
            const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: relative });
            await writeFile(target.replace(/\.ts$/, '.js'), code.replace(TS_SPECIFIER, '$1.js$2'));
          }),
        );
      } else if (!file.endsWith('.md') && !file.endsWith('.ts')) {
        cpSync(file, target); // JSON data and plain-JS workers ship as they are
      }
    }
  }
  await Promise.all(jobs);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  const ms = performance.now() - started;
  process.stdout.write(`c360: prebuilt ${compiled} modules into ${path.relative(ROOT, OUT) || '.'}/ in ${(ms / 1000).toFixed(1)} s\n`);
}

await build();
