// The desktop window's settings, built as a plain object so tests can check every security switch
// without starting Electron (Electron's security checklist, docs/tutorial/security.md).
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the compiled preload script. */
  preload: string;
}

export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1600,
    height: 1000,
    minWidth: 1100,
    minHeight: 700,
    title: 'Customer 360 twin',
    backgroundColor: '#f1f5f9',
    show: false,
    webPreferences: {
      preload: input.preload,
      // Checklist 3: the preload's world is separate from the page's; only the bridge crosses.
      contextIsolation: true,
      // Checklist 4: the renderer runs in Chromium's sandbox; the preload gets only sandboxed APIs.
      sandbox: true,
      // Checklist 2: no Node in the page, in workers or in subframes.
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Checklist 6 and 8: keep the same-origin policy; no insecure content, no experimental features.
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Checklist 12: no <webview>.
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: true,
    },
  };
}

/** The window's Content-Security-Policy, sent as a response header for every page it loads (checklist 7). */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
