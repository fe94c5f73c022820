// The desktop window's security settings, navigation rules, IPC sender validation and the preload bridge.
import { describe, expect, it } from 'vitest';
import { buildWindowOptions, DESKTOP_CSP } from '../../electron/main/window-options.js';
import { isAllowedNavigation, isSafeExternalUrl } from '../../electron/main/navigation.js';
import { guardedHandler, validateSender } from '../../electron/main/ipc-guard.js';
import { buildBridge } from '../../electron/preload/bridge.js';
import { EVENT_CHANNEL, METHOD_NAMES } from '../../electron/common/contract.js';

const DIST = '/opt/c360/renderer/dist';
const APP = `file://${DIST}/index.html`;

describe('BrowserWindow options', () => {
  const web = buildWindowOptions({ preload: '/opt/c360/out/electron/preload.cjs' }).webPreferences!;
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security and refuses insecure content, webviews and experimental features', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });
  it('uses the bundled preload', () => {
    expect(web.preload).toBe('/opt/c360/out/electron/preload.cjs');
  });
  it('has a strict CSP: scripts only from the app, no inline, no eval, no plugins', () => {
    expect(DESKTOP_CSP).toContain("script-src 'self'");
    expect(DESKTOP_CSP).toContain("object-src 'none'");
    expect(DESKTOP_CSP).not.toContain('unsafe-inline');
    expect(DESKTOP_CSP).not.toContain('unsafe-eval');
  });
});

describe('navigation', () => {
  it('allows the app itself, with hash routes', () => {
    expect(isAllowedNavigation(APP, DIST)).toBe(true);
    expect(isAllowedNavigation(`${APP}#/model`, DIST)).toBe(true);
  });
  it.each([
    'https://evil.example/',
    `file://${DIST}/../../secrets.json`,
    'file:///etc/passwd',
    `file://remote-host${DIST}/index.html`,
    `${DIST}/index.html`,
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url, DIST)).toBe(false);
  });
  it('opens only allowlisted https documentation externally', () => {
    expect(isSafeExternalUrl('https://learn.microsoft.com/azure/event-hubs/')).toBe(true);
    for (const url of ['http://learn.microsoft.com/', 'https://learn.microsoft.com.evil.example/', 'https://user:pw@github.com/', 'file:///etc/passwd', 'smb://server/share', 'https://github.com:8443/'])
      expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('IPC sender validation', () => {
  it('accepts the app top frame only', () => {
    expect(validateSender({ url: APP, parent: null }, DIST)).toBeNull();
    expect(validateSender({ url: APP, parent: {} }, DIST)).toMatch(/subframes/);
    expect(validateSender({ url: 'https://evil.example/', parent: null }, DIST)).toMatch(/not the app/);
    expect(validateSender(null, DIST)).toMatch(/no sender frame/);
  });

  it('runs the engine only for valid senders and arguments, with the method taken from the channel', async () => {
    const calls: [string, unknown][] = [];
    const forward = async (method: string, args: unknown) => {
      calls.push([method, args]);
      return { ok: true as const, value: 'done' };
    };
    const handler = guardedHandler('c360:readScenario', DIST, forward);
    expect(await handler({ senderFrame: { url: APP, parent: null } }, { name: 'seed-demo' })).toEqual({ ok: true, value: 'done' });
    expect(await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, { name: 'seed-demo' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: { url: APP, parent: null } }, { name: '../x' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await guardedHandler('other:readScenario', DIST, forward)({ senderFrame: { url: APP, parent: null } }, { name: 'a' })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(calls).toEqual([['readScenario', { name: 'seed-demo' }]]);
  });
});

describe('preload bridge', () => {
  function fakeIpc() {
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
    return {
      invoked,
      listeners,
      invoke: async (channel: string, ...args: unknown[]) => (invoked.push([channel, ...args]), 'r'),
      on: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
      removeListener: (channel: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
    };
  }

  it('exposes one function per method and onEvent, nothing else, frozen', () => {
    const bridge = buildBridge(fakeIpc());
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect('invoke' in bridge || 'send' in bridge || 'on' in bridge).toBe(false);
  });

  it('invokes the method channel and hands listeners the data, never the IPC event', async () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc) as Record<string, (...a: unknown[]) => unknown>;
    await bridge.listRuns({ limit: 5 });
    expect(ipc.invoked).toEqual([['c360:listRuns', { limit: 5 }]]);
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => got.push(args)) as () => void;
    for (const l of ipc.listeners.get(EVENT_CHANNEL)!) l({ sender: 'secret ipcRenderer' }, { type: 'progress' });
    expect(got).toEqual([[{ type: 'progress' }]]);
    off();
    expect(ipc.listeners.get(EVENT_CHANNEL)!.size).toBe(0);
  });
});
