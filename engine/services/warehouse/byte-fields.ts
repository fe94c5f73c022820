// Field readers over raw bytes, for browsing parsers that skip text decoding (stream-csv-bytes.ts).
// Each reads only a plain canonical form — digits, a decimal point, a UTC time — and gives up (NaN)
// on anything else, so that the caller hands the line to the general text parser and its meaning
// stays exactly what that parser decides. (A JSONL reader on the same fields was tried for `c360 etl`:
// ≤ 8 % of the browsing load, where the regular expression it replaced is already native code —
// not worth a second parser.)
import { parseTimestamp } from './timestamps.js';

export const NL = 10;
export const CR = 13;
export const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_T = 84;
const UPPER_Z = 90;
/** 10^k for the decimal fast path (exact doubles up to 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** More digits than this and an integer may not be exact in a double: such a value takes the text path. */
const MAX_DIGITS = 15;

/** The bytes of an ASCII constant, for ByteFieldReader.matches. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
const UTC_OFFSET = ascii('+00:00');

export class ByteFieldReader {
  /** Where the last successful read stopped: the byte after the field. */
  pos = 0;
  /** For lines handed back as text: a byte-order mark inside the data stays, as the text parsers see it. */
  protected readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Epoch ms by the time's digits (YYYYMMDDhhmmss as one number): browsing data repeats a few dozen times. */
  private readonly times = new Map<number, number>();

  /** Whether the bytes of `text` (from ascii()) are at `from`, within `end`. */
  protected matches(bytes: Uint8Array, from: number, end: number, text: Uint8Array): boolean {
    if (end - from < text.length) return false;
    for (let i = 0; i < text.length; i++) if (bytes[from + i] !== text[i]) return false;
    return true;
  }

  /**
   * `YYYY-MM-DDThh:mm:ss[.000…](Z|+00:00)` at `pos`: epoch ms as parseTimestamp gives it, with `pos`
   * after the zone; NaN for any other shape — including a non-zero fraction, which parseTimestamp
   * rounds in its own way, and other zones.
   */
  time(bytes: Uint8Array, end: number): number {
    const from = this.pos;
    if (end - from < 20) return NaN;
    let key = 0;
    for (let i = 0; i < 19; i++) {
      const c = bytes[from + i];
      if (i === 4 || i === 7) {
        if (c !== MINUS) return NaN;
      } else if (i === 10) {
        if (c !== UPPER_T) return NaN;
      } else if (i === 13 || i === 16) {
        if (c !== COLON) return NaN;
      } else {
        if (c < ZERO || c > NINE) return NaN;
        key = key * 10 + (c - ZERO);
      }
    }
    let i = from + 19;
    if (bytes[i] === DOT) {
      const digits = ++i;
      while (i < end && bytes[i] === ZERO) i++;
      if (i === digits) return NaN;
    }
    if (i < end && bytes[i] === UPPER_Z) i++;
    else if (this.matches(bytes, i, end, UTC_OFFSET)) i += UTC_OFFSET.length;
    else return NaN;
    this.pos = i;
    let ts = this.times.get(key);
    if (ts === undefined) {
      // Validation and calendar arithmetic exactly as every other reader of these times does them
      // (a zero fraction and a +00:00 zone do not change the result).
      ts = parseTimestamp(this.decoder.decode(bytes.subarray(from, from + 19)) + 'Z');
      if (this.times.size > 100_000) this.times.clear();
      this.times.set(key, ts);
    }
    return ts;
  }

  /**
   * `[-]digits[.digits]` at `pos` (just `digits` unless `real`): the number, with `pos` after it;
   * NaN for any other shape (the caller checks what follows). digits / 10^k is exact for ≤ 15 digits
   * and correctly rounded once divided — the same double Number() gives for that text.
   */
  decimal(bytes: Uint8Array, end: number, real: boolean): number {
    let i = this.pos;
    const negative = real && bytes[i] === MINUS;
    if (negative) i++;
    let mantissa = 0;
    let scale = 0;
    const first = i;
    for (; i < end; i++) {
      const c = bytes[i];
      if (c < ZERO || c > NINE) break;
      mantissa = mantissa * 10 + (c - ZERO);
    }
    let digits = i - first;
    if (digits === 0) return NaN;
    if (real && i < end && bytes[i] === DOT) {
      const fraction = ++i;
      for (; i < end; i++) {
        const c = bytes[i];
        if (c < ZERO || c > NINE) break;
        mantissa = mantissa * 10 + (c - ZERO);
      }
      scale = i - fraction;
      if (scale === 0) return NaN;
      digits += scale;
    }
    if (digits > MAX_DIGITS) return NaN;
    this.pos = i;
    const value = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -value : value;
  }
}
