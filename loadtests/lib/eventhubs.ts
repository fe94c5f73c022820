// Event Hubs REST batch logic shared by the k6 scripts and `c360 load`: building batch bodies in the
// original generator's message shape, publication limits, and classifying responses.
import { utf8Length } from '../../engine/core/utf8.ts';

/** UTF-8 byte length without TextEncoder: one implementation for the engine and the k6 scripts. */
export { utf8Length };

export const BATCH_CONTENT_TYPE = 'application/vnd.microsoft.servicebus.json';
/** Maximum publication size per tier (quotas page). */
export const MAX_PUBLICATION_BYTES = { basic: 256 * 1024, standard: 1024 * 1024 } as const;
/** Keep batches under 95% of the limit: how the service counts the JSON envelope is not documented. */
export const PUBLICATION_MARGIN = 0.95;

export type SendOutcome = 'ok' | 'throttled' | 'auth' | 'too_large' | 'error';

/** One browsing message in the original generator's shape, padded to about `bytes` with a filler field. */
export function makeMessageBody(customerId: number, seq: number, bytes: number): string {
  const base = {
    userdatetime: '2017-01-01 06:00:00',
    customerid: customerId,
    category_t1: seq % 1000,
    category_t2: (seq * 7) % 1000,
    category_t3: (seq * 13) % 1000,
  };
  const text = JSON.stringify(base);
  if (text.length >= bytes) return text;
  // Pad with a field the Stream Analytics query ignores, so the body stays valid JSON of the right size.
  const padding = bytes - text.length - ',"pad":""'.length;
  return padding > 0 ? `${text.slice(0, -1)},"pad":"${'x'.repeat(padding)}"}` : text;
}

/** A REST batch body: `[{"Body":"<json>"}, …]` with `n` messages of about `eventBytes` each. */
export function makeBatch(n: number, eventBytes: number, firstSeq = 0): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const seq = firstSeq + i;
    items.push(JSON.stringify({ Body: makeMessageBody((seq % 6000) + 1, seq, eventBytes) }));
  }
  return `[${items.join(',')}]`;
}


/** Splits message bodies into batches whose JSON stays under `maxBytes` (with the safety margin). */
export function splitByLimit(bodies: readonly string[], maxBytes: number): string[][] {
  const limit = Math.floor(maxBytes * PUBLICATION_MARGIN);
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 2; // "[" and "]"
  for (const body of bodies) {
    const item = utf8Length(JSON.stringify({ Body: body })) + 1;
    if (item + 2 > limit) throw new Error(`a single event of ${item} bytes exceeds the publication limit of ${limit} bytes`);
    if (size + item > limit && current.length > 0) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(body);
    size += item;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Classifies a send response. 201 is success; ServerBusy is 503 (what users see), 429 on some
 * sources, or a body naming 50002/ServerBusy; 401 is auth; 413 (or 403 "message too large") is size.
 */
export function classify(status: number, body: string | null | undefined): SendOutcome {
  const text = body ?? '';
  if (status === 201 || status === 200) return 'ok';
  if (status === 503 || status === 429 || /50002|ServerBusy/i.test(text)) return 'throttled';
  if (status === 401) return 'auth';
  if (status === 413 || (status === 403 && /too large|size/i.test(text))) return 'too_large';
  return 'error';
}
