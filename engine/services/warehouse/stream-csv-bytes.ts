// A parser for Stream Analytics' browsing CSV output read straight from its bytes, for the pipeline's
// ETL (≈ 50,000 rows per seed-demo slice). The layout is the job's own and fixed —
// `userdatetime,customerid,category_t1,category_t2,category_t3,partitionid` with times like
// `2017-03-08T06:00:00.0000000Z` — so each line is read with one pass over its bytes: no decoding of the
// whole blob, no substring per field, no string→number conversion. Only lines in the plain canonical
// form are read here; every other line (another time format, exponents, spaces, a wrong field count,
// anything odd) is handed back as text, so its meaning — or the reason it is skipped — stays exactly what
// the general string parser decides.
import { parseTimestamp } from './timestamps.js';

/** A line that was not in the canonical form: its text (without the line break) and 1-based number. */
export type OtherLine = (text: string, line: number) => void;

const NL = 10;
const CR = 13;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_T = 84;
const UPPER_Z = 90;
const HEADER = 'userdatetime,';
/** 10^k for the decimal fast path (exact doubles up to 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** More digits than this and an integer may not be exact in a double: such a value takes the string path. */
const MAX_DIGITS = 15;

/**
 * Parses the browsing rows of `bytes` (a blob, or the part appended since the last read) into `flat`
 * as (customerID, ts, t1, t2, t3) groups. Blank lines and header lines are skipped, as the string
 * parser skips them; a leading UTF-8 byte-order mark is ignored, as TextDecoder ignores it.
 */
export class StreamCsvBytesParser {
  /** Epoch ms by the time's digits (YYYYMMDDhhmmss as one number): the data repeats a few dozen times. */
  private readonly times = new Map<number, number>();
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // The position reached by the field readers below (kept on the instance, not returned in an object).
  private pos = 0;

  parse(bytes: Uint8Array, flat: number[], other: OtherLine): void {
    const length = bytes.length;
    let start = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let line = 0;
    while (start <= length) {
      let next = bytes.indexOf(NL, start);
      if (next < 0) next = length;
      line++;
      const end = next > start && bytes[next - 1] === CR ? next - 1 : next;
      const from = start;
      start = next + 1;
      if (end === from || this.isHeader(bytes, from, end)) continue;
      if (!this.canonicalRow(bytes, from, end, flat)) other(this.decoder.decode(bytes.subarray(from, end)), line);
    }
  }

  private isHeader(bytes: Uint8Array, from: number, end: number): boolean {
    if (end - from < HEADER.length) return false;
    for (let i = 0; i < HEADER.length; i++) if (bytes[from + i] !== HEADER.charCodeAt(i)) return false;
    return true;
  }

  /** Appends the row when the line is canonical; false (and nothing appended) otherwise. */
  private canonicalRow(bytes: Uint8Array, from: number, end: number, flat: number[]): boolean {
    const ts = this.time(bytes, from, end);
    if (ts !== ts) return false;
    this.pos++; // the comma after the time
    const id = this.decimal(bytes, end, false);
    if (id !== id || id < 1 || bytes[this.pos] !== COMMA) return false;
    this.pos++;
    const t1 = this.decimal(bytes, end, true);
    if (t1 !== t1 || bytes[this.pos] !== COMMA) return false;
    this.pos++;
    const t2 = this.decimal(bytes, end, true);
    if (t2 !== t2 || bytes[this.pos] !== COMMA) return false;
    this.pos++;
    const t3 = this.decimal(bytes, end, true);
    if (t3 !== t3 || bytes[this.pos] !== COMMA) return false;
    // partitionid: any text without a further comma (the string parser ignores its value too).
    for (let i = this.pos + 1; i < end; i++) if (bytes[i] === COMMA) return false;
    flat.push(id, ts, t1, t2, t3);
    return true;
  }

  /**
   * `YYYY-MM-DDThh:mm:ss[.000…]Z,` at `from`: epoch ms, with `pos` on the comma; NaN for any other
   * shape — including a non-zero fraction, which the string parser rounds in its own way.
   */
  private time(bytes: Uint8Array, from: number, end: number): number {
    if (end - from < 21) return NaN;
    let key = 0;
    for (let i = 0; i < 19; i++) {
      const c = bytes[from + i];
      if (i === 4 || i === 7) {
        if (c !== MINUS) return NaN;
      } else if (i === 10) {
        if (c !== UPPER_T) return NaN;
      } else if (i === 13 || i === 16) {
        if (c !== 58) return NaN; // ':'
      } else {
        if (c < ZERO || c > NINE) return NaN;
        key = key * 10 + (c - ZERO);
      }
    }
    let i = from + 19;
    if (bytes[i] === DOT) {
      i++;
      const digits = i;
      while (i < end && bytes[i] === ZERO) i++;
      if (i === digits) return NaN;
    }
    if (i + 1 >= end || bytes[i] !== UPPER_Z || bytes[i + 1] !== COMMA) return NaN;
    this.pos = i + 1;
    let ts = this.times.get(key);
    if (ts === undefined) {
      // Validation and calendar arithmetic exactly as every other reader of these times does them.
      ts = parseTimestamp(this.decoder.decode(bytes.subarray(from, from + 19)) + 'Z');
      if (this.times.size > 100_000) this.times.clear();
      this.times.set(key, ts);
    }
    return ts;
  }

  /**
   * `[-]digits[.digits]` at `pos` (just `digits` unless `real`), ending at a comma or `end`: the number,
   * with `pos` after it; NaN for any other shape. digits / 10^k is exact for ≤ 15 digits and correctly
   * rounded once divided — the same double Number() gives for that text.
   */
  private decimal(bytes: Uint8Array, end: number, real: boolean): number {
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
    if (digits > MAX_DIGITS || (i < end && bytes[i] !== COMMA)) return NaN;
    this.pos = i;
    const value = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -value : value;
  }
}
