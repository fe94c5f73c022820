// Entry point of the generator's worker thread (session-prefetch.ts). Plain JavaScript so that it loads
// both from the TypeScript source and from the prebuilt dist/: from source it first registers tsx
// (a worker does not inherit the parent's loader hooks), then runs the job module.
import { workerData } from 'node:worker_threads';

try {
  if (workerData.fromSource) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  await import(workerData.fromSource ? './session-block-job.ts' : './session-block-job.js');
} catch (error) {
  // The main thread may be asleep in Atomics.wait: it only hears of a failure through the port.
  workerData.port.postMessage({ error: error?.stack ?? String(error) });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
}
