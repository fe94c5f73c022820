// A fast path for the batch shape the original generator and k6 send: `[{"Body":"…"}, …]` and
// nothing else. It scans the JSON bytes once and writes each unescaped Body straight into one
// buffer as an AMQP data section, so a 1,675-message batch costs no per-item objects or strings.
// Anything outside that exact shape (other fields, non-string bodies, odd escapes) returns
// undefined and the request takes the general JSON.parse path, which gives the same events.

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;
const BODY_KEY = new Uint8Array(Buffer.from('"Body"'));
const HEADER = 8; // 0x00 0x53 0x75 (data section) + 0xb0 + u32 length

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

export interface ScannedBatch {
  /** All events' AMQP bytes, back to back. */
  chunk: Buffer;
  /** Event i spans chunk[starts[i], starts[i + 1]) (the last one ends at starts[count]). */
  starts: number[];
  count: number;
}

/** The events (AMQP message bytes, one data section each) of a plain batch, or undefined to fall back. */
export function scanPlainBatch(body: Buffer): ScannedBatch | undefined {
  // Plain Uint8Array views: element access on them compiles to tighter code than on Buffer (measured ≈ 2×).
  const src = new Uint8Array(body.buffer, body.byteOffset, body.length);
  const n = src.length;
  // (p is a plain local, not captured by a closure: V8 keeps it in a register)
  let p = skipWs(src, 0);
  if (src[p] !== 0x5b) return undefined; // [
  p++;
  p = skipWs(src, p);
  const chunk = Buffer.allocUnsafe(n); // output is never longer than the input (see header comment)
  const out = new Uint8Array(chunk.buffer, chunk.byteOffset, n);
  const input = new DataView(src.buffer, src.byteOffset, n);
  const output = new DataView(out.buffer, out.byteOffset, n);
  let w = 0;
  const starts: number[] = [];
  if (src[p] === 0x5d) {
    p++;
    p = skipWs(src, p);
    return p === n ? { chunk: chunk.subarray(0, 0), starts: [0], count: 0 } : undefined;
  }
  for (;;) {
    p = skipWs(src, p);
    if (src[p] !== 0x7b) return undefined; // {
    p++;
    p = skipWs(src, p);
    if (p + BODY_KEY.length > n) return undefined;
    for (let k = 0; k < BODY_KEY.length; k++) if (src[p + k] !== BODY_KEY[k]) return undefined;
    p += BODY_KEY.length;
    p = skipWs(src, p);
    if (src[p] !== 0x3a) return undefined; // :
    p++;
    p = skipWs(src, p);
    if (src[p] !== 0x22) return undefined; // "
    p++;
    const start = w;
    starts.push(start);
    w += HEADER;
    for (;;) {
      // Copy the plain run up to the next byte that ends it: the quote, the backslash, a control character.
      // Four bytes at a time while none of them is one (SWAR: a byte equal to q makes (x ^ q) have a
      // zero byte, and (v - 0x01…) & ~v & 0x80… is non-zero exactly when v has a zero byte; the same
      // test against 0x20… finds a byte below 0x20, and never misses one), then byte by byte.
      while (p + 4 <= n) {
        const x = input.getUint32(p, true);
        const quote = x ^ 0x22222222;
        const slash = x ^ 0x5c5c5c5c;
        if ((((quote - 0x01010101) & ~quote) | ((slash - 0x01010101) & ~slash) | ((x - 0x20202020) & ~x)) & 0x80808080) break;
        output.setUint32(w, x, true);
        p += 4;
        w += 4;
      }
      let c = 0;
      while (p < n) {
        c = src[p++];
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        out[w++] = c;
      }
      if (c === 0x22) break; // the closing quote
      if (c !== 0x5c) return undefined; // a control character, or the input ran out
      const e = src[p++];
      if (e === 0x22 || e === 0x5c || e === 0x2f) out[w++] = e;
      else if (e === 0x6e) out[w++] = 0x0a;
      else if (e === 0x74) out[w++] = 0x09;
      else if (e === 0x72) out[w++] = 0x0d;
      else if (e === 0x62) out[w++] = 0x08;
      else if (e === 0x66) out[w++] = 0x0c;
      else if (e === 0x75) {
        let code = readHex4(src, p);
        if (code < 0) return undefined;
        p += 4;
        if (code >= 0xd800 && code <= 0xdbff && src[p] === 0x5c && src[p + 1] === 0x75) {
          const low = readHex4(src, p + 2);
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            p += 6;
          }
        }
        if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate becomes U+FFFD in UTF-8
        w = writeUtf8(out, w, code);
      } else return undefined;
    }
    const length = w - start - HEADER;
    out[start] = 0x00;
    out[start + 1] = 0x53;
    out[start + 2] = 0x75;
    if (length < 256) {
      // short bodies use vbin8, exactly as the general path encodes them
      out[start + 3] = 0xa0;
      out[start + 4] = length;
      out.copyWithin(start + 5, start + HEADER, w);
      w -= 3;
    } else {
      out[start + 3] = 0xb0;
      chunk.writeUInt32BE(length, start + 4);
    }
    p = skipWs(src, p);
    if (src[p] !== 0x7d) return undefined; // } — any other field: general path
    p++;
    p = skipWs(src, p);
    if (src[p] === 0x2c) {
      p++;
      continue;
    }
    if (src[p] !== 0x5d) return undefined;
    p++;
    p = skipWs(src, p);
    if (p !== n) return undefined;
    break;
  }
  const count = starts.length;
  starts.push(w);
  return { chunk, starts, count };
}

function skipWs(src: Uint8Array, p: number): number {
  while (p < src.length && WS[src[p]]) p++;
  return p;
}

function readHex4(src: Uint8Array, p: number): number {
  if (p + 4 > src.length) return -1;
  const a = hex(src[p]);
  const b = hex(src[p + 1]);
  const c = hex(src[p + 2]);
  const d = hex(src[p + 3]);
  return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

function writeUtf8(out: Uint8Array, w: number, code: number): number {
  if (code < 0x80) out[w++] = code;
  else if (code < 0x800) {
    out[w++] = 0xc0 | (code >> 6);
    out[w++] = 0x80 | (code & 0x3f);
  } else if (code < 0x10000) {
    out[w++] = 0xe0 | (code >> 12);
    out[w++] = 0x80 | ((code >> 6) & 0x3f);
    out[w++] = 0x80 | (code & 0x3f);
  } else {
    out[w++] = 0xf0 | (code >> 18);
    out[w++] = 0x80 | ((code >> 12) & 0x3f);
    out[w++] = 0x80 | ((code >> 6) & 0x3f);
    out[w++] = 0x80 | (code & 0x3f);
  }
  return w;
}
