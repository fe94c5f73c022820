// The utility process: hosts the application API (engine/app via engine/index.ts) off the main
// process, so long engine work never blocks the window. Main hands it a MessagePort on start-up.
import type { ApiHandlers, EngineEvent } from '../common/contract.js';
import { serveApi, type PortLike } from './host.js';

interface EngineEntry {
  createAppApi?: (options: { workspace: string; clock: { now(): number; sleepUntil(at: number): Promise<void> } }) => {
    handlers: ApiHandlers;
    subscribe(listener: (e: EngineEvent) => void): () => void;
    close(): Promise<void>;
  };
}

// Wall time for the run history's timestamps; the engine's own clocks are chosen per run.
const wallClock = {
  now: () => Date.now(),
  sleepUntil: (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()))),
};

const parentPort = (process as unknown as { parentPort: { once(e: 'message', l: (m: { data: unknown; ports: PortLike[] }) => void): void } }).parentPort;

parentPort.once('message', async ({ data, ports }) => {
  const { workspace } = data as { workspace: string };
  // engine/index.ts is the electron layer's only way into the engine (lint rule c360/layers).
  const entry = '../../engine/index.js';
  const engine = (await import(entry)) as EngineEntry;
  if (!engine.createAppApi) throw new Error('engine/index.ts does not export createAppApi');
  const api = engine.createAppApi({ workspace, clock: wallClock });
  serveApi(ports[0], api);
});
