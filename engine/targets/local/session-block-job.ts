// The work of the generator's worker thread (entry: session-block-worker.js; used by session-prefetch.ts): computes the first block of each requested session (the seeded
// normal draws and the 50% sample — the generator's whole cost) and hands each over as soon as it is
// ready, its arrays transferred rather than copied. See session-prefetch.ts for the protocol.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
// The one module it needs, not the datagen index (its file writers): the worker starts sooner.
import { sessionBlocks } from '../../datagen/browsing.js';
import type { DatagenConfig } from '../../datagen/config.js';

interface Job {
  config: DatagenConfig;
  sessions: number[];
  port: MessagePort;
  /** [0]: messages posted so far (waited on by the main thread). */
  signal: Int32Array;
}

const { config, sessions, port, signal } = workerData as Job;

function posted(): void {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

try {
  for (const session of sessions) {
    const first = sessionBlocks(config, session).next();
    if (first.done) throw new Error(`session ${session} has no events`);
    const { firstId, days, values, picks } = first.value;
    port.postMessage({ session, firstId, days, values, picks: picks.buffer, take: picks.length }, [values.buffer as ArrayBuffer, picks.buffer as ArrayBuffer]);
    posted();
  }
} catch (error) {
  port.postMessage({ error: (error as Error).stack ?? String(error) });
  posted();
}
port.close();
parentPort?.close();
