// The Electron main process: one window, hardened (window-options.ts, navigation.ts, ipc-guard.ts), the
// engine in a utility process, secrets in safeStorage. It relays validated contract calls to the
// utility process and engine events back to the window.
import { app, BrowserWindow, ipcMain, MessageChannelMain, safeStorage, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EVENT_CHANNEL, METHOD_NAMES, channelOf, type EngineEvent } from '../common/contract.js';
import { buildWindowOptions, DESKTOP_CSP } from './window-options.js';
import { isAllowedNavigation, isSafeExternalUrl } from './navigation.js';
import { guardedHandler } from './ipc-guard.js';
import { SecretStore } from './secrets.js';
import { HostClient, type PortLike } from '../utility/host.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const distDir = path.join(repoRoot, 'renderer/dist');

// Checklist 4: sandbox every renderer, including any created later.
app.enableSandbox();

async function startEngine(onEvent: (event: EngineEvent) => void): Promise<HostClient> {
  const { port1, port2 } = new MessageChannelMain();
  // The utility process runs the engine's TypeScript through tsx, like bin/c360.js does.
  const child = utilityProcess.fork(path.join(repoRoot, 'electron/utility/index.ts'), [], {
    serviceName: 'c360 engine',
    execArgv: ['--import', import.meta.resolve('tsx')],
  });
  child.postMessage({ workspace: path.join(app.getPath('userData'), 'workspace') }, [port2]);
  const client = new HostClient(port1 as unknown as PortLike, onEvent);
  child.on('exit', (code) => client.failAll(`the engine process stopped (exit code ${code})`));
  return client;
}

async function main(): Promise<void> {
  await app.whenReady();
  const secrets = new SecretStore(path.join(app.getPath('userData'), 'secrets.json'), safeStorage);
  void secrets; // held by main for the azure target; never exposed over IPC beyond names

  // Checklist 7: a CSP header on every response the window loads.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
  });
  // No permission (camera, notifications, …) is ever needed.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const window = new BrowserWindow(buildWindowOptions({ preload: path.join(here, 'preload.cjs') }));
  const engine = await startEngine((event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    ipcMain.handle(channel, guardedHandler(channel, distDir, (m, args) => engine.call(m, args)));
  }

  // Checklist 13–15: stay on the app; no new windows; only allowlisted links go to the browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, distDir)) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, distDir)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  await window.loadURL(pathToFileURL(path.join(distDir, 'index.html')).href);
  // `npm run demo`: start the named scenario once the window is up.
  if (process.env.C360_RUN) await engine.call('startRun', { scenario: process.env.C360_RUN });
}

app.on('window-all-closed', () => app.quit());
void main();
