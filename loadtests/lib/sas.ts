// Shared Access Signature tokens for the Event Hubs REST API. Pure: the HMAC is injected, so the same
// code runs under k6 (k6/crypto) and under Node (node:crypto). The key is used as its UTF-8 string,
// NOT base64-decoded (unlike IoT Hub) — that is how every Event Hubs SDK signs.

/** Returns base64(HMAC-SHA256(key, message)). */
export type HmacBase64 = (key: string, message: string) => string;

export function buildSas(resourceUri: string, keyName: string, key: string, expirySeconds: number, hmac: HmacBase64): string {
  const encodedUri = encodeURIComponent(resourceUri);
  const signature = hmac(key, `${encodedUri}\n${expirySeconds}`);
  return `SharedAccessSignature sr=${encodedUri}&sig=${encodeURIComponent(signature)}&se=${expirySeconds}&skn=${keyName}`;
}

/** A token cache per virtual user: rebuilt when fewer than `refreshBeforeSec` seconds remain. */
export class SasTokenCache {
  private token = '';
  private expiry = 0;
  constructor(
    private readonly resourceUri: string,
    private readonly keyName: string,
    private readonly key: string,
    private readonly hmac: HmacBase64,
    private readonly ttlSec = 3600,
    private readonly refreshBeforeSec = 300,
  ) {}

  get(nowSec: number): string {
    if (!this.token || this.expiry - nowSec < this.refreshBeforeSec) {
      this.expiry = Math.floor(nowSec) + this.ttlSec;
      this.token = buildSas(this.resourceUri, this.keyName, this.key, this.expiry, this.hmac);
    }
    return this.token;
  }
}
