// What the preload exposes to the page: one function per contract method (never a generic `send`) and
// an event subscription that hands the page the event data only — not Electron's event object, which
// would leak `sender` (docs/tutorial/ipc.md). Plain module so tests can check it without Electron.
import { EVENT_CHANNEL, METHOD_NAMES, channelOf, type EngineEvent } from '../common/contract.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridge(ipc: IpcRendererLike): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    bridge[method] = (args: unknown) => ipc.invoke(channel, args);
  }
  bridge.onEvent = (listener: (event: EngineEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    const wrapped = (_event: unknown, data: unknown) => listener(data as EngineEvent);
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => void ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  return Object.freeze(bridge);
}
