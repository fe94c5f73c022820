// A parser for Stream Analytics' browsing CSV output read straight from its bytes, for the pipeline's
// ETL (≈ 50,000 rows per seed-demo slice). The layout is the job's own and fixed —
// `userdatetime,customerid,category_t1,category_t2,category_t3,partitionid` with times like
// `2017-03-08T06:00:00.0000000Z` — so each line is read with one pass over its bytes: no decoding of the
// whole blob, no substring per field, no string→number conversion. Only lines in the plain canonical
// form are read here; every other line (another time format, exponents, spaces, a wrong field count,
// anything odd) is handed back as text, so its meaning — or the reason it is skipped — stays exactly what
// the general string parser decides.
import { ByteFieldReader, COMMA, CR, NL, ascii } from './byte-fields.js';

/** A line that was not in the canonical form: its text (without the line break) and 1-based number. */
export type OtherLine = (text: string, line: number) => void;

const HEADER = ascii('userdatetime,');

/**
 * Parses the browsing rows of `bytes` (a blob, or the part appended since the last read) into `flat`
 * as (customerID, ts, t1, t2, t3) groups. Blank lines and header lines are skipped, as the string
 * parser skips them; a leading UTF-8 byte-order mark is ignored, as TextDecoder ignores it. Returns
 * the number of lines read (a last line without a line break counts; nothing after a final one does).
 */
export class StreamCsvBytesParser extends ByteFieldReader {
  parse(bytes: Uint8Array, flat: number[], other: OtherLine): number {
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
      if (end === from || this.matches(bytes, from, end, HEADER)) continue;
      if (!this.canonicalRow(bytes, from, end, flat)) other(this.decoder.decode(bytes.subarray(from, end)), line);
    }
    return length === 0 || bytes[length - 1] === NL ? line - 1 : line;
  }

  /** Appends the row when the line is canonical; false (and nothing appended) otherwise. */
  private canonicalRow(bytes: Uint8Array, from: number, end: number, flat: number[]): boolean {
    this.pos = from;
    const ts = this.time(bytes, end);
    if (ts !== ts || bytes[this.pos] !== COMMA) return false;
    this.pos++;
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
}
