#!/usr/bin/env -S node --max-semi-space-size=64
// The c360 command. The engine is TypeScript. `npm install` prebuilds it into dist/ (tools/build-engine.mjs),
// which starts ≈ 0.5 s faster; whenever a source file is newer than that build — an edit, a pull — tsx
// compiles the source on the fly instead, so `npx c360` always runs the code that is checked out.
// C360_FROM_SOURCE=1 always runs the source.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, prebuiltIsCurrent } from './prebuilt.js';

// C360_PREBUILT is set only by this file for its own re-executed child (below), which need not look at
// dist/ again; it is removed at once so nothing the child starts inherits it.
const prebuilt = process.env.C360_FROM_SOURCE ? false : process.env.C360_PREBUILT ? process.env.C360_PREBUILT === '1' : prebuiltIsCurrent();
delete process.env.C360_PREBUILT;

// `c360 run` allocates hundreds of thousands of short-lived objects per simulated minute while the
// Event Hub retains every accepted event: with V8's default 16 MB young generation, scavenges copy the
// retained events again and again (stress.yaml: 67 s instead of 60 s). The young generation can only be
// sized at start-up: the first line of this file passes the flag when the file is run as a program (npx,
// npm exec, ./bin/c360.js); run as `node bin/c360.js run …` without it, `run` re-executes itself once
// with the flag (≈ 0.1 s).
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';
const wantsBigYoungGeneration =
  process.argv[2] === 'run' && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) && !process.env.C360_NO_REEXEC;

if (wantsBigYoungGeneration) {
  const child = spawn(process.execPath, [...process.execArgv, YOUNG_GENERATION_FLAG, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, C360_NO_REEXEC: '1', C360_PREBUILT: prebuilt ? '1' : '0' },
  });
  // A terminal's Ctrl-C reaches both processes; a signal sent to this pid alone is passed on. Either
  // way the child decides how to stop, and this process exits as it did.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`c360: cannot start ${process.execPath}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
} else if (prebuilt) {
  await import(pathToFileURL(path.join(DIST, 'engine/cli/main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../engine/cli/main.ts');
}
