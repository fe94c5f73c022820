// Request checks for the browser-mode server. It listens on 127.0.0.1 only, but a web page the user has
// open elsewhere can still aim requests at localhost, so:
//  - the Host header must name this server (defeats DNS rebinding),
//  - API calls must be JSON POSTs (a cross-site form or <img> cannot send application/json without a
//    CORS preflight, which this server never approves),
//  - an Origin header, when present, must be this server's own origin.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  contentType: string | undefined;
}

/** Why a request is refused, or null if it may proceed. */
export function refusal(facts: RequestFacts, port: number, isApiCall: boolean): string | null {
  const hosts = allowedHosts(port);
  if (!facts.host || !hosts.has(facts.host.toLowerCase())) return 'unexpected Host header';
  if (facts.origin !== undefined && facts.origin !== 'null') {
    let originHost: string;
    try {
      const url = new URL(facts.origin);
      originHost = url.protocol === 'http:' ? url.host : '';
    } catch {
      return 'malformed Origin header';
    }
    if (!hosts.has(originHost)) return 'cross-origin request';
  } else if (facts.origin === 'null') return 'opaque origin';
  if (isApiCall) {
    if (facts.method !== 'POST') return 'API calls must be POST';
    if (!facts.contentType || !facts.contentType.toLowerCase().startsWith('application/json')) return 'API calls must be application/json';
  }
  return null;
}
