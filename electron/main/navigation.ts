// Where the window may go (checklist 13, 14, 15). The app is a single page loaded from its own files;
// it never navigates anywhere else, never opens windows, and opens only allowlisted documentation
// links in the user's browser. URLs are compared parsed, never as strings ("simple string comparisons
// can sometimes be fooled").

/** The app's own pages: file:// under the renderer's dist folder. */
export function isAppUrl(raw: string, distDir: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'file:') return false;
  if (url.host !== '') return false;
  const dir = new URL(`file://${distDir.replace(/\\/g, '/').replace(/\/?$/, '/')}`);
  // Normalised by the URL parser: "/dist/../secret" has already become "/secret" here.
  return url.pathname.startsWith(dir.pathname);
}

/** In-app navigation is only ever to the app itself (hash routes included). */
export function isAllowedNavigation(raw: string, distDir: string): boolean {
  return isAppUrl(raw, distDir);
}

/** Hosts whose pages the app may open in the user's browser (documentation links). */
export const EXTERNAL_ALLOWLIST = new Set(['learn.microsoft.com', 'azure.microsoft.com', 'github.com', 'docs.github.com']);

export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && EXTERNAL_ALLOWLIST.has(url.hostname);
}
