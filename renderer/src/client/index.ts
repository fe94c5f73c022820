import { httpClient } from './http';
import { ipcClient, type PreloadBridge } from './ipc';
import type { C360Client } from './client';

export { ApiError, type C360Client } from './client';

/** The desktop app's preload defines window.c360; anywhere else the page came from `c360 ui`. */
export function createClient(): C360Client {
  const bridge = (window as unknown as { c360?: PreloadBridge }).c360;
  return bridge ? ipcClient(bridge) : httpClient();
}
