// Vite build of the renderer (React + recharts). Output: renderer/dist, served by `c360 ui` and loaded by
// the Electron window from disk. `base: './'` keeps asset URLs relative so both file:// and http:// work.
// Paths come from URLs rather than node:path, so this file passes the renderer's no-Node lint rule too.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const dir = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

export default defineConfig({
  root: dir('./'),
  base: './',
  plugins: [react()],
  resolve: {
    // The renderer's only way to the engine: the contract's types and validators (electron/common).
    alias: { '@contract': dir('../electron/common') },
  },
  build: {
    outDir: dir('./dist'),
    emptyOutDir: true,
    // CSP-friendly output: no inline scripts, no eval, no module-preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
});
