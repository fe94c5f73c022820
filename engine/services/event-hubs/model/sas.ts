// Shared Access Signature tokens (spec §2.5): HMAC-SHA256 with the key's UTF-8 bytes over the raw,
// already-encoded `sr` + "\n" + `se`. Validation hashes `sr` exactly as received (the SDKs encode
// it differently: JS encodeURIComponent, Go lower-cased QueryEscape), never a re-encoding of it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AccessPolicy {
  name: string;
  key: string;
}

export type SasCheck = { ok: true; expiresAtMs: number; resource: string } | { ok: false; reason: string };

export function createSasToken(audience: string, policy: AccessPolicy, expiresAtSeconds: number): string {
  const sr = encodeURIComponent(audience);
  const sig = createHmac('sha256', policy.key).update(`${sr}\n${expiresAtSeconds}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expiresAtSeconds}&skn=${policy.name}`;
}

/** Lower-cased path of a resource URI without scheme, host and port: "sb://h:5672/EH1/x" → "eh1/x". */
export function resourcePath(uri: string): string {
  let s = uri.trim();
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    s = s.slice(scheme + 3);
    const slash = s.indexOf('/');
    s = slash >= 0 ? s.slice(slash + 1) : '';
  }
  return s.replace(/^\/+|\/+$/g, '').toLowerCase();
}

/** Does a token for resource `granted` cover `requested`? A hub's token covers its partitions, groups and $management. */
export function audienceCovers(granted: string, requested: string): boolean {
  const g = resourcePath(granted);
  const r = resourcePath(requested);
  return g === '' || r === g || r.startsWith(g + '/');
}

export function validateSasToken(token: string, policies: readonly AccessPolicy[], nowMs: number, skewMs = 300_000): SasCheck {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix)) return { ok: false, reason: 'InvalidSignature: the token is not a SharedAccessSignature.' };
  const fields: Record<string, string> = {};
  for (const part of token.slice(prefix.length).trim().split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const { sr, sig, se, skn } = fields;
  if (sr === undefined || sig === undefined || se === undefined || skn === undefined)
    return { ok: false, reason: 'InvalidSignature: the token must have sr, sig, se and skn.' };
  const policy = policies.find((p) => p.name === skn);
  if (!policy) return { ok: false, reason: `InvalidSignature: no authorization rule named '${skn}'.` };
  const expected = createHmac('sha256', policy.key).update(`${sr}\n${se}`).digest();
  let given: Buffer;
  try {
    given = Buffer.from(decodeURIComponent(sig), 'base64');
  } catch {
    return { ok: false, reason: 'InvalidSignature: the signature is not valid base64.' };
  }
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'InvalidSignature: The token has an invalid signature.' };
  const expiresAtMs = Number(se) * 1000;
  if (!Number.isFinite(expiresAtMs)) return { ok: false, reason: 'InvalidSignature: se is not a number.' };
  if (expiresAtMs + skewMs < nowMs) return { ok: false, reason: `ExpiredToken: The token is expired. Expiration time: '${new Date(expiresAtMs).toISOString()}'.` };
  let resource: string;
  try {
    resource = decodeURIComponent(sr);
  } catch {
    return { ok: false, reason: 'InvalidSignature: sr is not URL-encoded.' };
  }
  return { ok: true, expiresAtMs, resource };
}
