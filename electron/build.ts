// Builds the desktop shell into out/electron: main.js (ESM) and preload.cjs (one CommonJS file, because
// a sandboxed preload may require only `electron`). The utility process runs from source through tsx.
// Run: node --import tsx electron/build.ts   (then: npx electron out/electron/main.js)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
// out/ is ignored by git and by the linter; out/electron sits at the same depth as electron/main,
// so main.js finds the repository root the same way from source or from the build.
const outDir = path.join(here, '../out/electron');
const nodeBuiltins = [/^node:/, 'electron'];

export async function buildDesktop(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      ssr: true,
      target: 'node20',
      rollupOptions: { input: path.join(here, 'main/index.ts'), external: [...nodeBuiltins, 'tsx'], output: { format: 'es', entryFileNames: 'main.js' } },
    },
  });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      ssr: true,
      target: 'node20',
      rollupOptions: { input: path.join(here, 'preload/index.ts'), external: ['electron'], output: { format: 'cjs', entryFileNames: 'preload.cjs' } },
    },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDesktop();
