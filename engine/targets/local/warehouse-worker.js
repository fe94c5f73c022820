// Entry point of the warehouse's worker thread (warehouse-thread.ts). Plain JavaScript so that it loads
// both from the TypeScript source and from the prebuilt dist/: from source it first registers tsx
// (a worker does not inherit the parent's loader hooks), then serves the warehouse job.
//
// With a hold signal it does nothing until the signal's [0] turns non-zero (at most HOLD_LIMIT_MS):
// loading its modules and the reference tables then does not compete for the second core with the
// generator's first block, which the run needs first.
import { parentPort, workerData } from 'node:worker_threads';

/** The signal's owner may have failed: the warehouse does not wait for it longer than this. */
const HOLD_LIMIT_MS = 10_000;

try {
  if (workerData.holdUntil) Atomics.wait(workerData.holdUntil, 0, 0, HOLD_LIMIT_MS);
  if (workerData.fromSource) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  await import(workerData.fromSource ? './warehouse-serve.ts' : './warehouse-serve.js');
} catch (error) {
  parentPort.postMessage({ id: 0, error: { name: 'Error', message: `the warehouse thread did not start: ${error?.stack ?? error}` } });
}
